"""The frozen build's entry script (build.spec): the same `main(argv) -> int` as `dutydesk` and `python -m desktop`
(desktop/entry.py)."""

import sys

from desktop.entry import main

if __name__ == "__main__":
    sys.exit(main())
