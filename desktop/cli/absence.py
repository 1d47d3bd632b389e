"""`dutydesk absence …`: travel reports and leave (外出报备与请假), their approval chain and 销假."""

from __future__ import annotations

import dataclasses

from desktop import ops
from desktop.cli.common import (
    EXIT_OK,
    SEVERITY_CN,
    ChineseArgumentParser,
    Output,
    _date,
    _date_half,
    _datetime,
    _finding_json,
    _profile,
    _record_id,
)
from desktop.core.chain import state_label
from desktop.core.errors import UserError
from desktop.core.places import infer_leaves, leaves_matters, leaves_question
from desktop.core.roles import TRAVEL_KINDS, AbsenceKind


def register(command) -> None:
    from desktop.core.absence import AbsenceState

    kinds = "、".join(f"{k.value}({k.label})" for k in AbsenceKind)
    absence = command("absence", "外出报备与请假").add_subparsers(dest="absence_command", parser_class=ChineseArgumentParser,
                                                            metavar="子命令", required=True)
    p = command("add", "登记一次外出或请假(默认立即报送并按规则生成审批流程)", absence)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--kind", required=True, choices=[k.value for k in AbsenceKind], metavar="KIND", help=kinds)
    p.add_argument("--from", dest="start", required=True, type=_date_half, metavar="DATE[pm]",
                   help="开始日期;加 pm 表示下午开始")
    p.add_argument("--to", dest="end", required=True, type=_date_half, metavar="DATE[am]",
                   help="结束日期;加 am 表示上午结束")
    p.add_argument("--dest", default="", metavar="X", help="目的地")
    p.add_argument("--reason", default="", metavar="X", help="事由")
    p.add_argument("--reported-at", type=_datetime, default=None, metavar="DATETIME", help="报告时间(默认现在)")
    p.add_argument("--urgent", action="store_true", help="因紧急事项临时外出")
    p.add_argument("--acting", action="append", default=[], metavar="NAME", help="代行人(可重复)")
    p.add_argument("--delegate", default=None, metavar="NAME",
                   help="受委托代行人:规则允许主要负责人授权委托时(delegates),写明委托的那一位;须在外出期间在岗")
    p.add_argument("--contact", default="", metavar="X", help="外出期间联系方式")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--leaves", dest="leaves", action="store_true", default=None, help="离开辖区(离攀/离县/离市);不写时按目的地判断,判断不了且影响流程时须写明")
    where.add_argument("--within", dest="leaves", action="store_false", help="不离开辖区")
    p.add_argument("--draft", action="store_true", help="只保存草稿,不报送")
    p = command("advance", "办理下一步(报告/审批/通报/报备),或退回", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--by", default=None, metavar="NAME",
                   help="办理人姓名;领导审批的步骤必填(可由代行人办理),办公室的步骤默认为当前登录的操作员(未启用登录时为本单位)")
    p.add_argument("--reject", action="store_true", help="退回(需写明理由)")
    p.add_argument("--comment", default="", metavar="X")
    p = command("return", "销假:登记实际返回日期", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--on", required=True, type=_date_half, metavar="DATE[am]")
    p = command("list", "列出外出/请假记录", absence)
    p.add_argument("--from", dest="start", type=_date, default=None, metavar="DATE")
    p.add_argument("--to", dest="end", type=_date, default=None, metavar="DATE")
    p.add_argument("--person", default=None, metavar="NAME")
    p.add_argument("--state", default=None, choices=[s.value for s in AbsenceState], metavar="S",
                   help="、".join(f"{s.value}({s.label})" for s in AbsenceState))
    p = command("extend", "延期(或提前结束):修改已批准(或只待报告、报备)记录的计划结束日期,保留原计划", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--to", dest="end", required=True, type=_date_half, metavar="DATE[am]")
    p.add_argument("--reason", default="", metavar="X")
    p = command("submit", "报送一条草稿(按规则生成流程)", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p = command("cancel", "取消已批准(或只待报告、报备)但尚未开始的外出", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--reason", default="", metavar="X")
    p = command("withdraw", "撤回尚未批准的外出/请假", absence)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("--reason", default="", metavar="X")


def _absence_json(r, steps=None, names=None, label: str | None = None) -> dict:
    """``label``: the state as said for the record's chain (已备案 …); default from ``steps``."""
    from desktop.core.chain import state_label

    names = names or {}
    data = {"id": r.id, "person": names.get(r.person_id, r.person_id), "kind": r.kind.value, "kind_label": r.kind.label,
            "start": r.start, "start_half": r.start_half.value, "end": r.end, "end_half": r.end_half.value,
            "destination": r.destination, "reason": r.reason, "leaves_jurisdiction": r.leaves_jurisdiction,
            "reported_at": r.reported_at.isoformat(timespec="minutes") if r.reported_at else None, "urgent": r.urgent,
            "acting": [names.get(i, i) for i in r.acting_ids], "contact": r.contact, "state": r.state.value,
            "state_label": label or (state_label(r.state, steps) if steps is not None else r.state.label),
            "actual_return": r.actual_return}
    if steps is not None:
        data["steps"] = [_step_json(s) for s in steps]
    return data


def _step_json(s) -> dict:
    """One step as it stands today. Added keys: ``assignee`` (who the step is with, or who did it),
    ``acting_for`` (the approver he or she acts for, or null), ``may_be_done_by`` (the names that
    may do a pending person step today: the acting person and the approver; [] for an office step)."""
    return {"seq": s.seq, "stage": s.stage, "action": s.action.value, "label": s.label, "target": s.target_text,
            "state": s.state.value, "done_by": s.done_by, "note": s.note, "assignee": s.assignee_name or None,
            "acting_for": s.substitute_for_name or None, "may_be_done_by": list(s.may_be_done_by)}


def _waiting(steps) -> list:
    """The pending steps of the current stage (what the record waits for now)."""
    from desktop.core.chain import StepState, current_stage

    stage = current_stage(steps)
    return [s for s in steps if s.stage == stage and s.state is StepState.pending]


def _waiting_text(steps) -> str:
    return ";".join(f"{s.label}({s.target_text})" for s in steps)


def _absence_line(r, names, label: str = "") -> str:
    return (f"#{r.id:<5} {names.get(r.person_id, r.person_id):<6} {r.kind.label:<6} {r.span_text:<28} "
            f"{r.destination:<10} {label or r.state.label}")


def cmd_absence(args, store, out: Output) -> int:
    from desktop.core.absence import Absence, Half
    from desktop.core.absence import AbsenceState as ab_state
    from desktop.core.chain import OUTCOME_STEP_DONE, outcome_label
    from desktop.store import absences, people

    profile = _profile(store)
    names = {p.id: p.name for p in people.list_people(store)}
    c = args.absence_command
    if c == "add":
        person = people.find_person(store, args.name)
        kind = AbsenceKind(args.kind)
        leaves = args.leaves
        if leaves is None:  # read from the destination; asked where it changes a rule (004 art.69, 002 art.9)
            leaves = infer_leaves(profile, args.dest, kind)
            if leaves is None and leaves_matters(profile, person.role, kind):
                raise UserError(f"{leaves_question(profile, args.dest)}:加 --leaves(离开)或 --within(不离开)后重试。")
            if leaves is None:
                leaves = kind in TRAVEL_KINDS
        acting_ids = tuple(people.find_person(store, n).id for n in args.acting)
        draft = Absence(id=None, person_id=person.id, kind=kind, start=args.start[0], start_half=Half(args.start[1]),
                        end=args.end[0], end_half=Half(args.end[1]), destination=args.dest, reason=args.reason,
                        leaves_jurisdiction=leaves, reported_at=args.reported_at, urgent=args.urgent,
                        acting_ids=acting_ids, contact=args.contact)
        if args.delegate is not None:  # 授权委托: only where the rule allows it (checked again by the operation)
            from desktop.core.acting import delegate_rule

            if acting_ids:
                raise UserError("--delegate(受委托代行人)与 --acting 只能写一个,请去掉其中之一。没有修改任何数据。")
            delegate_rule(profile, person, draft)
            draft = dataclasses.replace(draft, acting_ids=(people.find_person(store, args.delegate).id,))
        saved = ops.absences.add_absence(store, profile, draft, submit=not args.draft).value
        data = _absence_json(saved.record, saved.steps, names) | {"findings": [_finding_json(f) for f in saved.findings]}

        def text() -> str:
            lines = [f"已登记 #{saved.record.id}:{person.name} {saved.record.kind.label} {saved.record.span_text},"
                     f"状态:{state_label(saved.record.state, saved.steps)}"]
            if args.delegate is not None:
                lines.append(f"  受委托代行:{names.get(saved.record.acting_ids[0], '')}")
            lines += [f"  步骤{s.seq}:{s.label}({s.target_text}){'  ' + s.note if s.note else ''}" for s in saved.steps]
            lines += [f"  [{SEVERITY_CN[f.severity]}] {f.message}" for f in saved.findings]
            return "\n".join(lines)

        out.emit(data, text)
    elif c == "advance":
        by = args.by
        if by is None:
            waiting = ops.absences.steps_today(store, profile, args.id)
            by = ops.absences.default_doer(store, waiting)
            if by is None:
                doers = "、".join(ops.absences.step_doers(store, waiting))
                raise UserError(f"编号 {args.id} 的当前步骤需由领导办理,请用 --by 写明实际签批人"
                                + (f"(可由 {doers} 办理)" if doers else "") + "。没有修改任何数据。")
        record, outcome = ops.absences.advance_absence(store, args.id, by, reject=args.reject, comment=args.comment,
                                                       profile=profile).value
        steps = ops.absences.steps_today(store, profile, args.id, record)
        nxt = next((s for s in steps if s.state.value == "pending"), None)
        done = [s for s in steps if s.done_at is not None and s.state.value in ("done", "rejected")]
        last = max(done, key=lambda s: (s.done_at, s.seq)) if done else None
        what = f"({last.label}:{last.done_by})" if last is not None else ""
        out.emit(_absence_json(record, steps, names) | {"outcome": outcome},
                 f"#{record.id}:{outcome_label(outcome, record.state.value == 'approved', steps)}{what}。"
                 + (f"下一步:{nxt.label}({nxt.target_text})" if nxt and outcome == OUTCOME_STEP_DONE else "")
                 + (f"  {nxt.note}" if nxt and nxt.note and outcome == OUTCOME_STEP_DONE else ""))
    elif c == "return":
        record = ops.absences.return_absence(store, args.id, args.on[0], Half(args.on[1])).value
        from desktop.core.absence import return_note

        out.emit(_absence_json(record, None, names), f"#{record.id} 已销假:{return_note(record)}")
    elif c == "extend":
        record = ops.absences.extend_absence(store, args.id, args.end[0], Half(args.end[1]), args.reason).value
        out.emit(_absence_json(record, None, names) | {"original_end": record.original_end},
                 f"#{record.id} 计划改为 {record.span_text}(原计划至 {record.original_end})。")
    elif c == "submit":
        saved = ops.absences.submit_draft(store, profile, args.id).value
        out.emit(_absence_json(saved.record, saved.steps, names) | {"findings": [_finding_json(f) for f in saved.findings]},
                 f"#{saved.record.id} 已报送,状态:{state_label(saved.record.state, saved.steps)}。")
    elif c in ("cancel", "withdraw"):
        record = ops.absences.set_state(store, args.id, c, args.reason).value
        out.emit(_absence_json(record, None, names), f"#{record.id} {record.state.label}。")
    else:
        person_id = people.find_person(store, args.person).id if args.person else None
        rows = absences.list_absences(store, start=args.start, end=args.end, person_id=person_id,
                                      state=ab_state(args.state) if args.state else None)
        rows = ops.scope.of(store).absences(rows)  # a 单位录入员: his own unit's heads only
        # what each record with an open chain waits for today (added key "waiting"; routed for today)
        waiting = {r.id: _waiting(ops.absences.steps_today(store, profile, r.id, r)) for r in rows
                   if r.state in (ab_state.in_progress, ab_state.returned)}
        waiting = {k: v for k, v in waiting.items() if v}
        roles = {p.id: p.role for p in people.list_people(store)}
        labels = {r.id: state_label(r.state, profile.chain_for(roles[r.person_id], r.kind, r.leaves_jurisdiction))
                  for r in rows if r.person_id in roles}

        def line(r) -> str:
            text = _absence_line(r, names, labels.get(r.id, ""))
            return text + (f"  待办:{_waiting_text(waiting[r.id])}" if r.id in waiting else "")

        out.emit([_absence_json(r, None, names, labels.get(r.id)) | ({"waiting": [_step_json(s) for s in waiting[r.id]]} if r.id in waiting
                                                   else {}) for r in rows],
                 lambda: "\n".join(line(r) for r in rows) or "(没有记录)")
    return EXIT_OK
