import sys

from lfa_qual.cli import main

# Guarded: a spawned worker process (the TUI's NLP) imports this module as __mp_main__.
if __name__ == "__main__":
    sys.exit(main())
