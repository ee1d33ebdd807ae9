"""The pseudonymisation guard: names and other direct identifiers left in transcripts.

`detect` finds suspects in a text (`patterns` for numbers, addresses, e-mails and institutions;
`features` and `lexicon` for the person-name model and its word lists), `scan` turns a
transcript's suspects into records, `review` keeps the researcher's decisions (not a name, or
replaced by a pseudonym), `key` reads the name key and pseudonymises raw text, and `gate` is
the check every export of transcript text calls. See docs/names.md.
"""
