"""REFI-QDA exchange: the project archive (.qdpx) and the codebook (.qdc), both ways.

`export` writes them, `archive` reads an archive safely (size cap, no `../`, no DTDs),
`reader` turns `project.qde` into plain records, `importer` brings those records into a
project in one transaction, `codes` folds a code's texts into one `Description` and back,
`positions` converts a vendor's character positions to lfa-qual's offsets, `guids` derives
the GUIDs the store does not keep. See docs/refi-qda.md.
"""

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
