"""Tampering with the database file by hand, as issue 16 tried it: each case on a copy of one database,
edited with plain sqlite3 (what the `sqlite3` shell does), then `dutydesk audit verify` (desktop.cli.main,
text and --json) must fail with the finding that names the change.

The README's table "审计日志能发现什么" lists these cases; a case it says is not detected is not here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop import ops
from desktop.cli import main
from desktop.core.absence import Absence
from desktop.core.clock import FixedClock
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind
from desktop.resources import available_profiles
from desktop.store import anchors
from desktop.store import audit as audit_rows
from desktop.store import people as people_rows
from desktop.store.opening import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)
ADMIN, ADMIN_PASSWORD = "guanli", "Guanli-2026-mima"
VIEWER = "xiaowang"


def _build(path: Path, accounts: bool) -> dict:
    clock = FixedClock(NOW)
    store = open_store(path, clock, operator="测试员")
    ops.org.populate(store, available_profiles())
    profile = ops.org.profile_of(store)
    ids = {name: pid for pid, name in store.conn.execute("SELECT id, name FROM person")}
    absences = []
    for i, name in enumerate(["张丽华", "陈明", "刘海峰", "赵雪梅"]):
        draft = Absence(id=None, person_id=ids[name], kind=AbsenceKind.trip, start=dt.date(2026, 12, 1 + 5 * i),
                        end=dt.date(2026, 12, 3 + 5 * i), destination="北京", reason="汇报工作",
                        leaves_jurisdiction=True, reported_at=NOW - dt.timedelta(days=3))
        absences.append(ops.absences.add_absence(store, profile, draft).value.record.id)
    if accounts:
        ops.operators.add_operator(store, ADMIN, ADMIN_PASSWORD, "admin", "管理员甲")
        ops.operators.authenticate(store, ADMIN, ADMIN_PASSWORD)
        ops.operators.add_operator(store, VIEWER, "Xiaowang-2026-mima", "viewer", "小王")
    for i in range(25):  # the last 20 audit rows are all data changes
        p = people_rows.get_person(store, ids["杨帆"])
        draft = PersonDraft(name=p.name, role=p.role, title=p.title, phone=f"1380000{i:04d}", unit=p.unit,
                            rank=p.rank, active=p.active, note=p.note)
        ops.people.update_person(store, p.id, draft, p.version)
    store.close()
    return {"absences": absences, "person": ids["杨帆"]}


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    """Built once; the audit key (desktop.store.auditkey) goes to this module's own settings folder
    (the per-test folders of conftest do not exist yet), and `gov` copies it to each test's."""
    made = {}
    with pytest.MonkeyPatch.context() as mp:
        config = tmp_path_factory.mktemp("config")
        mp.setenv("DUTYDESK_CONFIG_DIR", str(config))
        for accounts in (False, True):
            folder = tmp_path_factory.mktemp("accounts" if accounts else "plain")
            path = folder / "gov.db"
            made[accounts] = (path, _build(path, accounts))
    made["config"] = config
    return made


@pytest.fixture(params=[False, True], ids=["no-accounts", "accounts"])
def gov(request, originals, tmp_path, monkeypatch):
    """A copy of the database (with or without operator accounts) and how to run verify on it."""
    source, info = originals[request.param]
    path = tmp_path / "gov.db"
    shutil.copyfile(source, path)
    shutil.copyfile(anchors.anchor_path(source), anchors.anchor_path(path))  # the copy with its anchor
    if (originals["config"] / "audit-keys").is_dir():  # and the audit key, on this "PC"
        shutil.copytree(originals["config"] / "audit-keys", tmp_path / "config" / "audit-keys")
    if request.param:
        monkeypatch.setenv("DUTYDESK_OPERATOR", ADMIN)
        monkeypatch.setenv("DUTYDESK_PASSWORD", ADMIN_PASSWORD)
    return Gov(path, info, request.param)


class Gov:
    def __init__(self, path: Path, info: dict, accounts: bool):
        self.path, self.info, self.accounts = path, info, accounts

    def sql(self, *statements: str, args: tuple = ()) -> None:
        conn = sqlite3.connect(self.path)
        for s in statements:
            conn.execute(s, args if "?" in s else ())
        conn.commit()
        conn.close()

    def verify(self, capsys) -> tuple[int, dict, str]:
        capsys.readouterr()
        code_json = main(["--db", str(self.path), "audit", "verify", "--json"], clock=FixedClock(NOW + dt.timedelta(hours=1)))
        report = json.loads(capsys.readouterr().out)
        code = main(["--db", str(self.path), "audit", "verify"], clock=FixedClock(NOW + dt.timedelta(hours=1)))
        out, err = capsys.readouterr()
        assert code == code_json and "Traceback" not in out + err
        return code, report, out


def test_untouched_copy_is_whole(gov, capsys):
    code, report, text = gov.verify(capsys)
    assert code == 0 and report["ok"] and report["findings"] == [], text
    assert report["records_checked"] > 40 and text.startswith("审计日志完好:共 ")


def test_edited_absence_destination(gov, capsys):
    aid = gov.info["absences"][1]
    gov.sql("UPDATE absence SET destination = '上海' WHERE id = ?", args=(aid,))
    code, report, text = gov.verify(capsys)
    message = f"第 {aid} 条外出记录的目的地与日志不符:日志为“北京”,现为“上海”。"
    assert code == 2 and not report["ok"] and message in text
    assert {"entity": "absence", "id": str(aid), "problem": "changed", "field": "destination", "logged": "北京",
            "current": "上海", "message": message} in report["findings"]
    assert "恢复备份" in text  # what to do next


def test_deleted_absence_with_its_steps(gov, capsys):
    aid = gov.info["absences"][0]
    gov.sql("DELETE FROM absence_step WHERE absence_id = ?", "DELETE FROM absence_acting WHERE absence_id = ?",
            "DELETE FROM absence WHERE id = ?", args=(aid,))
    code, report, text = gov.verify(capsys)
    assert code == 2
    assert f"第 {aid} 条外出记录已不在数据库中,但日志中没有删除它的记录(被在程序之外删除)。" in text
    assert [f["problem"] for f in report["findings"] if f["entity"] == "absence"] == ["deleted"]


def test_last_twenty_audit_rows_deleted(gov, capsys):
    gov.sql("DELETE FROM audit WHERE id > (SELECT max(id) - 20 FROM audit)")
    code, report, text = gov.verify(capsys)
    pid = gov.info["person"]
    assert code == 2 and f"编号 {pid} 的人员的电话与日志不符:日志为“13800000004”,现为“13800000024”。" in text
    assert {(f["entity"], f["id"], f["field"]) for f in report["findings"]} >= {("person", str(pid), "phone")}


def test_every_audit_row_deleted(gov, capsys):
    gov.sql("DELETE FROM audit")
    code, report, text = gov.verify(capsys)
    aid = gov.info["absences"][0]
    assert code == 2
    assert f"第 {aid} 条外出记录在数据库中,但日志中没有写入它的记录" in text
    assert {f["problem"] for f in report["findings"]} == {"unlogged"}
    if not gov.accounts:
        assert report["rows"] == 0


def test_operator_promoted_from_viewer_to_admin(gov, capsys):
    if not gov.accounts:
        pytest.skip("no operator accounts in this database")
    oid = sqlite3.connect(gov.path).execute("SELECT id FROM operator WHERE name = ?", (VIEWER,)).fetchone()[0]
    gov.sql("UPDATE operator SET role = 'admin' WHERE name = ?", args=(VIEWER,))
    code, report, text = gov.verify(capsys)
    assert code == 2
    assert f"编号 {oid} 的操作员账户的角色与日志不符:日志为“只读”,现为“管理员”。" in text
    assert [(f["field"], f["logged"], f["current"]) for f in report["findings"]] == [("role", "viewer", "admin")]


def test_every_operator_set_inactive(gov, capsys):
    if not gov.accounts:
        pytest.skip("no operator accounts in this database")
    gov.sql("UPDATE operator SET active = 0")  # sign-in is off now: verify runs without signing in
    code, report, text = gov.verify(capsys)
    assert code == 2
    ids = [r[0] for r in sqlite3.connect(gov.path).execute("SELECT id FROM operator ORDER BY id")]
    assert {(f["id"], f["field"]) for f in report["findings"]} == {(str(i), "active") for i in ids}
    for oid in ids:
        assert f"编号 {oid} 的操作员账户的启用状态与日志不符:日志为“启用”,现为“停用”。" in text


def _recompute_chain(path: Path) -> None:
    """What anyone with the file and the program's source can do: hash every row again (plain SHA-256)."""
    conn = sqlite3.connect(path)
    prev = audit_rows.GENESIS
    rows = conn.execute("SELECT id, at, operator, action, entity, entity_id, summary, before, after, image FROM audit"
                        " ORDER BY id").fetchall()
    for rid, *fields, image in rows:
        canonical = audit_rows._canonical(*fields, image)
        digest = hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, rid))
        prev = digest
    conn.commit()
    conn.close()


def test_an_older_version_s_log_is_unverifiable_until_the_next_change_then_a_baseline(originals, tmp_path, capsys):
    """A database an older DutyDesk wrote: audit rows without images. Verify says 无法核验 (no false
    alarm); the next change stores a baseline of every record, and from then on edits are found."""
    source, info = originals[False]
    gov = Gov(tmp_path / "old.db", info, False)
    shutil.copyfile(source, gov.path)
    gov.sql("UPDATE audit SET image = NULL")
    _recompute_chain(gov.path)
    code, report, text = gov.verify(capsys)
    assert code == 0 and report["ok"] and report["unverifiable"] > 40 and report["records_checked"] == 0
    assert "条记录无法核验:这个数据库的日志由旧版本写入" in text and "下次保存任何修改时" in text
    assert main(["--db", str(gov.path), "people", "add", "新同志", "--role", "staff"], clock=FixedClock(NOW)) == 0
    code, report, text = gov.verify(capsys)
    assert code == 0 and report["unverifiable"] == 0 and report["records_checked"] > 40 and report["baseline"]
    gov.sql("UPDATE absence SET destination = '广州' WHERE id = ?", args=(info["absences"][2],))
    code, report, text = gov.verify(capsys)
    assert code == 2 and f"第 {info['absences'][2]} 条外出记录的目的地与日志不符:日志为“北京”,现为“广州”。" in text


def test_a_new_database_never_changed_is_whole(tmp_path, capsys):
    path = tmp_path / "new.db"
    assert main(["--db", str(path), "audit", "verify", "--json"], clock=FixedClock(NOW)) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["rows"] == 0 and report["findings"] == []


# ---------------------------------------------------------------- the log against its anchor

def _forge_row(path: Path, summary: str) -> None:
    """Append a row whose hash continues the chain (plain SHA-256: anyone can)."""
    conn = sqlite3.connect(path)
    prev = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
    fields = ["2026-11-21T10:00:00", "测试员", "edit", "person", 1, summary, None, None]
    digest = hashlib.sha256((prev + audit_rows._canonical(*fields)).encode("utf-8")).hexdigest()
    conn.execute("INSERT INTO audit (at, operator, action, entity, entity_id, summary, before, after, prev_hash, hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*fields, prev, digest))
    conn.commit()
    conn.close()


def _rows(path: Path) -> int:
    return sqlite3.connect(path).execute("SELECT count(*) FROM audit").fetchone()[0]


def test_last_twenty_rows_deleted_are_counted_against_the_anchor(gov, capsys):
    rows = _rows(gov.path)
    gov.sql("DELETE FROM audit WHERE id > (SELECT max(id) - 20 FROM audit)")
    code, report, text = gov.verify(capsys)
    assert code == 2 and report["missing"] == 20 and report["anchor"]["problem"] in ("shortened", "break")
    if gov.accounts:  # verify signed in first: that save found the log short and the anchor keeps it
        assert f"记有 {rows} 条,当时日志有 {rows - 20} 条,日志少了 20 条:末尾的记录在程序之外被删除了。" in text
    else:
        assert f"审计日志比锚点少了 20 条:2026-11-21 09:30 时日志共有 {rows} 条,现在只有 {rows - 20} 条。" in text


def test_every_row_deleted_is_counted_against_the_anchor(gov, capsys):
    rows = _rows(gov.path)
    gov.sql("DELETE FROM audit")
    code, report, text = gov.verify(capsys)
    assert code == 2 and report["missing"] == rows and f"少了 {rows} 条" in text


def test_edited_rows_with_the_chain_recomputed(gov, capsys):
    """The thorough forger: the destination changed in the table and in the log's image, every hash recomputed.
    The chain and the data agree; only the anchor (outside the file) tells."""
    aid = gov.info["absences"][3]
    gov.sql("UPDATE absence SET destination = '上海' WHERE id = ?", args=(aid,))
    gov.sql("UPDATE audit SET image = replace(image, '\"destination\":\"北京\"', '\"destination\":\"上海\"')"
            " WHERE image LIKE '%\"absence\":{\"" + str(aid) + "\"%'")
    _recompute_chain(gov.path)
    code, report, text = gov.verify(capsys)
    assert code == 2 and report["chain_ok"] and report["findings"] == []
    assert "日志在程序之外被改写过(例如删改记录后重新计算了哈希链)" in text


def test_a_forged_row_appended(gov, capsys):
    _forge_row(gov.path, "修改人员 王建国")
    code, report, text = gov.verify(capsys)
    assert code == 2 and report["chain_ok"] and report["anchor"]["extra"] == 1
    if gov.accounts:
        assert "日志多出 1 条不是由本程序写入的记录" in text
    else:
        assert "之后多出 1 条记录(编号 " in text and "不是由本程序写入的" in text


def test_a_save_that_died_before_its_commit_is_no_alarm(gov, capsys):
    """The anchor is written just before the commit: a crash between leaves the log at the anchor's ``prev``."""
    data = json.loads(anchors.anchor_path(gov.path).read_text(encoding="utf-8"))
    n, last, digest = anchors.head_of(sqlite3.connect(gov.path))
    data.update(rows=n + 1, last_id=last + 1, hash="f" * 64, prev={"rows": n, "last_id": last, "hash": digest})
    anchors.anchor_path(gov.path).write_text(json.dumps(data), encoding="utf-8")
    code, report, text = gov.verify(capsys)
    assert code == 0 and report["ok"], text


def test_the_anchor_file_deleted_with_the_last_rows_the_backup_s_anchor_tells(gov, capsys):
    """Deleting the anchor file too: verify falls back to the newest backup's anchor, and a save made
    meanwhile (the sign-in of verify itself, with accounts) does not start a clean anchor."""
    assert main(["--db", str(gov.path), "backup"], clock=FixedClock(NOW + dt.timedelta(minutes=30))) == 0
    capsys.readouterr()
    rows = _rows(gov.path)
    anchors.anchor_path(gov.path).unlink()
    gov.sql("DELETE FROM audit WHERE id > (SELECT max(id) - 5 FROM audit)")
    code, report, text = gov.verify(capsys)
    assert code == 2 and report["missing"] == 5
    if gov.accounts:
        assert f"记有 {rows} 条,当时日志有 {rows - 5} 条,日志少了 5 条" in text
    else:
        assert f"审计日志比锚点少了 5 条:2026-11-21 10:00 时日志共有 {rows} 条" in text
        assert "锚点文件 gov.db.anchor.json 不在" in text


# ---------------------------------------------------------------- the key outside the file (operator accounts)

def _rewrite_anchor(path: Path) -> None:
    """The thorough forger also rewrites the anchor file to the new head (plain JSON, same disk)."""
    n, last, digest = anchors.head_of(sqlite3.connect(path))
    data = json.loads(anchors.anchor_path(path).read_text(encoding="utf-8"))
    data.update(rows=n, last_id=last, hash=digest, prev={"rows": n, "last_id": last, "hash": digest})
    data.pop("break", None)
    anchors.anchor_path(path).write_text(json.dumps(data), encoding="utf-8")


def test_data_log_chain_and_anchor_all_rewritten(gov, capsys):
    """Without accounts nothing on this PC can tell (README: 发现不了); with accounts every row carries
    an HMAC whose key is not in the file, and the recomputed rows no longer match it."""
    aid = gov.info["absences"][3]
    gov.sql("UPDATE absence SET destination = '上海' WHERE id = ?", args=(aid,))
    gov.sql("UPDATE audit SET image = replace(image, '\"destination\":\"北京\"', '\"destination\":\"上海\"')"
            " WHERE image LIKE '%\"absence\":{\"" + str(aid) + "\"%'")
    _recompute_chain(gov.path)
    _rewrite_anchor(gov.path)
    code, report, text = gov.verify(capsys)
    if not gov.accounts:
        assert code == 0 and report["ok"]  # the limit the README states
        return
    assert code == 2 and report["chain_ok"] and report["findings"] == [] and report["anchor"]["problem"] is None
    assert report["signatures"]["bad"] and "条日志记录的密钥签名不符:这些记录在写入后被改动过" in text


def test_a_forged_row_appended_with_the_anchor_rewritten(gov, capsys):
    _forge_row(gov.path, "修改人员 王建国")
    _rewrite_anchor(gov.path)
    code, report, text = gov.verify(capsys)
    if not gov.accounts:
        assert code == 0
        return
    forged = sqlite3.connect(gov.path).execute("SELECT id FROM audit WHERE summary = '修改人员 王建国'").fetchone()[0]
    assert code == 2 and forged in report["signatures"]["unsigned"]
    assert f"编号 {forged} 的 1 条日志记录没有密钥签名" in text


def test_signed_rows_verify_with_the_key_on_this_pc(gov, capsys):
    code, report, text = gov.verify(capsys)
    assert code == 0
    if gov.accounts:
        assert report["signatures"]["checked"] == report["signatures"]["signed"] > 20
        assert "条日志的密钥签名正确(密钥:" in text
    else:
        assert report["signatures"]["signed"] == 0


def test_a_lost_key_leaves_old_rows_unverifiable_and_the_data_readable(gov, tmp_path, capsys):
    if not gov.accounts:
        pytest.skip("no operator accounts in this database")
    shutil.rmtree(tmp_path / "config" / "audit-keys")
    code, report, text = gov.verify(capsys)  # signing in writes a row: signed with a new key
    assert code == 0 and report["ok"], text
    assert report["signatures"]["unverifiable"] > 20 and "的密钥签名无法核验" in text and "数据照常可读" in text
    assert main(["--db", str(gov.path), "people", "list"], clock=FixedClock(NOW)) == 0
    assert "杨帆" in capsys.readouterr().out


def test_the_key_goes_to_the_os_keyring_where_there_is_one(tmp_path, monkeypatch):
    """Windows Credential Manager, macOS Keychain, a Linux Secret Service: through `keyring` (an
    in-memory backend stands in for them here); no key file then."""
    import keyring
    from keyring.backend import KeyringBackend

    from desktop.store import auditkey
    from desktop.store.audit_check import verify

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self):
            super().__init__()
            self.kept: dict = {}

        def get_password(self, service, username):
            return self.kept.get((service, username))

        def set_password(self, service, username, password):
            self.kept[(service, username)] = password

        def delete_password(self, service, username):
            self.kept.pop((service, username), None)

    ring = Memory()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    try:
        monkeypatch.setattr(auditkey, "_use_keyring", lambda: True)
        store = open_store(tmp_path / "k.db", FixedClock(NOW), operator="测试员")
        ops.org.populate(store, available_profiles())
        ops.operators.add_operator(store, ADMIN, ADMIN_PASSWORD, "admin", "管理员甲")
        db_id = auditkey.database_id(store, create=False)
        assert list(ring.kept) == [("DutyDesk", f"audit-key:{db_id}")]
        assert not auditkey.key_file(db_id).exists()
        report = verify(store)
        assert report.ok and report.macs.checked >= 1 and report.macs.key_where == "系统密钥环"
        store.close()
    finally:
        keyring.set_keyring(previous)


# ---------------------------------------------------------------- verify in the window

def test_verify_in_the_window_explains_and_restores_only_when_confirmed(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.settings import Settings
    from desktop.store.db import backup
    from desktop.ui import backup_dialogs
    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.session import Session
    from desktop.ui.verify_dialog import VerifyDialog

    path = tmp_path / "gov.db"
    info = _build(path, False)
    clock = FixedClock(NOW + dt.timedelta(hours=1))
    store = open_store(path, clock, operator="测试员", daily_backup=False)
    saved = backup(store, reason="manual")  # a good backup with its anchor
    aid = info["absences"][1]
    raw = sqlite3.connect(path)
    raw.execute("UPDATE absence SET destination = '上海' WHERE id = ?", (aid,))
    raw.commit()
    raw.close()
    window = MainWindow(Session(store), Settings())
    qtbot.addWidget(window)
    answers: list[bool] = [False, True]  # first 取消, then 恢复
    asked: list[str] = []
    monkeypatch.setattr(backup_dialogs, "_ask", lambda parent, title, text: asked.append(text) or answers.pop(0))
    monkeypatch.setattr(backup_dialogs, "_inform", lambda parent, title, text: None)
    seen: list[VerifyDialog] = []

    def act():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, VerifyDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(dialog)
        try:
            assert dialog.grab().save(str(tmp_path / "verify-dialog.png"))
            rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
            assert rows == [[f"第 {aid} 条外出记录", "目的地", "北京", "上海"]]
            assert saved.name in dialog.backup_label.text() and "与锚点相符" in dialog.backup_label.text()
            before = path.read_bytes()
            dialog.restore_button.click()  # 取消: nothing changes
            assert path.read_bytes() == before and dialog.isVisible()
            dialog.restore_button.click()  # 恢复
        except BaseException:
            dialog.reject()
            raise

    QTimer.singleShot(0, act)
    window.verify_audit_action.trigger()
    assert seen and seen[0].restored and len(asked) == 2 and saved.name in asked[0]
    now = window.session.store
    assert now.conn.execute("SELECT destination FROM absence WHERE id = ?", (aid,)).fetchone()[0] == "北京"
    from desktop.store.audit_check import verify

    assert verify(now).ok
    now.close()


def test_every_signature_stripped_with_the_chain_and_anchor_rewritten(gov, capsys):
    if not gov.accounts:
        pytest.skip("no operator accounts in this database")
    aid = gov.info["absences"][3]
    gov.sql("UPDATE absence SET destination = '上海' WHERE id = ?", args=(aid,))
    gov.sql("UPDATE audit SET image = replace(image, '\"destination\":\"北京\"', '\"destination\":\"上海\"')"
            " WHERE image LIKE '%\"absence\":{\"" + str(aid) + "\"%'", "UPDATE audit SET mac = NULL")
    _recompute_chain(gov.path)
    _rewrite_anchor(gov.path)
    code, report, text = gov.verify(capsys)  # signing in to verify signs one new row
    unsigned = report["signatures"]["unsigned"]
    assert code == 2 and len(unsigned) > 20 and "条日志记录没有密钥签名" in text
    # the key remembers the first row it signed: every row since must be signed, not only those after a signed one
    first = sqlite3.connect(gov.path).execute("SELECT min(id) FROM audit WHERE action = 'add_first_admin'").fetchone()[0]
    assert unsigned[0] == first


def test_the_backup_offered_is_the_newest_that_agrees_with_its_anchor(gov, tmp_path):
    """A backup taken after the change outside the program holds the change: it is passed over."""
    from desktop.store.audit_check import matching_backup
    from desktop.store.db import backup

    clock = FixedClock(NOW + dt.timedelta(hours=2))
    store = open_store(gov.path, clock, operator="测试员", daily_backup=False)
    good = backup(store, reason="manual")
    gov.sql("UPDATE absence SET destination = '上海' WHERE id = ?", args=(gov.info["absences"][0],))
    clock.moment += dt.timedelta(minutes=5)
    later = backup(store, reason="manual")
    store.close()
    found = matching_backup(gov.path, clock)
    assert found is not None and found[0].path == good and found[1].ok
    assert later != good
    later_sidecar = json.loads(anchors.sidecar_path(later).read_text(encoding="utf-8"))
    assert later_sidecar["sha256"] == anchors.file_digest(later)  # the later one is whole, only its data is not
