"""REFI-QDA exchange: the project archive (.qdpx) and the codebook (.qdc), both ways.

- `export`: writes both (`xmlwrite` escapes and indents the XML text);
- `archive`: reads an archive safely (size cap, no `../`, no DTDs or entities);
- `reader`: turns `project.qde` (or a `.qdc`) into plain records, every reference checked;
- `positions`: a vendor's text and positions onto lfa-qual's normalised text and offsets;
- `sources`: a text source as a transcript (its own front matter, or one built for it);
- `codes`, `codebook_merge`: a code's texts folded into one `Description` and back; codes
  merged into the YAML codebook;
- `importer` plans an import, `apply` writes it (backups, one transaction); `qdc` merges a
  codebook file;
- `guids`: the GUIDs the store keeps none for, derived so that exports are stable.
See docs/refi-qda.md.
"""

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# Options of `import FILE.qdpx`, here so that the CLI can offer them without loading the importer.
CRLF_CHOICES = ("auto", "one", "two")
POSITION_CHOICES = ("codepoints", "utf16")
