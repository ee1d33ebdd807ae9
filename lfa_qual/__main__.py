import sys

from lfa_qual.cli import main

sys.exit(main())
