"""The release number, in a module of its own so that any layer may name it (an exported
REFI-QDA archive records which lfa-qual wrote it)."""

__version__ = "0.1.0"
