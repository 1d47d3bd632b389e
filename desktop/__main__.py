"""`python -m desktop`: the same entry as the `dutydesk` script and the frozen build."""

import sys

from desktop.app import launch

if __name__ == "__main__":
    sys.exit(launch())
