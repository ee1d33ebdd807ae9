"""The Textual terminal UI. Only this package and `lfa_qual.cli` may import textual or rich."""
