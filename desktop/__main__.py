"""`python -m desktop`: the same entry as the `dutydesk` script and the frozen build (desktop/entry.py)."""

import sys

from desktop.entry import main

if __name__ == "__main__":
    sys.exit(main())
