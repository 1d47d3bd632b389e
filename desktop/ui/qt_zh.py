"""Qt's own dialogs in Chinese: the qtbase_zh_CN catalog, and the few strings it lacks.

The catalog shipped with PySide6 (qtbase_zh_CN.qm) predates some of Qt 6's labels: the file dialog Qt
draws itself on Linux shows "&Look in:" and "Files of &type:" in English, and the print dialog's
"Page &order:", "Pages &per sheet:" and "Page &Set:". `GapTranslator` answers exactly those (installed
after the catalog, so asked first) and says nothing about any other string, so the catalog keeps
answering the rest. build.spec ships the catalog in the frozen build (KEEP_TRANSLATIONS).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

#: Source text -> Chinese, in the catalog's own style (full-width colon, the mnemonic in brackets).
GAPS: dict[str, str] = {
    "&Look in:": "查找范围(&L)：",
    "Files of &type:": "文件类型(&T)：",
    "Page &order:": "页序(&O)：",
    "Pages &per sheet:": "每张页数(&P)：",
    "Page &Set:": "打印页面(&S)：",
}


class GapTranslator(QTranslator):
    """The Chinese of `GAPS`; None (no answer) for every other string."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        return GAPS.get(source_text)

    def isEmpty(self) -> bool:
        return False


_KEEP: list[QTranslator] = []  # the Python objects of the installed translators live as long as the app


def install_chinese(app: QCoreApplication) -> bool:
    """Install Qt's Chinese catalog and the gap translator; True when the catalog was found."""
    catalog = QTranslator(app)
    found = catalog.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                         QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if found:
        app.installTranslator(catalog)
    gaps = GapTranslator(app)
    app.installTranslator(gaps)
    _KEEP.extend((catalog, gaps))
    return found
