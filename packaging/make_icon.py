"""Draw the DutyDesk icon and write resources/icons/dutydesk.png and dutydesk.ico.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

The drawing is geometric (no font), so the output is the same on every machine. The .ico holds
PNG-compressed images at the sizes Windows asks for (Explorer, taskbar, title bar, Alt-Tab); Qt's own
ICO writer stores one image only, so the container is written here (ICONDIR + ICONDIRENTRY, then the
PNG streams, as documented for Windows Vista and later).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PNG_SIZE = 256
OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"

RED_TOP, RED_BOTTOM = QColor("#d23a2e"), QColor("#9e1b16")
HEADER = QColor("#7a1410")
PAPER = QColor("#fffaf2")
GRID = QColor("#d9cfc2")
GOLD = QColor("#f2b705")
CHECK = QColor("#1f7a3a")


def draw(size: int) -> QImage:
    """The icon at `size` px, drawn on a 256-unit canvas; small sizes drop the fine grid."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    detailed = size >= 40

    # Rounded red tile.
    gradient = QLinearGradient(0, 0, 0, 256)
    gradient.setColorAt(0, RED_TOP)
    gradient.setColorAt(1, RED_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(gradient)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)

    # A calendar page with a dark header band and two binder rings.
    page = QRectF(44, 58, 168, 156)
    p.setBrush(PAPER)
    p.drawRoundedRect(page, 18, 18)
    outline = QPainterPath()
    outline.addRoundedRect(page, 18, 18)
    p.setClipPath(outline)
    p.fillRect(QRectF(page.x(), page.y(), page.width(), 40), HEADER)
    p.setClipping(False)
    p.setBrush(PAPER)
    for x in (88, 168):
        p.drawRoundedRect(QRectF(x - 8, 40, 16, 36), 8, 8)

    # Day cells: one gold (the duty day) in the detailed sizes, a single gold block in the small ones.
    if detailed:
        p.setBrush(GRID)
        cell, gap, left, top = 30, 10, 62, 114
        for row in range(2):
            for col in range(4):
                if (row, col) != (1, 3):
                    p.drawRoundedRect(QRectF(left + col * (cell + gap), top + row * (cell + gap), cell, cell), 5, 5)
        p.setBrush(GOLD)
        p.drawRoundedRect(QRectF(left + 3 * (cell + gap), top + cell + gap, cell, cell), 5, 5)
    else:
        p.setBrush(GOLD)
        p.drawRoundedRect(QRectF(150, 140, 48, 48), 8, 8)

    # A green check mark across the page: reported, covered.
    pen = QPen(CHECK, 26 if detailed else 34)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath(QPointF(68, 150))
    check.lineTo(QPointF(98, 182))
    check.lineTo(QPointF(150, 112))
    p.drawPath(check)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO container of PNG streams: ICONDIR (6 bytes), one 16-byte ICONDIRENTRY per image, the data."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = [], []
    for size, blob in images:
        dim = 0 if size >= 256 else size  # 0 means 256
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def main(out_dir: Path = OUT_DIR) -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter on QImage wants one
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "dutydesk.png").write_bytes(png_bytes(draw(PNG_SIZE)))
    (out_dir / "dutydesk.ico").write_bytes(ico_bytes([(s, png_bytes(draw(s))) for s in ICO_SIZES]))
    print(f"wrote {out_dir / 'dutydesk.png'} and {out_dir / 'dutydesk.ico'} ({', '.join(map(str, ICO_SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR))
