"""规则 → 调整规则: the office adjusts its profile in the app — an override layer over the preset
(desktop.core.profile_overrides), validated by the profile loader, saved through an audited operation
(desktop.ops.profile), exported to and imported from TOML, reset to the preset; and the rules in
force (CLI, operations, GUI) are the preset with the adjustments."""

from __future__ import annotations

import json
import re

import pytest

from desktop import ops
from desktop.core import profile_overrides as po
from desktop.core.errors import UserError
from desktop.store import audit

# ---------------------------------------------------------------- the override layer (no Qt, no store)

PRESET = ops.profile.preset_data("panzhihua")


def test_fields_come_from_the_preset_with_their_articles():
    by_path = {f.path: f for f in po.fields(PRESET)}
    # 000 art.84: 副市长离攀外出 at least 1 day ahead; its approver; 000 art.81 duty; 000 art.49 deadline
    lead = by_path["chains.deputy_leaves_city.lead_days"]
    assert (lead.preset, lead.article, lead.label, lead.section) == (1, "000 art.84", "提前报告天数", "外出报告与请假流程")
    assert lead.group == "副市长、秘书长离攀外出报告"
    step = by_path["chains.deputy_private_leave_city.steps.0.target"]
    assert step.preset == "role:chief" and step.group.endswith("第1步 向市长请假")
    assert by_path["duty.chief_share"].article == "000 art.81" and by_path["duty.days"].preset == "statutory_days"
    assert by_path["duty.pool"].kind == "list" and by_path["duty.heavy_days.eve"].preset == 3
    assert by_path["deadlines.countersign.days"].article == "000 art.49"
    assert not any(f.key in ("id", "article", "label") for f in by_path.values())


def test_a_key_added_to_the_profiles_later_is_offered_without_a_change_here():
    data = dict(PRESET, duty={**PRESET["duty"], "new_rule_days": 4})
    assert "duty.new_rule_days" in {f.path for f in po.fields(data)}


def test_values_are_parsed_by_the_preset_type_with_chinese_messages():
    assert po.parse_value("3", 1) == 3
    assert po.parse_value("0.5", 1.0) == 0.5
    assert po.parse_value("否", True) is False
    assert po.parse_value("deputy、executive_deputy", ["x"]) == ["deputy", "executive_deputy"]
    with pytest.raises(UserError, match=re.escape("“提前报告天数”请填整数(例如 3),不能是“两天”")):
        po.parse_value("两天", 1, "提前报告天数")
    with pytest.raises(UserError, match="请填“是”或“否”"):
        po.parse_value("也许", True)


def test_apply_changes_a_copy_and_round_trips_through_toml():
    changes = {"duty.chief_share": 0.5, "chains.deputy_leaves_city.lead_days": 2}
    merged = po.apply(PRESET, changes)
    assert merged["duty"]["chief_share"] == 0.5 and PRESET["duty"]["chief_share"] == 1.0
    text = po.dumps("panzhihua", changes)
    assert po.loads(text) == ("panzhihua", changes)
    with pytest.raises(UserError, match=re.escape("没有“duty.nothing”这一项")):
        po.apply(PRESET, {"duty.nothing": 1})


# ---------------------------------------------------------------- the operations

def test_save_is_audited_and_changes_the_rules_in_force(store):
    assert ops.org.profile_of(store).duty.chief_share == 1.0
    result = ops.profile.save_overrides(store, {"duty.chief_share": 0.5, "chains.deputy_leaves_city.lead_days": 2})
    assert result.changes.touches(ops.base.Entity.profile)
    profile = ops.org.profile_of(store)
    assert profile.duty.chief_share == 0.5
    assert next(c for c in profile.chains if c.id == "deputy_leaves_city").lead_days == 2
    row = audit.history(store, "profile", limit=1)[0]
    assert row.action == "override" and row.summary.startswith("调整规则:2 项")
    assert json.loads(row.after) == {"chains.deputy_leaves_city.lead_days": 2, "duty.chief_share": 0.5}


def test_invalid_rules_are_refused_and_nothing_is_written(store):
    head = audit.head(store)
    with pytest.raises(UserError, match="规则调整未保存"):
        ops.profile.save_overrides(store, {"duty.chief_share": 7.0})  # a share is between 0 and 1
    with pytest.raises(UserError, match="规则调整未保存"):
        ops.profile.save_overrides(store, {"duty.days": "some_days"})
    assert audit.head(store) == head and ops.profile.overrides(store) == {}


def test_reset_export_import(store):
    ops.profile.save_overrides(store, {"duty.chief_share": 0.0})
    text = ops.profile.export_text(store)
    assert 'profile = "panzhihua"' in text and '"duty.chief_share" = 0.0' in text
    ops.profile.reset_to_preset(store)
    assert ops.profile.overrides(store) == {} and ops.org.profile_of(store).duty.chief_share == 1.0
    assert audit.history(store, "profile", limit=1)[0].summary.startswith("恢复规则预设")
    ops.profile.import_overrides(store, text)
    assert ops.org.profile_of(store).duty.chief_share == 0.0
    with pytest.raises(UserError, match="是“xiping”预设的"):
        ops.profile.import_overrides(store, po.dumps("xiping", {}))


def test_a_value_put_back_to_the_preset_is_no_override(store):
    ops.profile.save_overrides(store, {"duty.chief_share": 0.5})
    ops.profile.save_overrides(store, {"duty.chief_share": 1.0})
    assert ops.profile.overrides(store) == {}


def test_the_cli_reads_the_adjusted_rules(store, db_path, clock, capsys):
    from desktop.cli import main

    ops.profile.save_overrides(store, {"deadlines.countersign.days": 3})
    store.close()
    assert main(["--json", "--db", str(db_path), "workdays", "add", "2026-09-28", "7"], clock=clock) == 0
    capsys.readouterr()
    from desktop.cli.common import _profile
    from desktop.store.opening import open_store

    again = open_store(db_path, clock)
    try:
        assert next(d for d in _profile(again).deadlines if d.id == "countersign").days == 3
    finally:
        again.close()


# ---------------------------------------------------------------- the 规则 page

@pytest.fixture
def page(qtbot, session):
    from desktop.ui.rules_page import RulesPage

    p = RulesPage(session)
    qtbot.addWidget(p)
    p.show()
    return p


def test_editor_validates_as_typed_saves_and_the_session_uses_it(page, session):
    editor = page.editor
    assert page.tabs.tabText(1) == "调整规则"
    item = editor.item_of("duty.chief_share")
    assert item.text(3) == "第81条" and "《攀枝花市人民政府工作规则》第81条" in item.toolTip(3)
    assert not editor.save_button.isEnabled()
    editor.set_text("duty.chief_share", "一半")
    assert "请填数字" in editor.problem.text() and not editor.save_button.isEnabled()
    editor.set_text("duty.chief_share", "3")  # a number, but the loader refuses it
    assert "这样调整后规则不成立" in editor.problem.text() and not editor.save_button.isEnabled()
    assert ops.profile.overrides(session.store) == {}
    editor.set_text("duty.chief_share", "0.5")
    assert editor.problem.text() == "" and editor.save_button.isEnabled()
    assert item.font(1).bold()  # changed from the preset
    editor.save_button.click()
    assert ops.profile.overrides(session.store) == {"duty.chief_share": 0.5}
    assert session.profile.duty.chief_share == 0.5  # every page reads the new rules
    assert "0.5" in page.view.toPlainText()


def test_editor_export_import_and_reset(page, session, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    editor = page.editor
    editor.set_text("chains.deputy_leaves_city.lead_days", "2")
    editor.save_button.click()
    path = editor.export(tmp_path / "规则调整.toml")
    assert '"chains.deputy_leaves_city.lead_days" = 2' in path.read_text(encoding="utf-8")
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Yes)
    editor.reset_button.click()
    assert ops.profile.overrides(session.store) == {}
    assert editor.item_of("chains.deputy_leaves_city.lead_days").text(1) == "1"
    assert editor.import_file(path)
    assert ops.profile.overrides(session.store) == {"chains.deputy_leaves_city.lead_days": 2}
    assert editor.item_of("chains.deputy_leaves_city.lead_days").text(1) == "2"


def test_editor_search_filters(page):
    editor = page.editor
    editor.search.setText("份额")
    shown = [it for it in editor.items() if not it.isHidden()]
    assert [it.data(0, 256).path for it in shown] == ["duty.chief_share"]
