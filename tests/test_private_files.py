"""Files readable by their user only (issue 16): desktop.store.private on POSIX and on Windows.

On POSIX every kind of file DutyDesk creates is looked at (umask 022, the usual one, so a file
created the ordinary way would be 0644): the database and its -wal/-shm, the anchor file and the
clean-close record, the backups folder, each backup and its sidecar, a damaged file's pre-restore
copy with its -wal, the audit key and its folder, settings.json, and every export — the command
line's, the PDFs laid out by Qt, the window's.

Windows is taken on Linux with fakes of advapi32 and kernel32 (`FakeWindows`): the real ctypes
code of desktop.store.private runs against them, and the tests check the SDDL each kind of file
gets and the order of the calls (the user's SID read from the process token once; then, for each
file, the descriptor made, its DACL taken, set protected, the descriptor freed). A disk that keeps
no permissions (FAT32, a network drive) answers with an error: every save still goes through, and
the command line and the window say so once, in Chinese.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop import ops
from desktop.core.absence import Absence
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role
from desktop.entry import main
from desktop.export import exporter
from desktop.resources import available_profiles
from desktop.settings import Settings
from desktop.store import anchors, auditkey, private
from desktop.store.db import backup, backup_dir
from desktop.store.opening import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)
USER_SID = "S-1-5-21-1004336348-1177238915-682003330-1001"
FILE_SDDL = f"D:P(A;;FA;;;{USER_SID})(A;;FA;;;SY)(A;;FA;;;BA)"
FOLDER_SDDL = f"D:P(A;OICI;FA;;;{USER_SID})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"


@pytest.fixture(autouse=True)
def _fresh_notice():
    """The notice and the user's SID are per process: each test starts and ends without them."""
    private.reset()
    yield
    private.reset()


POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="file modes and chmod: POSIX only")


@pytest.fixture
def umask_022():
    if os.name != "posix":
        pytest.skip("file modes: POSIX only")
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path | str) -> str:
    return oct(stat.S_IMODE(os.stat(path).st_mode))


def _gov(path: Path, clock, *, accounts: bool = False):
    """A government with a leader away (so exports have rows); with accounts, signed in as 管理员
    (its audit rows are signed: the key file is written)."""
    s = open_store(path, clock, operator="测试员")
    ops.org.init_org(s, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    if accounts:
        ops.operators.add_operator(s, "admin", "Guanliyuan-2026-mima", "admin", "管理员甲")
        ops.operators.authenticate(s, "admin", "Guanliyuan-2026-mima")
    chief = ops.people.add_person(s, PersonDraft(name="王市长", role=Role.chief, title="市长")).value
    ops.people.add_person(s, PersonDraft(name="李常务", role=Role.executive_deputy, title="常务副市长"))
    profile = ops.org.profile_of(s)
    ops.absences.add_absence(s, profile, Absence(id=None, person_id=chief.id, kind=AbsenceKind.trip,
                                                 start=dt.date(2026, 11, 23), end=dt.date(2026, 11, 25),
                                                 destination="成都", reason="汇报工作", leaves_jurisdiction=True,
                                                 reported_at=NOW - dt.timedelta(days=2)))  # fmt: skip
    return s


# ================================================================ POSIX: the mode of every kind of file


def test_every_kind_of_file_is_the_user_s_only_on_posix(umask_022, tmp_path, clock):
    db_path = tmp_path / "gov" / "值班.db"
    s = _gov(db_path, clock, accounts=True)
    for side in ("", "-wal", "-shm"):  # the database, and SQLite's files beside it while it is open
        assert mode(f"{db_path}{side}") == "0o600", side
    assert mode(anchors.anchor_path(db_path)) == "0o600"
    key = auditkey.key_file(auditkey.database_id(s, create=False))
    assert mode(key) == "0o600" and mode(key.parent) == "0o700"  # the audit key, in the settings folder

    saved = backup(s)
    assert mode(backup_dir(db_path)) == "0o700"
    assert mode(saved) == "0o600" and mode(anchors.sidecar_path(saved)) == "0o600"

    out = tmp_path / "导出"
    out.mkdir()
    profile = ops.org.profile_of(s)
    for fmt in ("xlsx", "csv", "docx", "ics"):
        result = exporter.export(s, profile, "absences", fmt, out / f"外出.{fmt}", org_name="攀枝花市人民政府办公室",
                                 start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))  # fmt: skip
        assert result.rows == 1 and mode(result.path) == "0o600", fmt
    s.close()
    assert mode(anchors.close_record_path(db_path)) == "0o600"

    settings = tmp_path / "config" / "settings.json"
    Settings().save(settings)
    assert mode(settings) == "0o600"
    assert sorted(p.name for p in out.iterdir()) == ["外出.csv", "外出.docx", "外出.ics", "外出.xlsx"]  # no leftovers
    assert private.notice() is None


def test_pdfs_laid_out_by_qt_are_the_user_s_only(umask_022, tmp_path, clock, capsys):
    """The command line's PDFs: an export, and a meeting's sign-in sheet that Qt writes straight to
    the named file (it made it 0644; now through the exports' one atomic, private write)."""
    db_path = tmp_path / "gov.db"
    _gov(db_path, clock).close()

    def run(*argv):
        code = main([*argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        assert code == 0 and "Traceback" not in out + err, err
        return out

    run("export", "weekly", "--format", "pdf", "-o", str(tmp_path / "一周.pdf"), "--week", "2026-W48")
    run("meeting", "add", "--type", "executive", "--at", "2026-11-26T09:00", "--topic", "年度预算执行情况")
    run("meeting", "print", "1", "sheet", "-o", str(tmp_path / "签到表.pdf"))
    for name in ("一周.pdf", "签到表.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF") and mode(tmp_path / name) == "0o600", name
    assert not list(tmp_path.glob(".dutydesk-*"))  # no temporary file left behind


def test_a_damaged_file_s_pre_restore_copy_and_its_log_are_the_user_s_only(umask_022, tmp_path, clock):
    from test_backups import _damage_middle

    db_path = tmp_path / "gov.db"
    s = _gov(db_path, clock)
    saved = backup(s)
    s.close()
    writer = sqlite3.connect(db_path)  # a -wal with saved changes beside a file that is then damaged
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE person SET phone = '13900000000'")
    writer.commit()
    shutil.copyfile(f"{db_path}-wal", tmp_path / "saved-wal")
    writer.close()
    _damage_middle(db_path)
    shutil.copyfile(tmp_path / "saved-wal", f"{db_path}-wal")
    result = ops.backups.restore(db_path, saved, clock).value
    assert Path(f"{result.pre_restore}-wal").stat().st_size > 0
    assert mode(result.pre_restore) == "0o600" and mode(f"{result.pre_restore}-wal") == "0o600"
    assert mode(db_path) == "0o600"  # the restored file (a new file put in the damaged one's place)


def test_a_server_snapshot_and_its_backups_folder_are_the_user_s_only(umask_022, empty_server, clock, capsys,
                                                                       monkeypatch):
    """A server database's backup is a SQLite file in this PC's data folder (ops.backups.server_backup_base)."""
    monkeypatch.setenv("DUTYDESK_PASSWORD", "Zhiban-2026!")

    def run(*argv):
        code = main([str(a) for a in argv], clock=clock)
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    run("server", "init", empty_server, "--org", "攀枝花市人民政府办公室", "--profile", "panzhihua", "--admin", "wang")
    snapshot = Path(json.loads(run("--db", empty_server, "--operator", "wang", "backup", "--json"))["backup"])
    assert snapshot.parent.name == "backups" and mode(snapshot.parent) == "0o700" and mode(snapshot) == "0o600"


def test_a_folder_that_is_already_there_keeps_its_permissions(umask_022, tmp_path, clock):
    """The database's own folder, and a settings folder the user named, are the user's business."""
    folder = tmp_path / "共享"
    folder.mkdir(mode=0o755)
    s = open_store(folder / "gov.db", clock)
    s.close()
    Settings().save(folder / "settings.json")
    assert mode(folder) == "0o755"
    assert mode(folder / "gov.db") == "0o600" and mode(folder / "settings.json") == "0o600"


@POSIX_ONLY
def test_a_file_system_that_refuses_chmod_still_saves_and_says_so_once(tmp_path, clock, capsys, monkeypatch):
    db_path = tmp_path / "gov.db"
    assert main(["init", "--profile", "xiping", "--org", "西平县人民政府办公室", "--db", str(db_path)], clock=clock) == 0
    capsys.readouterr()

    def refuse(path, mode):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(private.os, "chmod", refuse)
    code = main(["people", "add", "王县长", "--role", "chief", "--db", str(db_path)], clock=clock)
    _, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert err.count("注意:无法把") == 1  # the anchor file and the -wal/-shm failed: said once
    assert "设为仅当前用户可以读取(Operation not permitted),文件已照常保存" in err
    code = main(["export", "absences", "--format", "csv", "-o", str(tmp_path / "外出.csv"), "--db", str(db_path)],
                clock=clock)  # fmt: skip
    assert code == 0 and (tmp_path / "外出.csv").is_file()
    s = open_store(db_path, clock)
    assert [r[0] for r in s.conn.execute("SELECT name FROM person")] == ["王县长"]
    s.close()


# ================================================================ Windows, with fakes of advapi32 and kernel32


class FakeWindows:
    """advapi32 and kernel32 as desktop.store.private calls them through ctypes, recorded.

    Out-parameters arrive as ``ctypes.byref(x)``: the fake writes into ``x`` (``._obj``) as Windows
    would. The token's TOKEN_USER points at a SID in memory the fake owns; security descriptors are
    numbers the fake hands out, each remembered with the SDDL it was made from."""

    TOKEN = 0x44
    TOKEN_USER_SIZE = 44

    def __init__(self, refuse: int = 0):
        self.calls: list[tuple] = []
        self.refuse = refuse  # what SetNamedSecurityInfoW answers (0: done; 50: ERROR_NOT_SUPPORTED)
        self.error = 0
        self._sid = ctypes.create_string_buffer(28)
        self._made: dict[int, str] = {}
        self._next = 0x10000
        self.advapi32 = SimpleNamespace(
            OpenProcessToken=self.OpenProcessToken, GetTokenInformation=self.GetTokenInformation,
            ConvertSidToStringSidW=self.ConvertSidToStringSidW,
            ConvertStringSecurityDescriptorToSecurityDescriptorW=self.ConvertStringSecurityDescriptorToSecurityDescriptorW,
            GetSecurityDescriptorDacl=self.GetSecurityDescriptorDacl, SetNamedSecurityInfoW=self.SetNamedSecurityInfoW)  # fmt: skip
        self.kernel32 = SimpleNamespace(GetCurrentProcess=self.GetCurrentProcess, CloseHandle=self.CloseHandle,
                                        LocalFree=self.LocalFree)  # fmt: skip
        self.api = private.Api(self.advapi32, self.kernel32, lambda: self.error)

    # kernel32
    def GetCurrentProcess(self):
        self.calls.append(("GetCurrentProcess",))
        return -1  # the pseudo handle

    def CloseHandle(self, handle):
        self.calls.append(("CloseHandle", handle.value))
        return 1

    def LocalFree(self, memory):
        if isinstance(memory, ctypes.c_wchar_p):
            self.calls.append(("LocalFree", "sid text"))
        else:
            self.calls.append(("LocalFree", self._made.pop(memory.value)))
        return None

    # advapi32
    def OpenProcessToken(self, process, access, token):
        self.calls.append(("OpenProcessToken", process, access))
        token._obj.value = self.TOKEN
        return 1

    def GetTokenInformation(self, token, info_class, buffer, size, needed):
        self.calls.append(("GetTokenInformation", token.value, info_class, int(getattr(size, "value", size))))
        if buffer is None:
            needed._obj.value = self.TOKEN_USER_SIZE
            self.error = 122  # ERROR_INSUFFICIENT_BUFFER, as Windows answers the size question
            return 0
        address = ctypes.c_void_p(ctypes.addressof(self._sid))  # TOKEN_USER.User.Sid
        ctypes.memmove(buffer, ctypes.byref(address), ctypes.sizeof(ctypes.c_void_p))
        return 1

    def ConvertSidToStringSidW(self, sid, text):
        assert sid.value == ctypes.addressof(self._sid)
        self.calls.append(("ConvertSidToStringSidW",))
        text._obj.value = USER_SID
        return 1

    def ConvertStringSecurityDescriptorToSecurityDescriptorW(self, sddl, revision, descriptor, size):
        self.calls.append(("ConvertStringSecurityDescriptorToSecurityDescriptorW", sddl, revision, size))
        self._next += 0x100
        self._made[self._next] = sddl
        descriptor._obj.value = self._next
        return 1

    def GetSecurityDescriptorDacl(self, descriptor, present, dacl, defaulted):
        self.calls.append(("GetSecurityDescriptorDacl", self._made[descriptor.value]))
        present._obj.value, defaulted._obj.value = 1, 0
        dacl._obj.value = descriptor.value + 0x14  # the DACL inside the descriptor
        return 1

    def SetNamedSecurityInfoW(self, name, object_type, information, owner, group, dacl, sacl):
        self.calls.append(("SetNamedSecurityInfoW", name, object_type, hex(information), owner, group,
                           self._made[dacl.value - 0x14], sacl))  # fmt: skip
        return self.refuse

    # reading the record
    def protected(self) -> dict[str, str]:
        """Path -> the SDDL its DACL was set from (the last time)."""
        return {c[1]: c[6] for c in self.calls if c[0] == "SetNamedSecurityInfoW"}


@pytest.fixture
def windows(monkeypatch):
    """desktop.store.private takes its Windows branch, against a FakeWindows (``windows.refuse = 50``: a FAT32 disk)."""
    fake = FakeWindows()
    monkeypatch.setattr(private, "windows", lambda: True)
    monkeypatch.setattr(private, "_loaded", fake.api)
    monkeypatch.setattr(private.os, "chmod", lambda *a: pytest.fail(f"chmod on Windows: {a}"))
    return fake


def test_the_sddl_grants_the_user_system_and_administrators_and_is_protected():
    assert private.sddl(USER_SID, folder=False) == FILE_SDDL
    assert private.sddl(USER_SID, folder=True) == FOLDER_SDDL  # what is created inside inherits it


def test_the_user_s_sid_is_read_once_then_each_file_gets_its_protected_dacl(windows, tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "备份"
    first.write_bytes(b"")
    second.mkdir()
    assert private.make_private(first) and private.make_private(second)
    per_file = [("ConvertStringSecurityDescriptorToSecurityDescriptorW", FILE_SDDL, 1, None),
                ("GetSecurityDescriptorDacl", FILE_SDDL),
                ("SetNamedSecurityInfoW", str(first), 1, "0x80000004", None, None, FILE_SDDL, None),
                ("LocalFree", FILE_SDDL)]  # fmt: skip
    assert windows.calls == [
        ("GetCurrentProcess",), ("OpenProcessToken", -1, 0x0008),  # TOKEN_QUERY
        ("GetTokenInformation", FakeWindows.TOKEN, 1, 0),  # TokenUser: how big
        ("GetTokenInformation", FakeWindows.TOKEN, 1, FakeWindows.TOKEN_USER_SIZE),
        ("ConvertSidToStringSidW",), ("LocalFree", "sid text"), ("CloseHandle", FakeWindows.TOKEN),
        *per_file,
        ("ConvertStringSecurityDescriptorToSecurityDescriptorW", FOLDER_SDDL, 1, None),
        ("GetSecurityDescriptorDacl", FOLDER_SDDL),
        ("SetNamedSecurityInfoW", str(second), 1, "0x80000004", None, None, FOLDER_SDDL, None),
        ("LocalFree", FOLDER_SDDL)]  # fmt: skip
    windows.calls.clear()
    private.make_private(first)
    assert windows.calls == [(*c[:1], str(first), *c[2:]) if c[0] == "SetNamedSecurityInfoW" else c
                             for c in per_file]  # the SID is not read again
    assert private.notice() is None


def test_every_kind_of_file_gets_the_user_s_dacl_on_windows(windows, tmp_path, clock):
    db_path = tmp_path / "gov" / "值班.db"
    s = _gov(db_path, clock, accounts=True)
    saved = backup(s)
    profile = ops.org.profile_of(s)
    exported = exporter.export(s, profile, "absences", "xlsx", tmp_path / "外出.xlsx", org_name="攀枝花市人民政府办公室",
                               start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)).path  # fmt: skip
    key = auditkey.key_file(auditkey.database_id(s, create=False))
    s.close()
    settings = tmp_path / "config" / "settings.json"
    Settings().save(settings)

    def tmp_of(path: Path) -> str:  # written beside under this name, then moved into place (the DACL moves along)
        return str(path.with_name(f".{path.name}.tmp"))

    set_to = windows.protected()
    files = {
        "database": str(db_path), "its -wal": f"{db_path}-wal", "its -shm": f"{db_path}-shm",
        "anchor file": tmp_of(anchors.anchor_path(db_path)), "clean-close record": tmp_of(anchors.close_record_path(db_path)),
        "backup": str(saved.with_name(f".{saved.name}.partial")), "backup's sidecar": tmp_of(anchors.sidecar_path(saved)),
        "audit key": str(key), "settings.json": str(settings.with_suffix(".tmp")),
    }  # fmt: skip
    for kind, path in files.items():
        assert set_to.get(path) == FILE_SDDL, kind
    for kind, path in {"backups folder": backup_dir(db_path), "audit key folder": key.parent}.items():
        assert set_to.get(str(path)) == FOLDER_SDDL, kind
    export_tmps = [p for p in set_to if Path(p).parent == tmp_path and Path(p).name.startswith(".dutydesk-")]
    assert export_tmps and all(set_to[p] == FILE_SDDL for p in export_tmps) and exported.is_file()
    # every DACL set was made, taken and freed in that order, never set from anything else
    sets = [i for i, c in enumerate(windows.calls) if c[0] == "SetNamedSecurityInfoW"]
    for i in sets:
        made, taken, done, freed = windows.calls[i - 2:i + 2]
        assert (made[0], taken[0], freed[0]) == ("ConvertStringSecurityDescriptorToSecurityDescriptorW",
                                                 "GetSecurityDescriptorDacl", "LocalFree")  # fmt: skip
        assert made[1] == taken[1] == done[6] == freed[1] and done[2:4] == (1, "0x80000004")
    assert [c[0] for c in windows.calls].count("OpenProcessToken") == 1
    assert private.notice() is None


def test_a_disk_without_permissions_still_saves_and_the_command_line_says_so_once(windows, tmp_path, clock, capsys):
    windows.refuse = 50  # ERROR_NOT_SUPPORTED: a FAT32 USB stick
    db_path = tmp_path / "gov.db"

    def run(*argv):
        code = main([*argv, "--db", str(db_path)], clock=clock)
        out, err = capsys.readouterr()
        assert code == 0 and "Traceback" not in out + err, err
        return err

    err = run("init", "--profile", "xiping", "--org", "西平县人民政府办公室")
    assert err.count("注意:无法把") == 1  # the database, its -wal/-shm, the anchor: one notice
    assert f"注意:无法把 {db_path} 设为仅当前用户可以读取(该磁盘不支持文件权限,例如 FAT32 U 盘或网络驱动器)" in err
    assert "文件已照常保存" in err and "不要放在 U 盘或网络驱动器上" in err
    run("people", "add", "王县长", "--role", "chief")
    run("backup")
    run("export", "absences", "--format", "csv", "-o", str(tmp_path / "外出.csv"))
    assert (tmp_path / "外出.csv").is_file() and len(list(backup_dir(db_path).glob("*-manual.db"))) == 1
    s = open_store(db_path, clock)
    assert [r[0] for r in s.conn.execute("SELECT name FROM person")] == ["王县长"]
    s.close()


def test_a_token_that_cannot_be_read_is_a_notice_not_an_error(windows, tmp_path):
    windows.advapi32.OpenProcessToken = lambda *a: 0
    windows.error = 5  # ERROR_ACCESS_DENIED
    target = tmp_path / "settings.json"
    Settings().save(target)
    assert target.is_file()
    assert "OpenProcessToken 失败,Windows 错误 5" in private.notice()


# ================================================================ the window says it once


def test_the_window_shows_the_notice_once_and_it_stays_closed(qtbot, windows, tmp_path, clock, shots):
    from desktop.ui.backup_dialogs import show_store_notices
    from desktop.ui.mainwindow import MainWindow
    from desktop.ui.session import Session

    windows.refuse = 50
    s = _gov(tmp_path / "gov.db", clock)
    window = MainWindow(Session(s), Settings())
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    holders = [w for w in window.store_banners if w.objectName() == "privateBanner"]
    assert len(holders) == 1 and holders[0].isVisible()
    from desktop.ui.banner import Banner

    banner = holders[0].findChild(Banner)
    assert "设为仅当前用户可以读取(该磁盘不支持文件权限" in banner.text()
    window.grab().save(str(shots / "private_notice.png"))
    banner.closed.emit()
    assert not holders[0].isVisible()
    show_store_notices(window)  # as after the next save
    assert [w.objectName() for w in window.store_banners if w.objectName() == "privateBanner"] == []
    s.close()


def test_the_export_dialog_says_it_under_its_result(qtbot, windows, session, tmp_path, shots):
    """The database's own disk is fine; the export goes to a USB stick that keeps no permissions."""
    from desktop.ui.export_dialog import ExportDialog

    stick = tmp_path / "U盘"
    stick.mkdir()
    dialog = ExportDialog(session, folder=stick)
    qtbot.addWidget(dialog)
    dialog.set_format("csv")
    windows.refuse = 50
    result = dialog.run_export()
    assert result is not None and result.path.is_file() and result.path.parent == stick
    assert dialog.warning.isVisibleTo(dialog)
    assert f"无法把 {stick} 中的文件设为仅当前用户可以读取(该磁盘不支持文件权限" in dialog.warning.text()
    assert "一周领导在岗情况表" in dialog.message.text()  # the export itself is done
    dialog.show()
    dialog.grab().save(str(shots / "private_export.png"))
    dialog.set_path(stick / "再导出一次")
    assert dialog.run_export() is not None  # once is enough: the next export to the stick says nothing more
    assert not dialog.warning.isVisibleTo(dialog)
