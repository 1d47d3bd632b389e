"""The program: `dutydesk`, `dutydesk-gui`, `python -m desktop` and the frozen build (STYLE.md #12).

`main(argv) -> int` decides between the two front ends, which never import each other: options
alone (--db PATH, --demo, --json) open the GUI (desktop/app.py) without building the command line;
anything else goes to the command line (desktop/cli), handed the GUI for the options it finds
name no command after all (``--operator NAME``, say) and the one Qt PDF renderer
(desktop.ui.printing.render_pdf_job) for the commands that make a PDF. Imports here are kept to
what the first paint needs (bench/bench_startup.py): each front end is imported when it is chosen,
Qt's printing only when a PDF is made.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.core.clock import Clock
    from desktop.export.pdf import PdfJob


def opens_the_gui(argv: Sequence[str]) -> bool:
    """Only --db PATH / --demo / --json, no subcommand: the GUI."""
    rest = list(argv)
    while rest:
        head = rest.pop(0)
        if head == "--db" and rest:
            rest.pop(0)
        elif head.startswith("--db=") or head in ("--demo", "--json"):
            continue
        else:
            return False
    return True


def gui(argv: Sequence[str], clock: Clock | None = None) -> int:
    """The GUI's main (looked up when called: tests stand a stub in for desktop.app.main)."""
    from desktop.app import main as gui_main

    return gui_main(list(argv), clock)


def qt_pdf(job: PdfJob, path: Path) -> Path:
    """The Qt PDF renderer (desktop.export.pdf.PdfRenderer), imported when a command makes a PDF."""
    from desktop.ui.printing import render_pdf_job

    return render_pdf_job(job, path)


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """The GUI straight away, or the command line (built only when asked for)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if opens_the_gui(args):
        return gui(args, clock)
    from desktop.app import guard_streams

    guard_streams()  # a windowed (frozen) build has no stdout/stderr
    from desktop.cli import main as cli_main

    return cli_main(args, clock, gui=gui, pdf=qt_pdf)
