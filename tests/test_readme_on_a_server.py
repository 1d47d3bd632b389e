"""Every command of the README's command block, on a SQLite file and on a PostgreSQL server (issue 17:
"Every command of the README works with a postgresql:// URL").

One scripted office session (`script`) runs every form of README.md's "## 命令行" block with concrete
arguments, with --json: once against a desktop file with operator accounts, once against a server
database made by `server init`. Every command must succeed on both, or be refused on both with the same
Chinese message, or (restore, backup --keep on a server) be refused on the server with the guidance the
README gives. The JSON answers must be equal after normalising only what legitimately differs between the
engines (`_normalised`, each rule with its reason); the files written by print/export/template exist and
are non-empty on both, and the xlsx/csv/ics files have equal content.

`test_every_readme_command_is_in_the_script` parses the README's block: a command added to the README
later must be added to the script here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core import access
from desktop.core.clock import FixedClock
from desktop.entry import main

PASSWORD = "Zhiban-2026!"
NEW_PASSWORD = "Gaimima-2027!"
ORG = "攀枝花市人民政府办公室"
CLOCK = FixedClock(dt.datetime(2026, 12, 7, 9, 0))  # a Monday
README = Path(__file__).resolve().parents[1] / "README.md"
NOTICE_2027 = Path(__file__).resolve().parent / "data" / "notice_2027_sample.txt"
SIGNED = ("--operator", "wang")


@dataclass(frozen=True)
class Run:
    """One command of the session: its arguments (after ``--db``), the exit code it must end with, what it
    reads from standard input, the files it writes (relative to the session's folder), and whether its
    answer must be the same on both engines."""

    argv: tuple[str, ...]
    code: int = 0
    stdin: str | None = None
    writes: tuple[str, ...] = ()
    same: bool = True
    db: bool = True  # run with --db (the session's database) and --operator
    refused: str = ""  # a refusal (code 2): a phrase its Chinese message must contain
    differs: tuple[str, ...] = ()  # keys of the JSON answer that legitimately differ (said where the run is made)
    signed: tuple[str, ...] = SIGNED  # who signs in (with db)
    setup: bool = False  # making the database: `init` + the first `operator add` on a file, `server init` on a server


def _r(*argv: str, **kw) -> Run:
    return Run(tuple(str(a) for a in argv), **kw)


def script(engine: str) -> list[Run]:
    """The office session: the same commands on both engines, except where the README says a server
    behaves differently (the setup, copy-to's source, backup --keep, restore). In the arguments, {db} is
    the session's database, {here} its folder for files, {spare} an empty server database for copy-to."""
    server, here, spare = engine == "postgresql", Path("{here}"), "{spare}"
    people = here / "人员.csv"  # written by `session`
    runs: list[Run] = []
    add = runs.append
    # ------------------------------------------------------------ setting up (README: server init / init)
    if server:
        add(_r("server", "init", "{db}", "--org", ORG, "--profile", "panzhihua", "--admin", "wang", "--display",
               "办公室 王秘书", db=False, setup=True))
    else:
        add(_r("--db", "{db}", "init", "--profile", "panzhihua", "--org", ORG, db=False, setup=True))
        add(_r("--db", "{db}", "operator", "add", "wang", "--role", "admin", "--display", "办公室 王秘书", "--password-stdin",
               stdin=PASSWORD, db=False, setup=True))
    add(_r("--version", db=False))
    add(_r("init", "--profile", "panzhihua", "--org", ORG))
    # ------------------------------------------------------------ people, AB roles
    for name, role, title, extra in (
            ("王市长", "chief", "市长", ("--phone", "0812-3330001")),
            ("陈常务", "executive_deputy", "常务副市长", ("--phone", "0812-3330002")),
            ("李副", "deputy", "副市长", ("--portfolio", "教育局、公安局")),
            ("赵副", "deputy", "副市长", ("--portfolio", "财政局")),
            ("孙副", "deputy", "副市长", ()),
            ("周秘书长", "secretary_general", "市政府秘书长", ()),
            ("吴主任", "office_director", "市政府办公室主任", ("--rank", "7")),
            ("教育局长", "dept_head", "市教育局局长", ("--unit", "教育局", "--supervisor", "李副")),
            ("公安局长", "dept_head", "市公安局局长", ("--unit", "公安局", "--supervisor", "李副"))):
        add(_r("people", "add", name, "--role", role, "--title", title, *extra))
    add(_r("people", "import", people))
    add(_r("people", "import", people.with_name("补充.csv"), "--skip-rows", "2"))  # row 2 is there already
    # Now every row is there: refused, row by row, the same on both. (Refused before a row is inserted:
    # a sheet whose refusal comes after some rows went in leaves a gap in the server's person ids, as
    # every rolled-back insert does on PostgreSQL, whose sequences are not transactional.)
    add(_r("people", "import", people.with_name("补充.csv"), code=2, refused="第 3 行"))
    add(_r("people", "list"))
    add(_r("people", "list", "--all"))
    add(_r("ab", "set", "李副", "赵副"))
    add(_r("ab", "list"))
    # ------------------------------------------------------------ calendar and working days
    add(_r("calendar", "import-notice", NOTICE_2027, "--dry-run"))
    add(_r("calendar", "import-notice", NOTICE_2027))
    add(_r("calendar", "status", "2027"))
    add(_r("calendar", "status"))
    add(_r("workdays", "add", "2026-09-28", "7"))
    add(_r("workdays", "count", "2026-09-28", "2026-10-13"))
    add(_r("workdays", "is", "2026-10-01"))
    # ------------------------------------------------------------ absences: the whole lifecycle
    leader = ("--reason", "汇报工作", "--leaves")
    add(_r("absence", "add", "王市长", "--kind", "trip", "--from", "2026-12-08", "--to", "2026-12-10", "--dest", "北京",
           *leader))  # 1
    add(_r("absence", "add", "李副", "--kind", "trip", "--from", "2026-12-09pm", "--to", "2026-12-11am", "--dest",
           "成都", *leader, "--reported-at", "2026-12-07T08:00", "--acting", "赵副", "--contact", "13800000003"))  # 2
    add(_r("absence", "add", "赵副", "--kind", "personal", "--from", "2026-12-10", "--to", "2026-12-10", "--reason",
           "家事", "--within", "--urgent"))  # 3
    add(_r("absence", "add", "陈常务", "--kind", "vacation", "--from", "2026-12-09", "--to", "2026-12-09",
           "--dest", "三亚", "--reason", "休假"))  # 4
    add(_r("absence", "add", "教育局长", "--kind", "study", "--from", "2026-12-14", "--to", "2026-12-18", "--dest",
           "成都", "--reason", "脱产学习", "--draft"))  # 5
    add(_r("absence", "add", "公安局长", "--kind", "trip", "--from", "2026-12-14", "--to", "2026-12-15", "--dest",
           "成都", *leader))  # 6
    add(_r("absence", "add", "孙副", "--kind", "abroad", "--from", "2026-12-21", "--to", "2026-12-23", "--dest",
           "新加坡", "--reason", "考察"))  # 7
    add(_r("absence", "add", "周秘书长", "--kind", "trip", "--from", "2026-12-01", "--to", "2026-12-04", "--dest",
           "北京", *leader, "--reported-at", "2026-11-30T10:00"))  # 8 (already under way)
    add(_r("absence", "add", "王市长", "--kind", "trip", "--from", "2026-12-08", "--to", "2026-12-08", "--dest",
           "北京", *leader, code=2, refused="重叠"))  # the same leader, overlapping: refused, nothing written
    add(_r("absence", "add", "公安局长", "--kind", "sick", "--from", "2026-12-08", "--to", "2026-12-08", "--reason",
           "看病", "--within"))  # 9
    add(_r("absence", "submit", "5"))
    add(_r("absence", "advance", "5", "--by", "李副", "--comment", "同意"))
    add(_r("absence", "advance", "6", "--by", "李副", "--reject", "--comment", "请补充病假证明"))
    add(_r("absence", "withdraw", "9", "--reason", "已康复"))
    add(_r("absence", "advance", "7", "--by", "王市长"))
    add(_r("absence", "advance", "7"))  # the office's step: done by the operator signed in
    add(_r("absence", "cancel", "7", "--reason", "考察取消"))
    add(_r("absence", "extend", "8", "--to", "2026-12-06", "--reason", "会议延期"))
    add(_r("absence", "return", "8", "--on", "2026-12-06am"))
    add(_r("absence", "list"))
    add(_r("absence", "list", "--from", "2026-12-01", "--to", "2026-12-31", "--person", "王市长"))
    add(_r("absence", "list", "--state", "cancelled"))
    # ------------------------------------------------------------ acting, designation, overrides, checks
    add(_r("acting", "2026-12-10"))
    add(_r("designate", "孙副", "--for", "李副,赵副", "--from", "2026-12-10", "--to", "2026-12-10", "--reason",
           "李副、赵副同时外出"))
    add(_r("override", "--from", "2026-12-09", "--to", "2026-12-09", "--reason", "市长赴京汇报,常务副市长休假已报批",
           "--roles", "chief,executive_deputy"))
    add(_r("check", "--from", "2026-12-01", "--to", "2027-02-28"))
    # ------------------------------------------------------------ holiday duty (2027 春节: notice imported; 攀枝花
    # reads 000 art.81 as the statutory days, 除夕 to 初三: 02-05 to 02-08)
    add(_r("duty", "plan", "2027", "--holiday", "春节"))
    add(_r("duty", "plan", "2027", "--holiday", "春节", "--officers"))
    add(_r("duty", "pin", "2027-02-05", "孙副"))
    add(_r("duty", "swap", "2027-02-06", "2027-02-07"))
    add(_r("duty", "replace", "2027-02-08"))
    add(_r("duty", "replace", "2027-02-08", "周秘书长", "--reason", "原带班领导临时公务"))
    add(_r("duty", "plan", "2027", "--holiday", "春节", "--release", "2027-02-08"))  # the replacement let go
    add(_r("duty", "plan", "--month", "2027-10"))
    add(_r("duty", "plan", "--week", "2027-W17", "--officers"))
    add(_r("duty", "list", "2027"))
    # ------------------------------------------------------------ departments' holiday rosters
    add(_r("dept-roster", "template", "2027", "--holiday", "元旦", "--unit", "公安局", "-o", here / "公安局.xlsx",
           writes=("公安局.xlsx",)))
    add(_r("dept-roster", "import", here / "公安局-填好.xlsx"))
    add(_r("dept-roster", "add", "2027", "--holiday", "元旦", "--date", "2027-01-01", "--leader", "王副局长", "--title",
           "副局长", "--phone", "0812-3331001", "--officer", "李明:13908120001", "--officer", "周婷:13908120002",
           "--unit", "教育局"))
    add(_r("dept-roster", "missing", "2027", "--holiday", "元旦"))
    add(_r("dept-roster", "list", "2027", "--holiday", "元旦"))
    add(_r("dept-roster", "print", "2027", "--holiday", "元旦", "-o", here / "汇总.pdf", writes=("汇总.pdf",)))
    add(_r("dept-roster", "export", "2027", "--holiday", "元旦", "-o", here / "汇总.xlsx", writes=("汇总.xlsx",)))
    # ------------------------------------------------------------ meetings
    add(_r("meeting", "add", "--type", "executive", "--at", "2026-12-09T09:00", "--until", "11:30", "--title",
           "市政府第12次常务会议", "--place", "第一会议室", "--topic", "2027年预算草案:财政局", "--attendee",
           "财政局长"))  # 1
    add(_r("meeting", "add", "--type", "special", "--at", "2026-12-15T15:00", "--convener", "李副", "--member", "李副",
           "--member", "教育局长", "--member", "公安局长", "--topic", "校园安全"))  # 2
    add(_r("meeting", "add", "--type", "chief_office", "--at", "2026-12-01T15:00", "--topic", "冬季安全生产"))  # 3
    add(_r("meeting", "list", "--from", "2026-12-01", "--to", "2026-12-31"))
    add(_r("meeting", "show", "1"))
    add(_r("meeting", "leave", "1", "孙副", "--reason", "接待考察团", "--approve", "--by", "王市长"))
    add(_r("meeting", "leave", "1", "周秘书长", "--reason", "出席全省会议"))
    add(_r("meeting", "leave", "1", "周秘书长", "--reject", "--by", "王市长", "--comment", "请按时参会"))
    add(_r("meeting", "leave", "2", "公安局长", "--reason", "处置突发事件", "--substitute", "张三 副局长"))
    add(_r("meeting", "leave", "2", "公安局长", "--withdraw"))
    add(_r("meeting", "quorum", "1"))
    add(_r("meeting", "minutes", "3", "--done", "2026-12-04"))
    add(_r("meeting", "minutes", "3", "--clear"))
    add(_r("meeting", "minutes", "3", "--done", "2026-12-07"))
    # 攀枝花's rules set no decision documents for any meeting (only 伍家岗 art.49 and 吐鲁番 art.44 do):
    # refused the same way on both, after the meeting is read from the database
    add(_r("meeting", "documents", "3", "--done", "2026-12-07", code=2, refused="规则没有规定"))
    add(_r("meeting", "minutes", "1", "--done", "2026-12-11", code=2, refused="还没有到"))
    add(_r("meeting", "print", "1", "sheet", "-o", here / "签到表.pdf", writes=("签到表.pdf",)))
    add(_r("meeting", "print", "1", "leave", "-o", here / "请假汇总.pdf", writes=("请假汇总.pdf",)))
    add(_r("meeting", "delete", "2"))
    # ------------------------------------------------------------ exports: every kind in every format it has
    for what, formats, scope in (("weekly", ("xlsx", "pdf", "csv"), ("--week", "2026-W50")),
                                 ("duty", ("xlsx", "pdf", "docx", "csv", "ics"), ("--from", "2027-01-01", "--to",
                                                                                  "2027-12-31")),
                                 ("absences", ("xlsx", "csv", "ics", "pdf", "docx"), ("--from", "2026-12-01", "--to",
                                                                                      "2026-12-31"))):
        for fmt in formats:
            name = f"{what}.{fmt}"
            add(_r("export", what, "--format", fmt, "-o", here / name, *scope, writes=(name,)))
    add(_r("export", "weekly", "--format", "xlsx", "-o", here / "weekly-nomark.xlsx", "--week", "2026-W50",
           "--no-mark", writes=("weekly-nomark.xlsx",)))
    add(_r("export", "absences", "--format", "csv", "-o", here / "absences-mark.csv", "--mark",
           writes=("absences-mark.csv",)))
    # ------------------------------------------------------------ operators
    add(_r("operator", "add", "li", "--role", "clerk", "--display", "办公室 李秘书", "--password-stdin",
           stdin=PASSWORD))
    add(_r("operator", "add", "zhao", "--role", "unit_clerk", "--unit", "教育局", "--password-stdin", stdin=PASSWORD))
    add(_r("operator", "list"))
    add(_r("operator", "passwd", "li", "--password-stdin", stdin=NEW_PASSWORD))
    add(_r("operator", "role", "li", "viewer"))
    add(_r("operator", "role", "li", "unit_clerk", "--unit", "公安局"))
    add(_r("operator", "disable", "li"))
    add(_r("operator", "enable", "li"))
    add(_r("operator", "idle-lock", "15"))
    add(_r("operator", "idle-lock"))
    add(_r("operator", "disable", "wang", code=2, refused="管理员"))  # the last admin stays
    # the 教育局 clerk signs in on his own seat and files his unit's roster (no --unit: his own unit)
    add(_r("dept-roster", "add", "2027", "--holiday", "元旦", "--date", "2027-01-02", "--leader", "王副局长", "--phone",
           "0812-3331001", "--officer", "李明:13908120001", signed=("--operator", "zhao")))
    add(_r("dept-roster", "add", "2027", "--holiday", "元旦", "--date", "2027-01-02", "--leader", "罗副局长", "--phone",
           "0812-3330110", "--officer", "值班甲:13900000001", "--unit", "公安局", signed=("--operator", "zhao"),
           code=2, refused="本单位"))
    add(_r("absence", "list", signed=("--operator", "zhao")))  # only his unit's heads
    # ------------------------------------------------------------ the audit log, backups, copy-to, restore
    add(_r("audit", "verify"))
    # Backups differ by engine as the README says (not compared): a file's go beside it and its list holds
    # the daily automatic backups too; a server's snapshots go to this PC's data folder, and it has no
    # automatic backups. Each engine's list must show the backup just made (checked after the session).
    add(_r("backup", same=False))
    add(_r("backup", here / "手动备份.db", writes=("手动备份.db",), same=False))
    add(_r("backup", "--list", same=False))
    # copy-to copies a desktop file: the office's own file, or (server mode) the snapshot just taken,
    # which is the README's way back from a server backup (复制到新数据库)
    # ("source" differs: the file, or the snapshot; every table's count must agree)
    add(_r("--db", "{db}" if not server else here / "手动备份.db", "copy-to", spare, db=False, differs=("source",)))
    add(_r("--db", here / "示例.db", "demo", db=False))  # the demo goes into a new file, never a server
    if server:
        add(_r("backup", "--keep", "10", code=2, refused="信息中心", same=False))
        add(_r("restore", here / "手动备份.db", code=2, refused="copy-to", same=False))
        add(_r("restore", "--latest", code=2, refused="pg_restore", same=False))
    else:
        add(_r("backup", "--keep", "10", same=False))
        add(_r("restore", here / "手动备份.db", same=False))
        add(_r("restore", "--latest", same=False))
    add(_r("audit", "verify", same=False))  # whole after the restores (file) or the refusals (server)
    return runs


# ---------------------------------------------------------------- running the session

@dataclass
class Answer:
    run: Run
    code: int
    out: str
    err: str
    data: object = None
    files: dict[str, bytes] = field(default_factory=dict)


def _fill_template(path: Path) -> None:
    """The unit's clerk fills in the template: a leader and an officer for each day."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = 4
    while re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(ws.cell(row, 1).value or "")):
        for col, value in enumerate(("罗副局长", "副局长", "0812-3330110", "值班甲", "13900000001"), start=2):
            ws.cell(row, col, value)
        row += 1
    wb.save(path.with_name(path.stem + "-填好.xlsx"))


PEOPLE_CSV = ("姓名,角色,职务,排名,电话,单位,分管领导\n"
              "财政局长,dept_head,市财政局局长,,0812-3330003,财政局,赵副\n"
              "值班员甲,staff,值班员,,13900000001,,\n"
              "值班员乙,staff,值班员,,13900000002,,\n"
              "值班员丙,staff,值班员,,13900000003,,\n")


def session(engine: str, db: str, here: Path, spare: str, capsys, monkeypatch) -> list[Answer]:
    here.mkdir(parents=True, exist_ok=True)
    (here / "人员.csv").write_text(PEOPLE_CSV, encoding="utf-8-sig")
    (here / "补充.csv").write_text("姓名,角色,职务\n值班员甲,staff,值班员\n值班员丁,staff,值班员\n", encoding="utf-8-sig")
    answers = []
    for run in script(engine):
        argv = [a.replace("{db}", db).replace("{here}", str(here)).replace("{spare}", spare) for a in run.argv]
        if run.db:
            argv = ["--db", db, *run.signed, *argv]
        if argv[-1] != "--version":
            argv.append("--json")
        monkeypatch.setattr(sys, "stdin", io.StringIO((run.stdin or "") + "\n"))
        code = main(argv, clock=CLOCK)
        out, err = capsys.readouterr()
        where = f"{engine}: dutydesk {' '.join(argv)}"
        assert code == run.code, f"{where}\n exit {code}, expected {run.code}\n{err}{out}"
        answer = Answer(run, code, out, err)
        if code == 0 and argv[-1] == "--json":
            answer.data = json.loads(out)
        if run.refused:
            assert run.refused in err and re.search(r"[\u4e00-\u9fff]", err), f"{where}\n{err}"
        for name in run.writes:
            written = here / name
            assert written.exists() and written.stat().st_size > 0, f"{where}: {name} not written"
            answer.files[name] = written.read_bytes()
        if run.writes == ("公安局.xlsx",):  # the unit's clerk fills it in before the office imports it
            _fill_template(here / "公安局.xlsx")
        answers.append(answer)
    return answers


# ---------------------------------------------------------------- comparing the two sessions

def _normalised(data, places: dict[str, str]):
    """The JSON answer with only what legitimately differs between the engines replaced:

    - the database's location (a file path on one, a postgresql:// URL on the other), the session's
      folder (each session writes its exports, backups and snapshots into its own tmp folder) and the
      empty server database each session copies into, wherever they occur in a string ("db", "where",
      "output" and the messages naming them).

    What else differs is taken out where it arises, each with its reason: `Run.differs`, `_copy_report`,
    `_audit_report`, and `_table` for the files.
    """
    if isinstance(data, dict):
        return {k: _normalised(v, places) for k, v in data.items()}
    if isinstance(data, list):
        return [_normalised(v, places) for v in data]
    if isinstance(data, str):
        for text, placeholder in places.items():
            data = data.replace(text, placeholder)
        return data
    return data


def _audit_report(report: dict, engine: str) -> dict:
    """`audit verify`: a file's log is anchored beside the file and signed with this PC's key (README
    "审计日志能发现什么" 3 and 4); on a server the database itself guards the log (an append-only table,
    README "审计日志"), so there is no anchor and no signature. The head of the hash chain differs too: each
    row's hash covers its full record image, and an operator's image holds the scrypt hash of the password
    with a random salt (and the file's first rows were written before anyone signed in, by the computer's
    login, where `server init` writes as its new 管理员). Both logs must be whole, of the same length, with
    no finding; the rest must agree."""
    report = dict(report)
    anchor, signatures = report.pop("anchor"), report.pop("signatures")
    assert len(report.pop("head_hash")) == 64
    if engine == "postgresql":
        assert anchor is None and signatures["signed"] == 0, (anchor, signatures)
    else:
        assert anchor["rows"] == report["rows"] and signatures["bad"] == [], (anchor, signatures)
    return report


def _copy_report(report: dict, engine: str) -> dict:
    """`copy-to` from the file: its `meta` has one row a server's has not, the file's own `database_id`
    (what its audit key is filed under, README "审计日志能发现什么" 4; a server database signs nothing, so
    its snapshot has none). The rest of every table's count must agree."""
    assert engine == "sqlite"
    report = dict(report)
    report["tables"] = dict(report["tables"], meta=report["tables"]["meta"] - 1)
    report["rows"] -= 1
    return report


def _table(payload: bytes, name: str):
    """What an xlsx/csv/ics file says, without what is not content (a zip's timestamps; the ICS DTSTAMP,
    the real time of the export, README "导出") and without the database's calendar id in the ICS UIDs:
    each database draws its own once (README "导出": UID 取自数据库自己的日历编号), so two databases
    never share UIDs; a copy made by copy-to keeps its source's."""
    if name.endswith(".xlsx"):
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(payload))
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    text = payload.decode("utf-8-sig")
    if name.endswith(".ics"):
        text = re.sub(r"(?m)^DTSTAMP:.*$", "DTSTAMP:…", text)
        text = re.sub(r"-[0-9a-f]{16}@dutydesk", "-<calendar id>@dutydesk", text)
    return text


def test_every_readme_command_on_a_file_and_on_a_server(tmp_path, empty_server, pg_template, capsys, monkeypatch):
    monkeypatch.setattr(access, "SCRYPT_N", 2**4)  # cheap password hashes (they carry their own cost): ~120 sign-ins
    monkeypatch.setenv("DUTYDESK_PASSWORD", PASSWORD)
    monkeypatch.delenv("DUTYDESK_OPERATOR", raising=False)
    spares = [_spare(pg_template) for _ in range(2)]
    try:
        file_db = str(tmp_path / "file" / "office.db")
        on_file = session("sqlite", file_db, tmp_path / "file", str(spares[0]), capsys, monkeypatch)
        on_server = session("postgresql", str(empty_server), tmp_path / "server", str(spares[1]), capsys, monkeypatch)
    finally:
        for spare in spares:
            _drop(pg_template, spare)
    made = {k: v for a in on_file + on_server if a.run.setup for k, v in a.data.items() if k in ("org", "profile")}
    assert made == {"org": ORG, "profile": "panzhihua"}
    for a, b in zip([a for a in on_file if not a.run.setup], [b for b in on_server if not b.run.setup], strict=True):
        assert _words(a.run) == _words(b.run)
        command = " ".join(a.run.argv)
        if a.code != 0 or b.code != 0:  # refused: the same message on both (where the README says so)
            if a.run.same:
                assert a.err.replace(file_db, "<db>") == b.err.replace(str(empty_server), "<db>"), command
            continue
        for name, payload in a.files.items():
            if name.endswith((".xlsx", ".csv", ".ics")):
                assert _table(payload, name) == _table(b.files[name], name), (command, name)
        if not a.run.same:
            continue
        left = _normalised(a.data, {file_db: "<db>", str(tmp_path / "file"): "<here>", str(spares[0]): "<spare>"})
        right = _normalised(b.data, {str(empty_server): "<db>", str(tmp_path / "server"): "<here>",
                                     str(spares[1]): "<spare>"})
        for key in a.run.differs:
            assert left.pop(key) and right.pop(key), (command, key)
        if "copy-to" in a.run.argv:
            left = _copy_report(left, "sqlite")
        if a.run.argv[:2] == ("audit", "verify"):
            left, right = _audit_report(left, "sqlite"), _audit_report(right, "postgresql")
        assert left == right, command
    for answers in (on_file, on_server):  # the backups each engine made are listed, and are whole
        made_by = {" ".join(a.run.argv): a for a in answers}
        listed = {b["path"]: b["ok"] for b in made_by["backup --list"].data["backups"]}
        assert listed[made_by["backup"].data["backup"]] is True, listed
        last = answers[-1]
        assert last.run.argv == ("audit", "verify") and last.data["ok"] and not last.data["findings"], last.out


# ---------------------------------------------------------------- the guard: the README's block is the script

def _spare(pg_template):
    """One more empty database on the test server (the copy-to targets), dropped by `_drop`."""
    import psycopg

    from desktop.store.location import ServerUrl

    url, base, _ = pg_template
    name = f"dd_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return ServerUrl(f"{base}/{name}")


def _drop(pg_template, spare) -> None:
    import psycopg

    with psycopg.connect(pg_template[0], autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {str(spare).rsplit('/', 1)[1]} WITH (FORCE)")


_TOP = {"--db", "--operator"}  # top-level options with a value, before the command


def readme_commands() -> set[str]:
    """The command forms of README.md's "## 命令行" block: "absence add", "dept-roster print",
    "backup --list", "acting", "--version"… (the first one or two words after ``dutydesk`` and its
    top-level options; "a|b" and " | " alternatives each count)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## 命令行", 1)[1]
    block = section.split("```", 2)[1]
    forms: set[str] = set()
    for line in block.splitlines():
        line = line.strip()
        if not line.startswith("dutydesk"):
            continue
        syntax = re.sub(r"\[[^\]]*\]", "", re.split(r"\s{2,}", line)[0])  # no [optional parts], no description
        words, top = syntax.split()[1:], []
        while words and words[0] in _TOP:
            top, words = [*top, words[0]], words[2:]
        if not words:  # `dutydesk [--db PATH|URL] [--demo]`: the window
            forms.add("(gui)")
            continue
        if not re.fullmatch(r"(--)?[a-z][a-z-]*", words[0]):  # `dutydesk --operator NAME 子命令 …`
            forms.update(top)
            continue
        head = words[0]
        alternatives = " ".join(words[1:]).split(" | ")
        for alt in alternatives:
            second = alt.split()[0] if alt.split() else ""
            if re.fullmatch(r"[a-z][a-z-]*(\|[a-z][a-z-]*)*", second) or re.fullmatch(r"--[a-z-]+", second):
                forms.update(f"{head} {s}" for s in second.split("|"))
            else:
                forms.add(head)
    return forms


def _words(run: Run) -> list[str]:
    """The command line without the top-level options before the command."""
    words = list(run.argv)
    while words and words[0] in _TOP:
        words = words[2:]
    return words


def scripted_commands() -> set[str]:
    """The forms the session runs (both engines): the same reading of its command lines."""
    forms = {"--operator"}  # every command of the session signs in with --operator
    for engine in ("sqlite", "postgresql"):
        for run in script(engine):
            words = _words(run)
            head, rest = words[0], words[1:]
            forms.add(head)
            if rest and re.fullmatch(r"[a-z][a-z-]*", rest[0]):
                forms.add(f"{head} {rest[0]}")
            forms.update(f"{head} {w}" for w in rest if w.startswith("--"))
    return forms


def test_every_readme_command_is_in_the_script():
    readme = readme_commands()
    assert {"absence add", "dept-roster print", "meeting leave", "backup --list", "operator idle-lock", "copy-to",
            "server init", "restore", "demo", "--version", "absence withdraw"} <= readme  # the parser reads the block
    missing = readme - scripted_commands() - {"(gui)"}  # the GUI is not a command: the GUI tests open it
    assert not missing, f"README commands the session does not run: {sorted(missing)}"
