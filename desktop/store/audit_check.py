"""`audit verify`, whole: the hash chain, the data against the log, and the chain's head against its anchor.

The data check replays the log: the newest image of each record (desktop.store.images; ``None``
for a record the log deleted) is what the table must hold now. Each difference is a `Finding` in
Chinese ("第 12 条外出记录的目的地与日志不符:日志为“北京”,现为“上海”。"):

- a field differs (only the fields the log's image has: a column a later upgrade added is checked
  from the record's next change on);
- a record is in the table with no image in the log (written outside the program, or the log rows
  that wrote it were deleted);
- a record the log has is gone, with no deletion in the log.

The rule for databases an older DutyDesk wrote (its audit rows carry no images): the first change
saved by this version stores a *baseline*, every record as it stands then, on its audit row. From
there on every record is checked; what was changed before the baseline cannot be told apart from
a change the program made and is not reported. A database with old rows and no baseline yet (never
changed since the upgrade) is reported as 无法核验 (`unverifiable`), not as tampered. A log with no
rows at all beside records (other than the calendar and settings a new database starts with) is
tampering: the program never writes a record without its audit row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.store import anchors, audit, images
from desktop.store.backups import list_backups
from desktop.store.db import Store

#: What a person reads for a column (the rest are shown by their column name).
FIELD_LABELS = {
    "name": "姓名", "role": "角色", "title": "职务", "rank": "排名", "phone": "电话", "unit": "单位", "active": "启用状态",
    "note": "备注", "portfolio": "分管单位", "ab_partner": "AB角", "kind": "类别", "start": "开始日期", "end": "结束日期",
    "start_half": "开始半天", "end_half": "结束半天", "destination": "目的地", "reason": "事由", "person_id": "人员",
    "leaves_jurisdiction": "是否离开辖区", "reported_at": "报备时间", "urgent": "紧急标记", "contact": "联系方式",
    "state": "状态", "actual_return": "实际返回日期", "acting": "代行人", "steps": "审批步骤", "designee_id": "被指定人",
    "absent": "外出的领导", "date_from": "开始日期", "date_to": "结束日期", "roles": "角色", "assignments": "值班人员",
    "label": "名称", "slot": "班次", "quota": "份额", "day": "日期", "title_": "标题", "starts_at": "开始时间",
    "ends_at": "结束时间", "place": "地点", "members": "参会人员", "topics": "议题", "substitute": "代参会人",
    "display_name": "显示名", "password_hash": "密码", "days": "日期设置", "value": "值", "version": "版本号",
    "updated_at": "修改时间", "created_at": "创建时间", "type": "会议类型", "year": "年份", "source": "来源",
    "unit_id": "单位", "entries": "值班人员", "holiday": "假期",
}
SETTING_LABELS = {"org_name": "单位名称", "profile_id": "规则预设", "backup_keep": "自动备份保留份数",
                  "idle_lock_minutes": "空闲锁定时间", "max_absence_span": "最长外出天数"}
_ROLE_LABELS = {"admin": "管理员", "clerk": "办公室录入员", "unit_clerk": "单位录入员", "viewer": "只读"}


@dataclass(frozen=True)
class Finding:
    """One record that does not agree with the log."""

    entity: str  # desktop.store.images kind: absence, person, operator…
    key: str
    problem: str  # changed | unlogged | deleted
    field: str | None
    logged: Any
    current: Any
    message: str

    def as_json(self) -> dict:
        return {"entity": self.entity, "id": self.key, "problem": self.problem, "field": self.field,
                "logged": self.logged, "current": self.current, "message": self.message}


@dataclass
class DataCheck:
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0  # records compared with the log
    unverifiable: int = 0  # records the log has no image of (an older DutyDesk wrote it): 无法核验
    baseline: int | None = None  # the audit row holding the baseline (None: the log has no image)
    old_log: bool = False  # an older DutyDesk's log not changed since: every record 无法核验


def record_name(kind: images.Kind, key: str) -> str:
    """“第 12 条外出记录”, “编号 3 的人员”, “设置“单位名称””, “2026 年的日历”."""
    if kind.name in ("operator", "person", "unit", "meeting", "duty_plan"):
        return f"编号 {key} 的{kind.label}"
    if kind.name == "setting":
        return f"设置“{SETTING_LABELS.get(key, key)}”"
    if kind.name == "calendar":
        return f"{key} 年的日历"
    if kind.name in ("duty_quota", "duty_unavailable"):
        return f"{kind.label}({key.replace('|', ',')})"
    return f"第 {key} 条{kind.label}"


def _show(kind: str, column: str, value: Any) -> str:
    if value is None:
        return "空"
    if column == "password_hash":
        return "(密码摘要)"
    if kind == "operator" and column == "role":
        return _ROLE_LABELS.get(value, str(value))
    if column == "active":
        return {1: "启用", 0: "停用"}.get(value, str(value))
    if isinstance(value, str) and value.startswith("sha256:"):
        return "摘要 " + value[7:19]
    if isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + "…"
    return str(value)


def _project(logged: Any, current: Any) -> Any:
    """`current` with only the fields `logged` has (columns added by a later upgrade are not compared)."""
    if isinstance(logged, dict) and isinstance(current, dict):
        return {k: _project(logged[k], current[k]) for k in logged if k in current}
    if isinstance(logged, list) and isinstance(current, list) and len(logged) == len(current):
        return [_project(a, b) for a, b in zip(logged, current, strict=True)]
    return current


def replay(store: Store) -> tuple[images.Images, int | None]:
    """The newest image of every record in the log, and the id of the first row with images."""
    state: images.Images = {}
    first: int | None = None
    if not audit.has_images(store):
        return state, None
    for rid, text in store.conn.execute("SELECT id, image FROM audit WHERE image IS NOT NULL ORDER BY id"):
        try:
            found = json.loads(text)
        except ValueError:
            continue  # the chain check reports the row
        if not isinstance(found, dict):
            continue
        first = rid if first is None else first
        for kind, records in found.items():
            if isinstance(records, dict):
                state.setdefault(kind, {}).update(records)
    return state, first


def check_data(store: Store) -> DataCheck:
    result = DataCheck()
    logged, first = replay(store)
    result.baseline = first
    current = images.normalised(images.all_images(store))
    # An older DutyDesk's log has changes in it; sign-ins alone (a log emptied by hand, then signed in to) do not count.
    log_rows = store.conn.execute("SELECT count(*) FROM audit WHERE action NOT IN ('sign_in', 'sign_in_failed')").fetchone()[0]
    if first is None and log_rows:
        # An older DutyDesk's log, not changed since the upgrade: nothing to compare with yet.
        result.unverifiable = sum(len(v) for v in current.values())
        result.old_log = True
        return result
    for kind in images.KINDS:
        now = current.get(kind.name, {})
        then = logged.get(kind.name, {})
        for key in sorted(set(now) | set(then), key=lambda k: (len(k), k) if kind.numeric else (0, k)):
            was, cur = then.get(key), now.get(key)
            name = record_name(kind, key)
            if cur is None and was is None:
                continue
            if was is None:
                if first is None and kind.seeded:  # a new database never changed: the migration wrote it
                    result.unverifiable += 1
                    continue
                deleted = key in then
                result.findings.append(Finding(
                    kind.name, key, "unlogged", None, None, cur,
                    f"{name}在数据库中,但日志中" + ("记录它已被删除" if deleted else "没有写入它的记录")
                    + ":它是在程序之外写入或恢复的,或者写入它的日志已被删除。"))
                continue
            result.checked += 1
            if cur is None:
                result.findings.append(Finding(kind.name, key, "deleted", None, was, None,
                                               f"{name}已不在数据库中,但日志中没有删除它的记录(被在程序之外删除)。"))
                continue
            shown = _project(was, cur)
            if shown == was:
                continue
            for column in was:
                if column not in cur or shown.get(column) == was[column]:
                    continue
                label = FIELD_LABELS.get(column, column)
                if kind.name == "setting" and column == "value":
                    label = "值"
                result.findings.append(Finding(
                    kind.name, key, "changed", column, was[column], cur[column],
                    f"{name}的{label}与日志不符:日志为“{_show(kind.name, column, was[column])}”,"
                    f"现为“{_show(kind.name, column, cur[column])}”。"))
    return result


# ---------------------------------------------------------------- the anchor

@dataclass(frozen=True)
class AnchorCheck:
    """The log against the newest anchor (desktop.store.anchors); ``problem`` None: it agrees."""

    anchor: anchors.Anchor | None
    from_file: bool
    problem: str | None = None  # shortened | rewritten | extended | break
    missing: int = 0
    extra: int = 0
    messages: tuple[str, ...] = ()
    note: str | None = None

    def as_json(self) -> dict | None:
        if self.anchor is None:
            return None
        return {**self.anchor.as_json(), "problem": self.problem, "missing": self.missing, "extra": self.extra,
                "messages": list(self.messages)}


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def newest_anchor(db_path: Path) -> anchors.Anchor | None:
    """The anchor verify compares with: the anchor file, else the newest backup's sidecar (not a
    恢复前 backup's: that is the chain a restore replaced)."""
    found = anchors.read(anchors.anchor_path(db_path))
    if found is not None:
        return found
    for info in list_backups(db_path):
        if info.reason == "pre-restore":
            continue
        side = anchors.read(anchors.sidecar_path(info.path))
        if side is not None:
            return side
    return None


def check_anchor(store: Store, chain: audit.Chain) -> AnchorCheck:
    if store.path is None:
        return AnchorCheck(None, False)
    found = newest_anchor(store.path)
    if found is None:
        note = "没有找到审计日志的锚点文件(这个数据库还没有用本版本保存过修改),无法核对日志末尾是否被删除。" if chain.count else None
        return AnchorCheck(None, False, note=note)
    from_file = found.source == str(anchors.anchor_path(store.path))
    note = None if from_file else (f"锚点文件 {anchors.anchor_path(store.path).name} 不在(被删除,或还没有保存过修改),"
                                   f"改用备份的锚点({_when(found.at)})核对。")
    messages: list[str] = []
    problem: str | None = None
    missing = extra = 0
    if found.broken:
        b = found.broken
        problem = "break"
        was, then = int(b.get("anchor_rows", 0)), int(b.get("found_rows", 0))
        if then < was:
            missing = was - then
            what = f"日志少了 {missing} 条:末尾的记录在程序之外被删除了"
        elif then > was:
            extra = then - was
            what = f"日志多出 {extra} 条不是由本程序写入的记录"
        else:
            what = "条数相同但最后一条的哈希不同:日志在程序之外被改写过(例如删改记录后重新计算了哈希链)"
        messages.append(f"{_when(str(b.get('at', '')))} 保存修改时发现审计日志与锚点不一致:锚点({_when(str(b.get('anchor_at', '')))})"
                        f"记有 {was} 条,当时日志有 {then} 条,{what}。")
    prev = found.prev
    if prev and chain.count == int(prev.get("rows", -1)) and chain.head_hash == prev.get("hash"):
        pass  # the last save did not commit (a crash between the anchor and the commit): nothing lost
    elif chain.count < found.rows:
        problem, missing = problem or "shortened", found.rows - chain.count
        messages.append(f"审计日志比锚点少了 {missing} 条:{_when(found.at)} 时日志共有 {found.rows} 条,现在只有 {chain.count} 条。"
                        "日志末尾的记录在程序之外被删除了。")
    elif found.rows and chain.hashes[found.rows - 1] != found.hash:
        problem = problem or "rewritten"
        messages.append(f"审计日志与锚点({_when(found.at)})不一致:第 {found.rows} 条记录的哈希与锚点记下的不同,"
                        "日志在程序之外被改写过(例如删改记录后重新计算了哈希链)。")
    elif chain.count > found.rows and from_file:
        problem, extra = problem or "extended", chain.count - found.rows
        messages.append(f"审计日志在锚点({_when(found.at)})之后多出 {extra} 条记录(编号 {chain.ids[found.rows]} 起),"
                        "不是由本程序写入的:程序每次保存修改都会同时更新锚点。")
    return AnchorCheck(found, from_file, problem, missing, extra, tuple(messages), note)


# ---------------------------------------------------------------- the signatures (operator accounts)

@dataclass
class MacCheck:
    """The rows' HMACs against this PC's key (desktop.store.auditkey)."""

    signed: int = 0
    checked: int = 0  # verified with the key here
    bad: list[int] = field(default_factory=list)  # signature does not match the row
    unsigned: list[int] = field(default_factory=list)  # no signature after the first signed row
    foreign: list[int] = field(default_factory=list)  # signed with a key this PC does not have: 无法核验
    key_where: str | None = None
    stripped: bool = False  # this PC keeps the database's key, yet no row is signed

    @property
    def ok(self) -> bool:
        return not self.bad and not self.unsigned and not self.stripped

    def as_json(self) -> dict:
        return {"signed": self.signed, "checked": self.checked, "bad": self.bad, "unsigned": self.unsigned,
                "stripped": self.stripped,
                "unverifiable": len(self.foreign), "key": self.key_where}

    def lines(self) -> list[str]:
        out = []
        if self.stripped:
            out.append(f"本机保存着这个数据库的审计日志密钥({self.key_where}),日志中却没有任何一条有签名:"
                       "签名在程序之外被去掉了(日志很可能被整条改写过)。")
        if self.bad:
            out.append(f"从编号 {self.bad[0]} 起有 {len(self.bad)} 条日志记录的密钥签名不符:这些记录在写入后被改动过,"
                       "或整条哈希链在程序之外被重新计算过(签名用的密钥不在数据库文件中,改写日志的人算不出它)。")
        if self.unsigned:
            shown = "、".join(str(i) for i in self.unsigned[:10]) + ("……" if len(self.unsigned) > 10 else "")
            out.append(f"编号 {shown} 的 {len(self.unsigned)} 条日志记录没有密钥签名:启用操作员账户后,本程序写入的每条日志"
                       "都有签名,这些记录不是由本程序写入的(或写入时密钥无法保存)。")
        return out

    def note(self) -> str | None:
        if not self.foreign:
            return None
        return (f"有 {len(self.foreign)} 条日志记录的密钥签名无法核验(编号 {self.foreign[0]} 起):本机没有写入它们时用的密钥"
                "(在另一台电脑或另一个 Windows 账户中,或已丢失)。数据照常可读;这些记录的哈希链和数据核对不受影响。")


def check_macs(store: Store) -> MacCheck:
    result = MacCheck()
    if store.server or not audit.has_macs(store):  # a server guards its log itself (no PC's key)
        return result
    from desktop.store import auditkey

    key = store.audit_key or auditkey.find(store)
    result.key_where = key.where if key else None
    seen_signed = False
    for rid, digest, mac in store.conn.execute("SELECT id, hash, mac FROM audit ORDER BY id"):
        if not mac:
            if seen_signed or (key is not None and key.since is not None and rid >= key.since):
                result.unsigned.append(rid)
            continue
        seen_signed = True
        result.signed += 1
        if key is None or not str(mac).startswith(key.id + ":"):
            result.foreign.append(rid)
        elif key.check(digest, mac):
            result.checked += 1
        else:
            result.bad.append(rid)
    if key is not None and not seen_signed and store.conn.execute("SELECT 1 FROM audit LIMIT 1").fetchone():
        result.stripped = True  # the key is made with the first signed row: it was there
    return result


# ---------------------------------------------------------------- the whole check

RESTORE_HINT = ("请保留这个数据库文件(复制一份交给管理员),核对以上记录;要撤销这些改动,"
                "请从改动之前的备份恢复(文件 → 恢复备份…,或 dutydesk restore 备份文件)。")


@dataclass
class Report:
    chain: audit.Chain
    data: DataCheck
    anchor: AnchorCheck
    broken_row: str = ""  # “(2026-11-21 09:30 测试员:修改人员 陈明)”
    macs: MacCheck = field(default_factory=MacCheck)

    @property
    def ok(self) -> bool:
        return (self.chain.first_broken is None and not self.data.findings and not self.anchor.messages
                and self.macs.ok)

    def as_json(self) -> dict:
        first = self.chain.first_broken
        checked = self.chain.count if first is None else self.chain.ids.index(first) + 1
        return {"rows": checked, "ok": self.ok, "first_broken": first,
                "chain_ok": first is None, "head_hash": self.chain.head_hash,
                "records_checked": self.data.checked, "unverifiable": self.data.unverifiable,
                "baseline": self.data.baseline, "findings": [f.as_json() for f in self.data.findings],
                "anchor": self.anchor.as_json(), "missing": self.anchor.missing, "signatures": self.macs.as_json()}

    def lines(self) -> list[str]:
        out: list[str] = []
        first = self.chain.first_broken
        if first is not None:
            before = self.chain.ids.index(first)
            out.append(f"审计日志在编号 {first} 的记录处断开{self.broken_row}:这条记录(或它之前的一条)在写入后被改动或"
                       f"删除过,从第 {before + 1} 条起的记录不能再证明未被篡改(之前的 {before} 条完好)。")
        out += list(self.anchor.messages)
        out += self.macs.lines()
        if self.data.findings:
            out.append(f"发现 {len(self.data.findings)} 处数据与审计日志不符(在程序之外被改动):")
            out += [f"  {f.message}" for f in self.data.findings[:200]]
            if len(self.data.findings) > 200:
                out.append(f"  ……另有 {len(self.data.findings) - 200} 处")
        if not self.ok:
            if self.anchor.note:
                out.append(self.anchor.note)
            if self.macs.note():
                out.append(self.macs.note())
            out.append(RESTORE_HINT)
            return out
        text = f"审计日志完好:共 {self.chain.count} 条,哈希链连续;{self.data.checked} 条记录与日志一致。"
        if self.macs.checked:
            text += f"{self.macs.checked} 条日志的密钥签名正确(密钥:{self.macs.key_where})。"
        out.append(text)
        if self.anchor.note:
            out.append(self.anchor.note)
        if self.macs.note():
            out.append(self.macs.note())
        if self.data.unverifiable:
            if self.data.baseline is None and self.data.old_log:
                out.append(f"有 {self.data.unverifiable} 条记录无法核验:这个数据库的日志由旧版本写入,没有记录数据的完整内容。"
                           "下次保存任何修改时,程序会把当时的全部数据记入日志作为基线,此后的改动都能核验。")
            else:
                out.append(f"有 {self.data.unverifiable} 条记录(新数据库自带的日历和设置)尚未记入日志,无法核验;"
                           "保存第一次修改后即可核验。")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def verify(store: Store) -> Report:
    chain = audit.read_chain(store)
    what = ""
    if chain.first_broken is not None:
        row = store.conn.execute("SELECT at, operator, summary FROM audit WHERE id = ?", (chain.first_broken,)).fetchone()
        what = f"({row[0][:16].replace('T', ' ')} {row[1]}:{row[2]})" if row else ""
    return Report(chain, check_data(store), check_anchor(store, chain), what, check_macs(store))


# ---------------------------------------------------------------- a backup to go back to (帮助 → 校验审计日志…)

def matching_backup(db_path: Path, clock: Any) -> tuple[Any, Report] | None:
    """The newest backup whose own log agrees with its anchor (the ``.anchor.json`` sidecar), with its
    data and, where signed, with the key: (desktop.store.backups.BackupInfo, its report), or None.

    Each candidate passes the restore's own check first (integrity, a DutyDesk database, the checksum
    taken when it was made); it is read read-only and immutable, never written."""
    import sqlite3  # backups are SQLite files, whatever engine the database runs on

    from desktop.store.backups import check_backup, open_backup_store

    for info in list_backups(db_path):
        if anchors.read(anchors.sidecar_path(info.path)) is None or check_backup(info.path, thorough=True):
            continue
        try:
            copy = open_backup_store(info.path, clock)
        except sqlite3.Error:  # a file that cannot be opened is no candidate
            continue
        try:
            report = verify(copy)
        except sqlite3.Error:
            continue
        finally:
            copy.close()
        if report.ok:
            return info, report
    return None


def finding_row(f: Finding) -> tuple[str, str, str, str]:
    """A finding as a table row for a person: (记录, 项目, 日志中, 现在)."""
    kind = next((k for k in images.KINDS if k.name == f.entity), None)
    record = record_name(kind, f.key) if kind is not None else f"{f.entity} {f.key}"
    if f.problem == "deleted":
        return record, "整条记录", "有", "已被删除(日志中没有删除它)"
    if f.problem == "unlogged":
        return record, "整条记录", "没有", "存在(日志中没有写入它)"
    label = FIELD_LABELS.get(f.field or "", f.field or "")
    return record, label, _show(f.entity, f.field or "", f.logged), _show(f.entity, f.field or "", f.current)
