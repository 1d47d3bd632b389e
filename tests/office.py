"""LibreOffice for the golden checks: open an export the way a reader's office suite does.

``convert(path, "pdf")`` runs ``soffice --headless --convert-to`` on the file (a private user
profile per test process, so parallel workers never share one) and returns the converted file.
Tests that need it are marked `needs_soffice` and skipped where LibreOffice is not installed
(.ci/run installs libreoffice-calc and libreoffice-writer).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@functools.cache
def _profile() -> str:
    return Path(tempfile.mkdtemp(prefix="dutydesk-lo-")).as_uri()


def convert(path: Path, fmt: str, outdir: Path | None = None) -> Path:
    """``path`` converted by LibreOffice to ``fmt`` (pdf, csv, …) in ``outdir`` (default: beside it)."""
    assert SOFFICE is not None
    outdir = outdir or path.parent
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={_profile()}", "--headless", "--convert-to", fmt,
                             "--outdir", str(outdir), str(path)],
                            capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
    target = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    assert target.exists(), f"LibreOffice did not convert {path.name}: {result.stdout} {result.stderr}"
    return target
