"""The frozen build's entry script (build.spec): the same `main(argv) -> int` as `dutydesk` and `python -m desktop`."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
