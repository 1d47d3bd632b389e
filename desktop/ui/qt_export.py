"""The one export path with the one Qt PDF renderer handed in, as the GUI runs it
(desktop/ui/export_dialog.py).

`export(...)` is desktop.export.exporter.export with ``pdf=`` desktop.ui.printing.render_pdf_job
(the exporter itself imports no Qt); every other name is the exporter's own (FORMATS,
check_format, target_path, …).
"""

from __future__ import annotations

from typing import Any

from desktop.export import exporter as _exporter
from desktop.export.exporter import ExportResult
from desktop.ui.printing import render_pdf_job

__all__ = ["export"]


def export(*args: Any, **kwargs: Any) -> ExportResult:
    """desktop.export.exporter.export(...), its PDFs laid out by Qt (`render_pdf_job`)."""
    kwargs.setdefault("pdf", render_pdf_job)
    return _exporter.export(*args, **kwargs)


def __getattr__(name: str) -> Any:
    return getattr(_exporter, name)
