"""GUI tests of travel reports and leave: the lazy list, the record form, the actions, 今日在岗.

The demo government (desktop.store.demo) at 2026-11-21 09:30 (conftest's FixedClock): 王建国 市长,
李志强 常务副市长, AB pairs 张丽华–周晓燕, 陈明–刘海峰, 赵雪梅–孙卫东. Records are written through
the store API, except the 5,000 rows of the lazy-loading test (bulk SQL: the API checks each one).
"""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop import ops
from desktop.app import configure_app
from desktop.core.absence import Absence, AbsenceState, DisplayState, Half
from desktop.core.profile import StepAction
from desktop.core.roles import AbsenceKind
from desktop.ops.base import Changes, Entity
from desktop.store import absences, people
from desktop.store.absences import AbsenceQuery, absence_ids
from desktop.ui.absence_form import AbsenceForm
from desktop.ui.absence_model import (
    COL_NAME,
    COL_REPORTED,
    COL_STATE,
    AbsenceListModel,
    Roles,
    RowSource,
)
from desktop.ui.absences_page import AbsencesPage, ExtendDialog, ReasonDialog, ReturnDialog, StepDialog
from desktop.ui.session import Session
from desktop.ui.today_page import DesignateDialog, OverrideDialog, TodayPage

D = dt.date
TODAY = D(2026, 11, 21)
NOW = dt.datetime(2026, 11, 21, 9, 30)
EARLY = dt.datetime(2026, 11, 1, 9, 0)  # reported well ahead: no late-report finding


def pid(session, name: str) -> int:
    return people.find_person(session.store, name).id


def add(session, name, kind, start, end, *, dest="", reported=EARLY, submit=True, **kw) -> Absence:
    leaves = kw.pop("leaves", kind in (AbsenceKind.trip, AbsenceKind.abroad, AbsenceKind.study))
    draft = Absence(id=None, person_id=pid(session, name), kind=kind, start=start, end=end, destination=dest,
                    leaves_jurisdiction=leaves, reported_at=reported, **kw)
    return ops.absences.add_absence(session.store, session.profile, draft, submit=submit).value.record


def trip(session, name, start, end, dest="北京", **kw) -> Absence:
    return add(session, name, AbsenceKind.trip, start, end, dest=dest, **kw)


def finish(session, record: Absence) -> None:
    """Do every step of the record's chain (each by its assignee, office steps by the operator)."""
    for step in absences.steps_of(session.store, record.id):
        ops.absences.advance_absence(session.store, record.id, step.assignee_name or session.store.operator)


def accept_with(monkeypatch, cls, setup=lambda dialog: None):
    """Make `cls.exec()` fill the dialog with `setup` and accept it, without showing it."""

    def fake_exec(dialog):
        setup(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(cls, "exec", fake_exec)


@pytest.fixture
def page(qtbot, session):
    p = AbsencesPage(session)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def names(page) -> list[str]:
    return [page.model.index(r, COL_NAME).data() for r in range(page.model.rowCount())]


def filter_and_wait(page) -> None:
    page.apply_filters()  # what the debounce timer calls


# --------------------------------------------------------------------------- the lazy model


def test_model_passes_the_model_tester(qtmodeltester, session):
    trip(session, "张丽华", D(2026, 11, 25), D(2026, 11, 27))
    add(session, "周晓燕", AbsenceKind.vacation, D(2026, 11, 20), D(2026, 11, 22))
    trip(session, "陈明", D(2026, 11, 10), D(2026, 11, 12), dest="成都", reported=NOW)
    source = RowSource(session.store, session.profile)
    model = AbsenceListModel(source.fetch, page_size=2)
    model.set_ids(absence_ids(session.store, AbsenceQuery(), TODAY))
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def bulk_insert(store, person_ids: list[int], n: int) -> None:
    """n records (one day each, in the past, approved/returned/cancelled) straight into the table."""
    stamp = NOW.isoformat(timespec="seconds")
    rows = []
    for i in range(n):
        day = D(2010, 1, 1) + dt.timedelta(days=i // len(person_ids))
        state = ("approved", "returned", "cancelled")[i % 3]
        rows.append((person_ids[i % len(person_ids)], "trip", day.isoformat(), day.isoformat(), f"城市{i % 50}",
                     f"事由{i}", 1, (day - dt.timedelta(days=3)).isoformat() + "T09:00", state, stamp, stamp))
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO absence (person_id, kind, start, end, destination, reason, leaves_jurisdiction,"
            " reported_at, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def test_list_of_5000_records_reads_only_the_first_screen(qtbot, session):
    ids = [p.id for p in people.list_people(session.store)][:30]
    bulk_insert(session.store, ids, 5000)
    page = AbsencesPage(session)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.wait(10)
    model = page.model
    assert model.rowCount() == 5000
    assert page.count_label.text() == "共 5,000 条"
    assert model.rows_fetched < 1000 and model.page_loads == 1  # one page of 200 for the first screen
    first_screen = model.rows_fetched
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.page_loads >= 2, timeout=10_000)  # the view asks for the last rows
    assert model.page_loads == 2 and model.rows_fetched == first_screen + 200
    assert model.cached_rows() == 400
    # newest first: the last rows are from 2010-01-01
    assert model.row_at(4999).record.start == D(2010, 1, 1)


# --------------------------------------------------------------------------- filters and search


def test_filters_and_search_narrow_the_list(page, session):
    zhang = trip(session, "张丽华", D(2026, 11, 25), D(2026, 11, 27))  # 审批中
    zhou = add(session, "周晓燕", AbsenceKind.vacation, D(2026, 11, 20), D(2026, 11, 22))  # 外出中 once done
    finish(session, zhou)
    chen = trip(session, "陈明", D(2026, 11, 10), D(2026, 11, 12), dest="成都")  # 逾期未销假 once done
    finish(session, chen)
    trip(session, "刘海峰", D(2026, 10, 8), D(2026, 10, 9), dest="上海", reason="招商推介")
    page.reload()  # the store API does not emit session.changed; Session.run does
    assert len(names(page)) == 4
    assert names(page) == ["张丽华", "周晓燕", "陈明", "刘海峰"]  # newest start first

    page.person_filter.setCurrentIndex(page.person_filter.findData(zhang.person_id))
    assert names(page) == ["张丽华"]
    page.person_filter.setCurrentIndex(0)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(AbsenceKind.vacation.value))
    assert names(page) == ["周晓燕"]
    page.kind_filter.setCurrentIndex(0)

    page.state_filter.setCurrentIndex(page.state_filter.findData(DisplayState.underway.value))
    assert names(page) == ["周晓燕"]
    assert page.model.index(0, COL_STATE).data() == "外出中"
    page.state_filter.setCurrentIndex(page.state_filter.findData(DisplayState.overdue_return.value))
    assert names(page) == ["陈明"]
    assert page.model.index(0, COL_STATE).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    page.state_filter.setCurrentIndex(page.state_filter.findData(DisplayState.in_progress.value))
    assert names(page) == ["张丽华", "刘海峰"]
    page.state_filter.setCurrentIndex(0)

    page.month_edit.setDate(page.month_edit.date().addMonths(-1))  # October 2026
    page.month_check.setChecked(True)
    assert names(page) == ["刘海峰"]
    page.month_check.setChecked(False)

    page.search.setText("成都")  # QTest cannot type non-ASCII: setText, then the debounce fires
    filter_and_wait(page)
    assert names(page) == ["陈明"]
    page.search.setText("招商")
    filter_and_wait(page)
    assert names(page) == ["刘海峰"]
    page.search.setText("晓燕")
    filter_and_wait(page)
    assert names(page) == ["周晓燕"]
    assert page.count_label.text() == "显示 1 条(共 4 条)"
    page.search.setText("100%_")
    filter_and_wait(page)
    assert names(page) == []


def test_search_waits_for_the_typing_to_stop(page, session, qtbot):
    trip(session, "张丽华", D(2026, 11, 25), D(2026, 11, 27))
    trip(session, "陈明", D(2026, 11, 10), D(2026, 11, 12), dest="成都")
    page.reload()
    page.search.setText("成都")
    assert len(names(page)) == 2  # not yet
    qtbot.waitUntil(lambda: names(page) == ["陈明"], timeout=10_000)


def test_list_shows_late_and_urgent_tags_and_the_rule_actor(page, session):
    trip(session, "张丽华", D(2026, 11, 21), D(2026, 11, 23), reported=NOW)
    trip(session, "陈明", D(2026, 11, 21), D(2026, 11, 23), reported=NOW, urgent=True)
    page.reload()
    zhang, chen = page.model.row_at(1), page.model.row_at(0)
    assert {zhang.name, chen.name} == {"张丽华", "陈明"}
    by_name = {page.model.index(r, COL_NAME).data(): r for r in range(2)}
    reported = page.model.index(by_name["张丽华"], COL_REPORTED)
    assert reported.data() == "2026-11-21 09:30  迟报"
    assert "至迟于2026年11月20日报告" in reported.data(Qt.ItemDataRole.ToolTipRole)
    assert page.model.index(by_name["陈明"], COL_REPORTED).data() == "2026-11-21 09:30  紧急"
    assert page.model.index(by_name["张丽华"], 7).data() == "周晓燕(AB角)"


# --------------------------------------------------------------------------- the record form


@pytest.fixture
def form(qtbot, session):
    f = AbsenceForm(session)
    qtbot.addWidget(f)
    return f


def fill(form, session, name, start, end, *, dest="北京", kind=AbsenceKind.trip, reported=None):
    form.person.setCurrentIndex(form.person.findData(pid(session, name)))
    form.kind.setCurrentIndex(form.kind.findData(kind.value))
    form.start.setDate(form.start.date().addDays((start - TODAY).days))
    form.end.setDate(form.start.date().addDays((end - start).days))
    form.destination.setText(dest)
    if reported is not None:
        from PySide6.QtCore import QDate, QDateTime, QTime

        form.reported_at.setDateTime(QDateTime(QDate(reported.year, reported.month, reported.day),
                                               QTime(reported.hour, reported.minute)))
    form.refresh_now()


def test_form_shows_the_ab_partner_acting_for_a_deputy_and_the_chain(form, session):
    fill(form, session, "张丽华", D(2026, 11, 25), D(2026, 11, 27), reported=dt.datetime(2026, 11, 20, 16, 0))
    assert form.leaves.isChecked() and form.leaves.text().startswith("离攀")
    assert [line.text for line in form.acting_lines] == ["副市长 周晓燕:AB角,代行部分政务活动职责〔第六十一条〕"]
    assert not form.acting_lines[0].gap
    text = form.preview_view.toPlainText()
    assert "1. 报告市长或常务副市长 — 市长 王建国" in text
    assert "2. 外出活动安排及代行职责的领导向市政府办公室备案 — 市政府办公室" in text
    assert "未发现问题" in text and form.save_button.isEnabled()


def test_form_shows_the_executive_deputy_for_the_chief(form, session):
    fill(form, session, "王建国", D(2026, 11, 25), D(2026, 11, 26), reported=dt.datetime(2026, 11, 20, 16, 0))
    assert form.acting_lines[0].text.startswith("常务副市长 李志强:代行市长职责,受市长委托,代行市长职责")


def test_form_shows_the_late_report_violation_for_a_same_day_report(form, session):
    fill(form, session, "张丽华", TODAY, D(2026, 11, 23))  # reported now: 2026-11-21 09:30
    severity, message, article = form.warnings()[0]
    assert (severity, article) == ("violation", "000 art.84")
    assert "至迟于2026年11月20日报告" in message
    text = form.preview_view.toPlainText()
    assert "[违规]" in text and "〔第八十四条〕" in text
    assert form.save_button.isEnabled()  # a warning, not a refusal
    form.urgent.setChecked(True)
    form.refresh_now()
    assert [w[0] for w in form.warnings()] == ["info"]  # 因紧急事项临时外出: reported promptly


def test_form_shows_a_gap_when_the_ab_partner_is_away_too(form, session):
    add(session, "周晓燕", AbsenceKind.vacation, D(2026, 11, 26), D(2026, 11, 30))
    fill(form, session, "张丽华", D(2026, 11, 25), D(2026, 11, 27), reported=dt.datetime(2026, 11, 20, 16, 0))
    lines = [(line.days, line.text, line.gap) for line in form.acting_lines]
    assert lines == [("11月25日", "副市长 周晓燕:AB角,代行部分政务活动职责〔第六十一条〕", False),
                     ("11月26日至27日", "AB角同时外出,需办公室指定", True)]


def test_form_shows_the_not_together_warning(form, session):
    trip(session, "王建国", D(2026, 11, 25), D(2026, 11, 26), dest="成都")
    fill(form, session, "李志强", D(2026, 11, 26), D(2026, 11, 27), reported=dt.datetime(2026, 11, 20, 16, 0))
    assert any(sev == "warning" and "同时外出" in msg and art == "000 art.84" for sev, msg, art in form.warnings())


def test_form_refuses_an_overlapping_record(form, session):
    other = trip(session, "张丽华", D(2026, 11, 25), D(2026, 11, 27), dest="上海")
    fill(form, session, "张丽华", D(2026, 11, 26), D(2026, 11, 28))
    assert not form.save_button.isEnabled() and not form.draft_button.isEnabled()
    assert form.problem.isVisibleTo(form)
    assert f"编号 {other.id}" in form.problem.text() and "与本次时间重叠" in form.problem.text()
    assert "出差 上海" in form.problem.text()
    form.start.setDate(form.start.date().addDays(2))  # 11-28: after the other record
    form.refresh_now()
    assert form.save_button.isEnabled() and not form.problem.text()


def test_form_refuses_an_end_before_the_start_and_a_missing_destination(form, session):
    fill(form, session, "张丽华", D(2026, 11, 25), D(2026, 11, 25))
    form.end.setDate(form.start.date().addDays(-1))
    form.refresh_now()
    assert not form.save_button.isEnabled() and "早于开始日期" in form.problem.text()
    form.end.setDate(form.start.date())
    form.destination.setText("")
    form.refresh_now()
    assert not form.save_button.isEnabled() and "目的地" in form.problem.text()


def test_form_previews_while_typing_after_a_pause(form, session, qtbot):
    fill(form, session, "张丽华", D(2026, 11, 25), D(2026, 11, 27), reported=dt.datetime(2026, 11, 20, 16, 0))
    trip(session, "张丽华", D(2026, 12, 1), D(2026, 12, 2))
    form.end.setDate(form.end.date().addDays(5))  # into the other record
    assert form.save_button.isEnabled()  # the preview waits for the typing to stop
    qtbot.waitUntil(lambda: not form.save_button.isEnabled(), timeout=10_000)


def test_form_defaults(form, session):
    assert form.reported_at.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-21 09:30"
    form.kind.setCurrentIndex(form.kind.findData(AbsenceKind.personal.value))
    assert not form.leaves.isChecked()
    form.kind.setCurrentIndex(form.kind.findData(AbsenceKind.study.value))
    assert form.leaves.isChecked()
    form.kind.setCurrentIndex(form.kind.findData(AbsenceKind.abroad.value))
    assert form.leaves.isChecked() and not form.leaves.isEnabled()
    form.person.setCurrentIndex(form.person.findData(pid(session, "陈明")))
    assert form.contact.text() == people.find_person(session.store, "陈明").phone
    assert form.acting.text() == "按规则自动确定"
    form.set_acting([pid(session, "赵雪梅")])
    assert form.acting.text() == "赵雪梅"
    assert form.draft().acting_ids == (pid(session, "赵雪梅"),)


def test_form_saves_a_record_in_approval_with_its_steps(form, session):
    seen = []
    session.changed.connect(seen.append)
    fill(form, session, "张丽华", D(2026, 11, 25), D(2026, 11, 27), reported=dt.datetime(2026, 11, 20, 16, 0))
    form.reason.setText("参加全国会议")
    form.save_button.click()
    assert form.result() == QDialog.DialogCode.Accepted and [c.entities for c in seen] == [{Entity.absence}]
    record = absences.get_absence(session.store, form.saved.record.id)
    assert record.state is AbsenceState.in_progress and record.reason == "参加全国会议"
    assert record.reported_at == dt.datetime(2026, 11, 20, 16, 0)
    steps = absences.steps_of(session.store, record.id)
    assert [(s.label, s.target_text) for s in steps] == [("报告市长或常务副市长", "市长"),
                                                         ("外出活动安排及代行职责的领导向市政府办公室备案", "市政府办公室")]


def test_form_saves_a_draft(form, session):
    fill(form, session, "张丽华", D(2026, 11, 25), D(2026, 11, 27))
    form.draft_button.click()
    assert form.saved.record.state is AbsenceState.draft
    assert absences.steps_of(session.store, form.saved.record.id) == []


# --------------------------------------------------------------------------- the page's actions


def test_advancing_a_step_moves_the_pending_count(page, session, monkeypatch):
    records = [trip(session, n, D(2026, 11, 25), D(2026, 11, 26)) for n in ("张丽华", "陈明", "赵雪梅")]
    page.reload()
    assert page.pending_rows() == ["待向市长报告:3"]
    assert page.select_id(records[1].id)
    assert page.actions["advance"].isEnabled() and not page.actions["return"].isEnabled()
    offered = []

    def setup(dialog):
        offered.extend(dialog.who.itemText(i) for i in range(dialog.who.count()))
        dialog.comment.setText("同意")

    accept_with(monkeypatch, StepDialog, setup)
    page.actions["advance"].trigger()
    assert offered == ["王建国"]
    assert page.pending_rows() == ["待向市长报告:2", "待向市政府办公室报备:1"]
    steps = absences.steps_of(session.store, records[1].id)
    assert (steps[0].done_by, steps[0].comment) == ("王建国", "同意")
    assert page.selected_id() == records[1].id  # the selection survives the reload
    offered.clear()
    page.actions["advance"].trigger()  # the office step: sign-in is off, the office is offered (never the login name)
    assert offered == [session.org.name]
    assert page.pending_rows() == ["待向市长报告:2"]
    assert absences.get_absence(session.store, records[1].id).state is AbsenceState.approved


def test_clicking_a_pending_row_filters_the_list(page, session):
    zhang = trip(session, "张丽华", D(2026, 11, 25), D(2026, 11, 26))
    he = trip(session, "何振华", D(2026, 11, 25), D(2026, 11, 26))  # supervisor: 李志强
    add(session, "周晓燕", AbsenceKind.vacation, D(2026, 11, 20), D(2026, 11, 22))
    page.reload()
    rows = page.pending_rows()
    assert "待分管领导 李志强批准:1" in rows and "待市长批准:1" in rows and "待向市长报告:1" in rows
    item = next(page.pending_list.item(i) for i in range(page.pending_list.count())
                if page.pending_list.item(i).text() == "待分管领导 李志强批准:1")
    page.pending_list.itemClicked.emit(item)
    assert [page.model.index(r, 0).data(Roles.AbsenceId) for r in range(page.model.rowCount())] == [he.id]
    assert page.filter_label.text() == "仅显示:待分管领导 李志强批准"
    page.filter_pending("市长", StepAction.report)
    assert [page.model.index(r, 0).data(Roles.AbsenceId) for r in range(page.model.rowCount())] == [zhang.id]
    page.clear_filter_button.click()
    assert page.model.rowCount() == 3 and page.filter_label.text() == ""


def test_reject_needs_a_reason(page, session, monkeypatch):
    record = trip(session, "张丽华", D(2026, 11, 25), D(2026, 11, 26))
    page.reload()
    page.select_id(record.id)
    steps = absences.steps_of(session.store, record.id)
    dialog = StepDialog("x", steps, ops.absences.step_doers(session.store, steps), reject=True)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled() and "理由" in dialog.problem.text()
    dialog.comment.setText("行程与常务会议冲突")
    assert ok.isEnabled()
    dialog.deleteLater()
    accept_with(monkeypatch, StepDialog, lambda d: d.comment.setText("行程与常务会议冲突"))
    page.actions["reject"].trigger()
    saved = absences.get_absence(session.store, record.id)
    assert saved.state is AbsenceState.rejected and saved.state_note == "行程与常务会议冲突"
    assert page.model.index(page.model.row_of(record.id), COL_STATE).data() == "已退回"
    assert page.pending_rows() == []


def test_return_withdraw_and_cancel(page, session, monkeypatch):
    away = add(session, "周晓燕", AbsenceKind.vacation, D(2026, 11, 18), D(2026, 11, 24))
    finish(session, away)
    later = trip(session, "张丽华", D(2026, 12, 1), D(2026, 12, 2))
    planned = trip(session, "陈明", D(2026, 12, 5), D(2026, 12, 6))
    finish(session, planned)
    page.reload()

    page.select_id(away.id)
    assert page.actions["return"].isEnabled() and not page.actions["cancel"].isEnabled()
    accept_with(monkeypatch, ReturnDialog, lambda d: d.on.setDate(d.on.date().addDays(-1)))  # back on the 20th
    page.actions["return"].trigger()
    saved = absences.get_absence(session.store, away.id)
    assert saved.state is AbsenceState.returned and saved.actual_return == D(2026, 11, 20)

    page.select_id(later.id)
    accept_with(monkeypatch, ReasonDialog, lambda d: d.reason.setText("会议延期"))
    page.actions["withdraw"].trigger()
    saved = absences.get_absence(session.store, later.id)
    assert saved.state is AbsenceState.withdrawn and saved.state_note == "会议延期"

    page.select_id(planned.id)
    assert page.actions["cancel"].isEnabled() and not page.actions["return"].isEnabled()
    page.actions["cancel"].trigger()
    assert absences.get_absence(session.store, planned.id).state is AbsenceState.cancelled


def test_new_record_through_the_page(page, session, monkeypatch):
    def exec_form(form):
        fill(form, session, "陈明", D(2026, 11, 25), D(2026, 11, 26))
        form.save_button.click()
        return form.result()

    monkeypatch.setattr(AbsenceForm, "exec", exec_form)
    page.actions["add"].trigger()
    assert names(page) == ["陈明"] and page.selected_id() is not None
    assert page.pending_rows() == ["待向市长报告:1"]


def test_steps_dialog_shows_who_when_and_the_substitution(page, session, monkeypatch):
    # 王建国 is away on the report date: the approval goes to 李志强 (000 art.10)
    trip(session, "王建国", D(2026, 11, 20), D(2026, 11, 23), dest="成都")
    record = add(session, "张丽华", AbsenceKind.personal, D(2026, 11, 25), D(2026, 11, 25), reported=NOW)
    ops.absences.advance_absence(session.store, record.id, "李志强", comment="同意")
    page.reload()
    page.select_id(record.id)
    shown = []
    monkeypatch.setattr("desktop.ui.absences_page.StepsDialog.exec", lambda d: shown.append(d.view.toPlainText()))
    page.actions["steps"].trigger()
    text = shown[0]
    assert "市长外出,由常务副市长李志强代为审批" in text
    assert "[已办] 李志强(代市长) 2026-11-21 09:30 意见:同意" in text
    assert "[待办]" in text
    assert "市长外出,由常务副市长李志强代为审批" in page.detail.toPlainText()


def test_print_and_notification_call_the_printing_module(page, session, monkeypatch):
    record = trip(session, "张丽华", D(2026, 11, 25), D(2026, 11, 26))
    page.reload()
    page.select_id(record.id)
    calls = []
    fake = types.ModuleType("desktop.ui.printing")
    fake.preview_approval_form = lambda s, rid, parent: calls.append(("form", rid, parent))
    fake.show_notification = lambda s, rid, parent: calls.append(("notice", rid, parent))
    monkeypatch.setitem(sys.modules, "desktop.ui.printing", fake)
    page.actions["print"].trigger()
    page.actions["notify"].trigger()
    assert calls == [("form", record.id, page), ("notice", record.id, page)]


# --------------------------------------------------------------------------- 今日在岗


@pytest.fixture
def today(qtbot, session):
    p = TodayPage(session)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    return p


def board(page) -> dict[str, list[str]]:
    t = page.table
    return {t.item(r, 0).text(): [t.item(r, c).text() for c in range(1, t.columnCount())] for r in range(t.rowCount())}


def test_today_shows_a_deputys_trip_with_the_ab_partner_acting(today, session):
    assert today.title.text() == "2026年11月21日 星期六(今天)"
    assert list(board(today))[:3] == ["王建国", "李志强", "张丽华"]  # protocol order
    trip(session, "张丽华", D(2026, 11, 20), D(2026, 11, 23), contact="13800000000")
    today.refresh()
    rows = board(today)
    assert rows["张丽华"] == ["副市长", "外出:出差 北京(审批中)", "周晓燕(AB角)", "13800000000(外出期间)"]
    assert rows["周晓燕"][1] == "在岗 · 代行张丽华的职责"
    assert rows["王建国"][1] == "在岗"
    assert today.gap_boxes == [] and "外出 1 人" in today.summary.text()


def test_today_shows_the_executive_deputy_for_the_chief_and_half_days(today, session):
    trip(session, "王建国", D(2026, 11, 21), D(2026, 11, 22), dest="成都")
    add(session, "赵雪梅", AbsenceKind.personal, D(2026, 11, 21), D(2026, 11, 21), start_half=Half.pm)
    today.refresh()
    rows = board(today)
    assert rows["王建国"][1:3] == ["外出:出差 成都(审批中)", "李志强(代行市长职责)"]
    assert rows["赵雪梅"][1:3] == ["请假:因私请假(下午)(审批中)", "孙卫东(AB角,下午)"]


def test_today_date_navigation(today, session):
    trip(session, "张丽华", D(2026, 11, 22), D(2026, 11, 22))
    today.refresh()
    assert board(today)["张丽华"][1] == "在岗"
    today.next_button.click()
    assert today.day() == D(2026, 11, 22) and board(today)["张丽华"][1].startswith("外出")
    today.today_button.click()
    assert today.day() == TODAY


def test_today_shows_a_gap_that_disappears_after_designation(today, session, monkeypatch):
    trip(session, "张丽华", D(2026, 11, 20), D(2026, 11, 23))
    add(session, "周晓燕", AbsenceKind.vacation, D(2026, 11, 21), D(2026, 11, 22))
    session.changed.emit(Changes.of(Entity.absence))  # what Session.run emits after a write
    assert len(today.gap_boxes) == 1
    gap, box = today.gap_boxes[0]
    assert {p.name for p in gap.absent} == {"张丽华", "周晓燕"}
    assert "互为AB角,同时外出" in box.label.text() and "第六十一条" in box.label.text()
    assert box.isVisibleTo(today) and box.button.text() == "指定代行…"
    assert board(today)["张丽华"][2] == "缺位:需办公室指定"
    chosen = {}

    def setup(dialog):
        chosen["designee"] = dialog.designee.currentText()
        chosen["range"] = (dialog.date_from.date().toString("MM-dd"), dialog.date_to.date().toString("MM-dd"))
        dialog.reason.setText("同时外出,由办公室协调")

    accept_with(monkeypatch, DesignateDialog, setup)
    box.button.click()
    assert chosen == {"designee": "李志强(常务副市长)(建议)", "range": ("11-21", "11-22")}
    assert today.gap_boxes == []
    rows = board(today)
    assert rows["张丽华"][2] == "李志强(办公室指定)" and rows["周晓燕"][2] == "李志强(办公室指定)"
    assert rows["李志强"][1] == "在岗 · 代行张丽华、周晓燕的职责"
    today.step(2)  # 11-23: 周晓燕 is back and acts again
    assert board(today)["张丽华"][2] == "周晓燕(AB角)"


def test_today_not_together_warning_with_a_recorded_reason(today, session, monkeypatch):
    trip(session, "王建国", D(2026, 11, 21), D(2026, 11, 22), dest="成都")
    trip(session, "李志强", D(2026, 11, 21), D(2026, 11, 21), dest="成都")
    today.refresh()
    warning, box = today.warning_boxes[0]
    assert "同时外出" in box.label.text() and "第八十四条" in box.label.text()
    assert box.button.text() == "记录理由…"
    accept_with(monkeypatch, OverrideDialog, lambda d: d.reason.setText("共同参加全省经济工作会议"))
    box.button.click()
    warning, box = today.warning_boxes[0]
    assert warning.overridden and box.button is None and "共同参加全省经济工作会议" in box.label.text()


def test_today_page_without_people(qtbot, store, qapp):
    configure_app(qapp)
    page = TodayPage(Session(store))
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0 and "政府领导 0 人" in page.summary.text()


def test_a_draft_is_submitted_from_the_list(page, session):
    draft = add(session, "张丽华", AbsenceKind.trip, D(2026, 12, 14), D(2026, 12, 15), dest="北京", submit=False)
    page.reload()
    page.select_id(draft.id)
    assert page.actions["submit"].isEnabled() and not page.actions["advance"].isEnabled()
    page.actions["submit"].trigger()
    assert absences.get_absence(session.store, draft.id).state is AbsenceState.in_progress
    page.select_id(draft.id)
    assert not page.actions["submit"].isEnabled() and page.actions["advance"].isEnabled()


def test_extend_from_the_list(page, session, monkeypatch):
    planned = trip(session, "陈明", D(2026, 12, 5), D(2026, 12, 6))
    finish(session, planned)
    page.reload()
    page.select_id(planned.id)
    assert page.actions["extend"].isEnabled()
    accept_with(monkeypatch, ExtendDialog, lambda d: (d.end.setDate(d.end.date().addDays(1)), d.reason.setText("会议延长")))
    page.actions["extend"].trigger()
    saved = absences.get_absence(session.store, planned.id)
    assert (saved.end, saved.original_end) == (D(2026, 12, 7), D(2026, 12, 6))


def test_000第10条_市长今天外出_待办和流程显示常务副市长代办(page, session):
    """000 art.84 向市长请假, filed while 王建国 was present; he is away today (000 art.10): the 待办
    row, its filter, the record's steps and the 办理 choices name 李志强 acting for him."""
    leave = add(session, "张丽华", AbsenceKind.personal, D(2026, 11, 25), D(2026, 11, 25), reported=EARLY, leaves=False)
    page.reload()
    assert "待市长批准:1" in page.pending_rows()
    trip(session, "王建国", TODAY, D(2026, 11, 23), dest="成都", reported=NOW)
    page.reload()
    rows = page.pending_rows()
    assert "待常务副市长 李志强(代市长)批准:1" in rows and "待市长批准:1" not in rows
    item = next(page.pending_list.item(i) for i in range(page.pending_list.count())
                if page.pending_list.item(i).text() == "待常务副市长 李志强(代市长)批准:1")
    page.pending_list.itemClicked.emit(item)
    assert [page.model.index(r, 0).data(Roles.AbsenceId) for r in range(page.model.rowCount())] == [leave.id]
    assert page.filter_label.text() == "仅显示:待常务副市长 李志强(代市长)批准"
    page.select_id(leave.id)
    assert "市长外出,由常务副市长李志强代为审批" in page.detail.toPlainText()
    steps = ops.absences.steps_today(session.store, session.profile, leave.id)
    dialog = StepDialog("x", steps, ops.absences.step_doers(session.store, steps), reject=False)
    assert [dialog.who.itemText(i) for i in range(dialog.who.count())] == ["李志强", "王建国"]
    assert not dialog.who.isEditable()  # a leader's step: one of the leaders who may do it


def test_只待备案的记录_可以延期和取消(page, session, monkeypatch):
    """000 art.84: the mayor's trip waits only for the office's filing — 延期 and 取消 are enabled
    (like 销假), an approval still pending keeps them off."""
    mayor = trip(session, "王建国", D(2026, 12, 5), D(2026, 12, 6))
    assert mayor.state is AbsenceState.in_progress
    waiting = add(session, "张丽华", AbsenceKind.personal, D(2026, 12, 7), D(2026, 12, 7))  # 向市长请假
    page.reload()
    page.select_id(waiting.id)
    assert absences.steps_of(session.store, waiting.id)[0].action is StepAction.approve
    assert not page.actions["extend"].isEnabled() and not page.actions["cancel"].isEnabled()
    page.select_id(mayor.id)
    assert page.actions["extend"].isEnabled() and page.actions["cancel"].isEnabled()
    assert not page.actions["return"].isEnabled()  # not started yet
    accept_with(monkeypatch, ReasonDialog, lambda d: d.reason.setText("行程取消"))
    page.actions["cancel"].trigger()
    assert absences.get_absence(session.store, mayor.id).state is AbsenceState.cancelled
