"""The frozen build's entry script (build.spec): the same `launch(argv) -> int` as `dutydesk` and `python -m desktop`."""

import sys

from desktop.app import launch

if __name__ == "__main__":
    sys.exit(launch())
