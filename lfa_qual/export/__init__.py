"""Exports for reports and other tools: quotes per theme and school, tables and figures.

`quotes` selects and merges quotes, `text` cuts and shortens them, one `to_*` module per file
format writes them, `tables` writes frequency tables and `figures` draws the charts.
"""

QUOTE_FORMATS = ("md", "docx", "xlsx", "csv", "json")
