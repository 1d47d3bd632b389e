"""规则 page: the government's rule profile, every rule with its article (规则全文), and the office's
own adjustments of it (调整规则): each adjustable setting with its article, checked as it is typed
(the value's type, then the whole profile by the loader), saved through an audited operation
(desktop.ops.profile), exported to and imported from a TOML file, and reset to the preset.

The settings listed are the preset's own (desktop.core.profile_overrides.fields): a key added to the
profiles later appears here without a change to this page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.core import profile_overrides as po
from desktop.core.errors import UserError
from desktop.export.duty_xlsx import save_atomically
from desktop.export.profile_html import render
from desktop.ops.base import Entity
from desktop.ui.session import Session, show_error

FIELD = Qt.ItemDataRole.UserRole
COL_NAME, COL_VALUE, COL_PRESET, COL_ARTICLE = range(4)
CHANGED = QColor("#0b57d0")
WRONG = QColor("#fdecea")


def _article(number_of: str, title: str) -> tuple[str, str]:
    """(第81条, 《攀枝花市人民政府工作规则》第81条) of a machine id “000 art.81”."""
    if not number_of:
        return "", ""
    number = number_of.partition(" art.")[2]
    return f"第{number}条", (f"《{title}》第{number}条" if title else f"第{number}条")


class ProfileEditor(QWidget):
    """调整规则: the adjustable settings in a tree (section → rule → setting)."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.saved: dict[str, Any] = {}
        self.pending: dict[str, Any] = {}
        self.wrong: dict[str, str] = {}  # path -> what is wrong with the text typed
        self.problem_text = ""
        self.profile_id = ""
        self._filling = False
        intro = QLabel("双击“本单位的值”一栏修改;输入时即检查,改过的项显示为蓝色。保存后立即生效,并记入审计日志。")
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找规则项或条款,如:提前、份额、第84条")
        self.search.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["规则项", "本单位的值", "预设值", "条款"])
        header = self.tree.header()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_VALUE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_PRESET, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_ARTICLE, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(COL_VALUE, 260)
        header.resizeSection(COL_PRESET, 220)
        self.tree.itemChanged.connect(self._edited)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存对规则的调整(记入审计日志)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("放弃修改")
        self.revert_button.clicked.connect(self.reload)
        self.reset_button = QPushButton("恢复预设…")
        self.reset_button.setToolTip("删除本单位的全部调整,回到规则预设")
        self.reset_button.clicked.connect(self.reset)
        self.export_button = QPushButton("导出…")
        self.export_button.setToolTip("把本单位的调整保存为 TOML 文件(可在其他电脑上导入)")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton("导入…")
        self.import_button.setToolTip("导入由“导出…”保存的规则调整文件")
        self.import_button.clicked.connect(self.import_file)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.revert_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.reset_button, self.export_button, self.import_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.reload()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        org = self.session.org
        self._filling = True
        self.tree.clear()
        self.wrong.clear()
        try:
            if org is None:
                self.problem_text = "尚未设置单位和规则预设。"
                return
            self.profile_id = org.profile_id
            data = ops.profile.preset_data(org.profile_id)
            title = data.get("source_title", "") if isinstance(data.get("source_title"), str) else ""
            self.saved = ops.profile.overrides(self.session.store)
            self.pending = dict(self.saved)
            editable = self.session.can("rules")
            parents: dict[tuple[str, str], QTreeWidgetItem] = {}
            for f in po.fields(data):
                section = parents.get((f.section, ""))
                if section is None:
                    section = parents[(f.section, "")] = QTreeWidgetItem(self.tree, [f.section])
                    section.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    bold = QFont(section.font(0))
                    bold.setBold(True)
                    section.setFont(0, bold)
                parent = section
                short, full = _article(f.article, title)
                levels = f.group.split(" / ") if f.group else []
                for depth in range(len(levels)):  # a chain, then its steps under it
                    key = (f.section, " / ".join(levels[:depth + 1]))
                    node = parents.get(key)
                    if node is None:
                        node = parents[key] = QTreeWidgetItem(parent, [levels[depth], "", "", short])
                        node.setFlags(Qt.ItemFlag.ItemIsEnabled)
                        node.setToolTip(0, levels[depth])
                        node.setToolTip(COL_ARTICLE, full)
                    parent = node
                value = self.pending.get(f.path, f.preset)
                item = QTreeWidgetItem(parent, [f.label, po.show(value), po.show(f.preset), short])
                item.setData(0, FIELD, f)
                item.setToolTip(0, f"{f.label}\n规则文件中的写法:{f.path}")
                item.setToolTip(COL_ARTICLE, full)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if editable:
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                self._mark(item)
            self.tree.expandToDepth(0)
            self.problem_text = ""
        except UserError as exc:
            self.problem_text = str(exc)
        finally:
            self._filling = False
            self._update()

    def items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            it = stack.pop(0)
            if it.data(0, FIELD) is not None:
                out.append(it)
            stack[0:0] = [it.child(i) for i in range(it.childCount())]
        return out

    def item_of(self, path: str) -> QTreeWidgetItem | None:
        return next((it for it in self.items() if it.data(0, FIELD).path == path), None)

    # ------------------------------------------------------------------ editing
    def set_text(self, path: str, text: str) -> None:
        """Type `text` into a setting (as a double-click and typing would)."""
        item = self.item_of(path)
        if item is None:
            raise KeyError(path)
        item.setText(COL_VALUE, text)

    def _mark(self, item: QTreeWidgetItem) -> None:
        f: po.Field = item.data(0, FIELD)
        changed = f.path in self.pending
        font = QFont(item.font(COL_VALUE))
        font.setBold(changed)
        item.setFont(COL_VALUE, font)
        item.setForeground(COL_VALUE, QBrush(CHANGED) if changed else QBrush())
        item.setBackground(COL_VALUE, QBrush(WRONG) if f.path in self.wrong else QBrush())
        if f.path in self.wrong:
            item.setToolTip(COL_VALUE, self.wrong[f.path])
        else:
            item.setToolTip(COL_VALUE, "已调整(预设为 " + po.show(f.preset) + ")" if changed else "与预设相同")

    def _edited(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != COL_VALUE or item.data(0, FIELD) is None:
            return
        f: po.Field = item.data(0, FIELD)
        try:
            value = po.parse_value(item.text(COL_VALUE), f.preset, f.label)
        except UserError as exc:
            self.wrong[f.path] = str(exc)
        else:
            self.wrong.pop(f.path, None)
            if value == f.preset:
                self.pending.pop(f.path, None)
            else:
                self.pending[f.path] = value
        self._filling = True
        try:
            self._mark(item)
        finally:
            self._filling = False
        self._update()

    def _update(self) -> None:
        problem = self.problem_text
        if not problem and self.wrong:
            problem = next(iter(self.wrong.values()))
        if not problem and self.pending != self.saved and self.profile_id:
            try:
                ops.profile.merged(self.profile_id, self.pending)
            except UserError as exc:
                problem = f"这样调整后规则不成立:{exc}"
        self.problem.setText(problem)
        editable = self.session.can("rules") and bool(self.profile_id)
        dirty = self.pending != self.saved or bool(self.wrong)
        self.save_button.setEnabled(editable and not problem and self.pending != self.saved)
        self.revert_button.setEnabled(dirty)
        self.reset_button.setEnabled(editable and bool(self.saved))
        self.import_button.setEnabled(editable)
        self.export_button.setEnabled(bool(self.profile_id))

    def _filter(self, text: str) -> None:
        words = text.strip()
        for i in range(self.tree.topLevelItemCount()):
            self._filter_item(self.tree.topLevelItem(i), words)

    def _filter_item(self, item: QTreeWidgetItem, words: str) -> bool:
        own = not words or any(words in item.text(c) for c in range(4))
        shown = False
        for i in range(item.childCount()):
            shown = self._filter_item(item.child(i), "" if own and item.childCount() and words else words) or shown
        visible = own or shown
        item.setHidden(not visible)
        if words and shown:
            item.setExpanded(True)
        return visible

    # ------------------------------------------------------------------ commands
    def save(self) -> None:
        if self.session.run(self, ops.profile.save_overrides, dict(self.pending)) is not None:
            self.reload()

    def reset(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "恢复预设",
                          f"删除本单位对规则的全部 {len(self.saved)} 项调整,回到规则预设?(可再导入已导出的调整文件)",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText("恢复预设")
        box.button(QMessageBox.StandardButton.Cancel).setText("取消")
        if box.exec() == QMessageBox.StandardButton.Yes and \
                self.session.run(self, ops.profile.reset_to_preset) is not None:
            self.reload()

    def export(self, path: str | Path | None = None) -> Path | None:
        if path is None:
            chosen, _f = QFileDialog.getSaveFileName(self, "导出规则调整", f"规则调整-{self.profile_id}.toml",
                                                     "规则调整文件 (*.toml)")
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        text = ops.profile.export_text(self.session.store)
        try:  # as every export: whole or not at all, readable by the user only
            save_atomically(lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), target, "编辑器")
        except UserError as exc:
            show_error(self, str(exc), "无法导出")
            return None
        return target

    def import_file(self, path: str | Path | None = None) -> bool:
        if path is None:
            chosen, _f = QFileDialog.getOpenFileName(self, "导入规则调整", "", "规则调整文件 (*.toml)")
            if not chosen:
                return False
            path = chosen
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            show_error(self, f"无法读取 {path}({exc}):请选择由“导出…”保存的 UTF-8 文件。", "无法导入")
            return False
        if self.session.run(self, ops.profile.import_overrides, text) is None:
            return False
        self.reload()
        return True


class RulesPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.editor = ProfileEditor(session)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.view, "规则全文")
        self.tabs.addTab(self.editor, "调整规则")
        note = QLabel("规则预设来自各地政府工作规则原文,每条注明条款;本单位可在“调整规则”中修改,修改记入审计日志,可随时恢复预设。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        session.changed.connect(self._changed)
        self.reload()

    def _changed(self, changes) -> None:
        if changes.touches(Entity.org, Entity.profile):
            self.reload()
            self.editor.reload()

    def reload(self) -> None:
        profile = self.session.profile
        self.view.setHtml(render(profile) if profile else "<p>尚未选择规则预设。</p>")
