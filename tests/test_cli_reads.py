"""只读的命令立即作答:不做完整性检查、不做每日自动备份(这些属于图形界面每天第一次打开和写入的命令)。

The read path of the command line (issue "One write path", reads at twenty years of records): a
command that only reads opens the file without `PRAGMA quick_check` and without the first-of-the-day
backup copy; a command that writes still does both.
"""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.cli import READS, build_parser, main, reads_only
from desktop.core.clock import FixedClock
from desktop.store import opening
from desktop.store.db import backup_dir

NEXT_DAY = FixedClock(dt.datetime(2026, 11, 22, 8, 0))


@pytest.fixture
def initialised(db_path, clock, capsys):
    assert main(["init", "--profile", "panzhihua", "--org", "攀枝花市人民政府办公室", "--db", str(db_path)], clock=clock) == 0
    assert main(["people", "add", "王市长", "--role", "chief", "--db", str(db_path)], clock=clock) == 0
    capsys.readouterr()
    return db_path


@pytest.fixture
def quick_checks(monkeypatch):
    seen: list[str] = []
    real = opening._check_integrity
    monkeypatch.setattr(opening, "_check_integrity", lambda conn, path: (seen.append(str(path)), real(conn, path)))
    return seen


@pytest.mark.parametrize("argv", [["acting", "2026-11-22"], ["check", "--from", "2026-11-01", "--to", "2026-11-30"],
                                  ["absence", "list"], ["people", "list"], ["workdays", "add", "2026-09-28", "7"],
                                  ["calendar", "status"], ["audit", "verify"]])
def test_a_read_on_a_new_day_takes_no_backup_and_no_integrity_check(initialised, quick_checks, capsys, argv):
    assert main([*argv, "--db", str(initialised)], clock=NEXT_DAY) == 0, capsys.readouterr().err
    assert quick_checks == []
    assert list(backup_dir(initialised).glob("*-20261122-*")) == []  # none taken on the new day


def test_a_write_on_a_new_day_checks_the_file_and_takes_the_daily_backup(initialised, quick_checks, capsys):
    assert main(["people", "add", "李常务", "--role", "executive_deputy", "--db", str(initialised)], clock=NEXT_DAY) == 0
    assert quick_checks == [str(initialised)]
    assert [p.name for p in backup_dir(initialised).glob("*-20261122-*.db")] == ["test-20261122-080000-daily.db"]


def test_every_read_names_a_real_command():
    """A misspelt entry in READS would silently make that command a write-path open."""
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for command, sub in READS:
        assert command in commands, command
        if sub not in (None, "*"):
            subs = commands[command]._subparsers._group_actions[0].choices
            assert sub in subs, (command, sub)


def test_writing_subcommands_are_not_reads():
    parser = build_parser()
    for argv in (["absence", "add", "王市长", "--kind", "trip", "--from", "2026-12-01", "--to", "2026-12-02"],
                 ["people", "add", "张三", "--role", "deputy"], ["duty", "plan", "2026"], ["ab", "set", "甲", "乙"],
                 ["calendar", "import-notice", "x.txt"], ["meeting", "delete", "1"]):
        assert not reads_only(parser.parse_args(argv)), argv


@pytest.mark.parametrize("argv", [
    ["acting", "2026-11-22", "--json"], ["--json", "--db", "x.db", "people", "list"], ["--db", "acting", "check"],
    ["absence", "add", "王市长", "--kind", "trip", "--from", "2026-12-01am", "--to", "2026-12-02", "--urgent"],
    ["duty", "plan", "2026", "--holiday", "国庆节"], ["meeting", "leave", "3", "张三", "--reason", "出差", "--approve",
                                                        "--by", "王市长"],
    ["export", "weekly", "--format", "xlsx", "-o", "w.xlsx", "--week", "2026-W49"], ["backup", "--list"],
    ["--operator", "admin", "operator", "list"], ["workdays", "add", "2026-09-28", "7", "--json"]])
def test_the_one_group_parse_equals_the_whole_parse(argv):
    from desktop.cli import parse

    assert vars(parse(argv)) == vars(build_parser().parse_args(argv))


def test_a_mistake_is_worded_by_the_whole_parser(capsys):
    """An unknown option at the top level: the same message as before the one-group parse existed."""
    assert main(["--nope", "acting", "2026-11-22"]) == 2
    err = capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--nope", "acting", "2026-11-22"])
    assert err == capsys.readouterr().err and err.startswith("参数错误:")
