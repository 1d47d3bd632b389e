"""``dutydesk meeting …``: government meetings from the command line (extends DESIGN.md's list).

    dutydesk meeting add --type executive --at 2026-11-24T09:00 [--until 11:30] [--convener NAME]
             [--title X] [--place X] [--topic "议题:汇报单位"]... [--member NAME]... [--attendee NAME]...
    dutydesk meeting list [--from DATE --to DATE]
    dutydesk meeting show ID
    dutydesk meeting leave ID NAME --reason X [--substitute "姓名 职务"] [--approve|--reject --by NAME]
    dutydesk meeting leave ID NAME --approve|--reject|--withdraw [--by NAME] [--comment X]
    dutydesk meeting leave ID NAME --forward|--file --by NAME   the office's step (呈报 / 书面报备)
    dutydesk meeting leave ID NAME --substitute "姓名 职务"      name the substitute (after consent)
    dutydesk meeting quorum ID
    dutydesk meeting minutes|documents ID [--done DATE | --clear]
    dutydesk meeting print ID {sheet|leave} -o FILE.pdf
    dutydesk meeting delete ID

Members default to the active people whose role is among the meeting type's members (profile
``[[meetings]].members``); ``--member`` lists them instead (topic meetings have no fixed members).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import ops
from desktop.cli.common import (
    EXIT_OK,
    ChineseArgumentParser,
    _date,
    _datetime,
    _profile,
    _record_id,
    _warn_provisional,
    no_pdf,
)

if TYPE_CHECKING:
    from desktop.export.pdf import PdfRenderer

__all__ = ["cmd_meeting", "register"]


def _hhmm(text: str) -> dt.time:
    m = re.fullmatch(r"\s*(\d{1,2})[::](\d{2})\s*", text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise argparse.ArgumentTypeError(f"时间“{text}”格式不对,请写成 11:30 这样的形式")
    return dt.time(int(m[1]), int(m[2]))


def register(command: Any) -> None:
    """Register ``meeting`` and its subcommands; ``command(name, help, parent)`` is desktop.cli.build_parser's
    helper (it adds --db and --json to every subcommand)."""
    meeting = command("meeting", "会议:组成人员、请假、到会人数、纪要期限").add_subparsers(
        dest="meeting_command", parser_class=ChineseArgumentParser, metavar="子命令", required=True)
    p = command("add", "登记会议(组成人员默认按规则中该类会议的组成角色)", meeting)
    p.add_argument("--type", dest="type_id", required=True, metavar="TYPE",
                   help="会议类型(规则中的 id,如 plenary、executive、chief_office、special)")
    p.add_argument("--at", dest="starts_at", required=True, type=_datetime, metavar="DATETIME",
                   help="开始时间,如 2026-11-24T09:00")
    p.add_argument("--until", type=_hhmm, default=None, metavar="HH:MM", help="结束时间(跨中午的会议两个半天都算)")
    p.add_argument("--convener", default="", metavar="NAME", help="召集人(默认按规则,如市长)")
    p.add_argument("--title", default="", metavar="X", help="会议名称(默认为会议类型名称)")
    p.add_argument("--place", default="", metavar="X", help="地点")
    p.add_argument("--topic", action="append", default=[], metavar="议题:汇报单位", help="议题及汇报单位(可多次)")
    p.add_argument("--member", action="append", default=[], metavar="NAME", help="参会人员(可多次;写了就不用默认组成人员)")
    p.add_argument("--attendee", action="append", default=[], metavar="NAME", help="列席人员(可多次)")

    p = command("list", "列出会议(到会情况、纪要期限)", meeting)
    p.add_argument("--from", dest="start", type=_date, default=None, metavar="DATE")
    p.add_argument("--to", dest="end", type=_date, default=None, metavar="DATE")

    p = command("show", "会议详情:人员、议题、请假、期限", meeting)
    p.add_argument("id", type=_record_id, metavar="ID")

    p = command("leave", "会议请假:登记(--reason)、准假/不准假(--approve/--reject --by)、撤回", meeting)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("name", metavar="NAME", help="请假人")
    p.add_argument("--reason", default="", metavar="X", help="事由(登记新的请假时必填)")
    p.add_argument("--substitute", default="", metavar="“姓名 职务”",
                   help="代为参会人员(不写 --reason 时为已登记的请假指定代为参会人员)")
    p.add_argument("--written", action="store_true", help="已收到书面请假(规则要求书面请假时必填)")
    decision = p.add_mutually_exclusive_group()
    decision.add_argument("--approve", action="store_true", help="准假")
    decision.add_argument("--reject", action="store_true", help="不准假")
    decision.add_argument("--withdraw", action="store_true", help="撤回请假")
    decision.add_argument("--forward", action="store_true", help="办公室呈报审批人(规则有此步骤时,在审批之前)")
    decision.add_argument("--file", dest="file_step", action="store_true", help="向办公室书面报备(规则有此步骤时,在准假之后)")
    p.add_argument("--by", default="", metavar="NAME", help="审批人或经办人(准假/不准假/呈报/报备时必填)")
    p.add_argument("--comment", default="", metavar="X", help="审批意见")

    p = command("quorum", "会前判断能否召开:应到、须到、预计实到,以及谁不到会、为什么", meeting)
    p.add_argument("id", type=_record_id, metavar="ID")

    for what, label in (("minutes", "会议纪要"), ("documents", "会议决定的文件")):
        p = command(what, f"{label}的印发期限;--done 登记印发日期", meeting)
        p.add_argument("id", type=_record_id, metavar="ID")
        group = p.add_mutually_exclusive_group()
        group.add_argument("--done", type=_date, default=None, metavar="DATE", help="印发日期")
        group.add_argument("--clear", action="store_true", help="撤销印发登记")

    p = command("print", "打印件(PDF):签到表 sheet / 请假汇总 leave", meeting)
    p.add_argument("id", type=_record_id, metavar="ID")
    p.add_argument("what", choices=["sheet", "leave"], metavar="{sheet|leave}", help="sheet 签到表;leave 请假汇总")
    p.add_argument("-o", "--output", dest="output", required=True, type=Path, metavar="FILE", help="PDF 文件")

    p = command("delete", "删除会议(连同人员、议题和请假;写入审计日志)", meeting)
    p.add_argument("id", type=_record_id, metavar="ID")


# ---------------------------------------------------------------- output helpers

def _meeting_json(m, names: dict[int, str], profile) -> dict:
    mtype = profile.meeting(m.type_id)
    return {"id": m.id, "type": m.type_id, "type_label": mtype.label if mtype else m.type_id, "title": m.title,
            "starts_at": m.starts_at.isoformat(timespec="minutes"),
            "ends_at": m.ends_at.isoformat(timespec="minutes") if m.ends_at else None, "place": m.place,
            "convener": names.get(m.convener_id) if m.convener_id else None,
            "members": [names.get(i, i) for i in m.member_ids], "attendees": [names.get(i, i) for i in m.attendee_ids],
            "topics": [{"title": t.title, "unit": t.unit} for t in m.topics],
            "minutes_done": m.minutes_done, "documents_done": m.documents_done, "version": m.version}


def _leave_json(lv, names: dict[int, str], policy=None) -> dict:
    from desktop.core import meetings as mt

    out = {"id": lv.id, "meeting_id": lv.meeting_id, "person": names.get(lv.person_id, lv.person_id),
           "reason": lv.reason, "substitute": lv.substitute, "state": lv.state.value, "state_label": lv.state.label,
           "approver": lv.approver_text, "approver_note": lv.approver_note,
           "decided_by": lv.decided_by or None, "decided_at": lv.decided_at.isoformat(timespec="minutes") if lv.decided_at else None,
           "comment": lv.comment, "absence_id": lv.absence_id, "written": lv.written}
    if policy is not None:
        waiting = mt.pending_office_step(policy, lv)
        out |= {"status": mt.leave_status(policy, lv), "article": policy.article or None,
                "pending_step": waiting.kind if waiting else None,
                "steps": [{"kind": st.kind, "label": st.label, "done_by": st.done_by or None,
                           "done_at": st.done_at.isoformat(timespec="minutes") if st.done_at else None, "due": st.due}
                          for st in mt.leave_steps(policy, lv)]}
    return out


def _policy(view, profile, lv):
    from desktop.core import meetings as mt

    p = view.people.get(lv.person_id)
    return mt.leave_policy(profile, view.meeting, p) if p is not None else None


def _quorum_json(q) -> dict:
    return {"rule": q.rule.value, "article": q.article, "members": q.members, "present": q.present,
            "required": q.required, "can_hold": q.can_hold, "pending": q.pending, "text": q.text,
            "rows": [{"person": r.person.name, "status": r.status, "status_label": r.status_label,
                      "reasons": list(r.reasons)} for r in q.rows]}


def _deadline_json(item) -> dict:
    return {"what": item.what, "label": item.label, "due": item.due, "done": item.done, "status": item.status,
            "status_label": item.status_label, "days": item.days, "article": item.article,
            "provisional": item.provisional}


def _quorum_text(view, profile) -> str:
    m, q = view.meeting, view.quorum
    lines = [f"#{m.id} {m.title} {m.when_text} — {q.text}"]
    for r in q.rows:
        title = r.person.title or profile.title(r.person.role)
        why = ";".join(r.reasons)
        lines.append(f"  {r.status_label}  {r.person.name} {title}{'  ' + why if why else ''}")
    return "\n".join(lines)


def _deadline_summary(items) -> str:
    return ";".join(f"{i.label}{i.status_label}" + (f"(期限 {i.due})" if i.due and i.status in ("due", "overdue") else "")
                    for i in items)


# ---------------------------------------------------------------- the command

def cmd_meeting(args, store, out, *, pdf: PdfRenderer = no_pdf) -> int:
    from desktop.core import meetings as mt
    from desktop.core.errors import UserError
    from desktop.store import meetings as ms
    from desktop.store import people

    profile = _profile(store)
    names = {p.id: p.name for p in people.list_people(store)}
    c = args.meeting_command
    # 单位录入员: the meetings his unit's people take part in, and only those people in them
    scope = ops.scope.of(store)
    note = "" if scope.everything else f"\n  (单位录入员:只列出{scope.unit}的人员)"

    if c == "add":
        mt.meeting_type(profile, args.type_id)
        everyone = people.list_people(store)
        if args.member:
            members = [people.find_person(store, n).id for n in args.member]
        else:
            members = [p.id for p in mt.default_members(profile, args.type_id, everyone)]
            if not members:
                raise UserError(f"“{profile.meeting(args.type_id).label}”没有固定的组成人员:请用 --member 逐一写明参会人员。")
        convener = (people.find_person(store, args.convener) if args.convener
                    else mt.default_convener(profile, args.type_id, everyone))
        ends = dt.datetime.combine(args.starts_at.date(), args.until) if args.until else None
        draft = mt.Meeting(id=None, type_id=args.type_id, title=args.title, starts_at=args.starts_at, ends_at=ends,
                           place=args.place, convener_id=convener.id if convener else None, member_ids=tuple(members),
                           attendee_ids=tuple(people.find_person(store, n).id for n in args.attendee),
                           topics=tuple(mt.parse_topic(t) for t in args.topic))
        saved = ops.meetings.add_meeting(store, profile, draft).value
        view = ops.meetings.view(store, profile, saved.id)
        _warn_provisional(view.provisional, "纪要期限计算")
        out.emit(_meeting_json(saved, names, profile) | {"quorum": _quorum_json(view.quorum),
                                                         "deadlines": [_deadline_json(i) for i in view.deadlines],
                                                         "provisional": view.provisional},
                 lambda: f"已登记会议 #{saved.id}:{saved.title} {saved.when_text},组成人员 {len(saved.member_ids)} 人,"
                         f"列席 {len(saved.attendee_ids)} 人,议题 {len(saved.topics)} 个。\n{view.quorum.text}")
    elif c == "list":
        rows = scope.meetings(ops.meetings.view(store, profile, m.id) for m in ms.list_meetings(store, args.start, args.end))
        provisional = any(v.provisional for v in rows)
        _warn_provisional(provisional, "纪要期限计算")
        data = [_meeting_json(v.meeting, names, profile) | {"can_hold": v.quorum.can_hold, "present": v.quorum.present,
                                                            "required": v.quorum.required,
                                                            "deadlines": [_deadline_json(i) for i in v.deadlines],
                                                            "provisional": v.provisional} for v in rows]

        def text() -> str:
            lines = []
            for v in rows:
                m, q = v.meeting, v.quorum
                state = "可以召开" if q.can_hold else "不能召开"
                lines.append(f"#{m.id:<4} {m.when_text}  {m.title}  应到{q.members} 实到{q.present}"
                             f"{f' 须到{q.required}' if q.required else ''}  {state}  {_deadline_summary(v.deadlines)}")
            return "\n".join(lines) or ("(没有会议)" if scope.everything else f"(没有{scope.unit}人员参加的会议)")

        out.emit(data, text)
    elif c == "show":
        view = scope.meeting(ops.meetings.view(store, profile, args.id))
        _warn_provisional(view.provisional, "纪要期限计算")
        m = view.meeting

        def text() -> str:
            mtype = profile.meeting(m.type_id)
            kind = mtype.label if mtype else m.type_id
            lines = [f"#{m.id} {m.title}" + (f"({kind})" if kind != m.title else ""),
                     f"  时间:{m.when_text}" + (f"  地点:{m.place}" if m.place else ""),
                     f"  召集人:{names.get(m.convener_id, '(未填)') if m.convener_id else '(未填)'}",
                     "  组成人员:" + ("、".join(names.get(i, str(i)) for i in m.member_ids) or "无"),
                     "  列席:" + ("、".join(names.get(i, str(i)) for i in m.attendee_ids) or "无")]
            lines += [f"  议题{n}:{t}" for n, t in enumerate(m.topics, start=1)]
            for lv in view.leaves:
                sub = f",代:{lv.substitute}" if lv.substitute else ""
                policy = _policy(view, profile, lv)
                status = mt.leave_status(policy, lv) if policy else lv.state.label
                lines.append(f"  请假 #{lv.id} {names.get(lv.person_id)}:{lv.reason}{sub} — {status}"
                             f"(审批:{lv.approver_text}{',' + lv.decided_by if lv.decided_by else ''})")
                if policy is not None and (policy.office_forward or policy.office_filing or policy.written):
                    extra = [st.text for st in mt.leave_steps(policy, lv)]
                    if policy.written:
                        extra.insert(0, mt.written_text(policy, lv))
                    lines.append("    " + ";".join(extra))
            for pid, a in view.likely:
                lines.append(f"  可能请假:{names.get(pid)} 外出记录 #{a.id} {a.kind.label} {a.span_text}")
            lines.append("  " + view.quorum.text)
            lines += [f"  {i.text}" for i in view.deadlines]
            return "\n".join(lines) + note

        out.emit(_meeting_json(m, names, profile) | {
            "leaves": [_leave_json(lv, names, _policy(view, profile, lv)) for lv in view.leaves],
            "likely_leave": [{"person": names.get(pid), "absence_id": a.id} for pid, a in view.likely],
            "quorum": _quorum_json(view.quorum), "deadlines": [_deadline_json(i) for i in view.deadlines],
            "provisional": view.provisional}, text)
    elif c == "leave":
        person = people.find_person(store, args.name)
        deciding = args.approve or args.reject
        office = "forward" if args.forward else "file" if args.file_step else ""
        if deciding and not args.by:
            raise UserError("准假或不准假请用 --by 写明审批人姓名。")
        if office and not args.by:
            raise UserError("办公室呈报或报备请用 --by 写明经办人姓名。")
        if office and args.reason:
            raise UserError("--forward/--file 办理已登记的请假:请先用 --reason 登记,再办理这一步。")
        if args.reason and deciding:  # one operation: a refused decision leaves no request behind
            lv = ops.meetings.request_and_decide_leave(store, profile, args.id, person.id, args.reason, args.substitute,
                                                       args.by, args.approve, args.comment, written=args.written).value
            done = f"已登记请假 #{lv.id}:{person.name},{mt.LeaveState.requested.label},审批:{lv.approver_text}"
            if lv.approver_note:
                done += f"({lv.approver_note})"
            done += f"。{lv.decided_by}{'准假' if args.approve else '不准假'}(请假 #{lv.id})"
        elif args.reason:
            lv = ops.meetings.request_leave(store, profile, args.id, person.id, args.reason, args.substitute,
                                            written=args.written).value
            done = f"已登记请假 #{lv.id}:{person.name},{lv.state.label},审批:{lv.approver_text}"
            if lv.approver_note:
                done += f"({lv.approver_note})"
            waiting = mt.pending_office_step(mt.leave_policy(profile, ms.get_meeting(store, args.id), person), lv)
            if waiting is not None:
                done += f";下一步:{waiting.label}"
        elif office:
            lv = ops.meetings.office_step(store, profile, ops.meetings.find_leave(store, args.id, person.id).id,
                                          office, args.by).value
            step = mt.leave_steps(mt.leave_policy(profile, ms.get_meeting(store, args.id), person), lv)
            label = next(st.label for st in step if st.kind == office)
            done = f"{args.by}已办理“{label}”(请假 #{lv.id})"
        elif args.substitute and not args.withdraw and not deciding:
            lv = ops.meetings.name_substitute(store, profile, ops.meetings.find_leave(store, args.id, person.id).id,
                                              args.substitute).value
            done = f"已指定 {lv.substitute} 代 {person.name} 参会(请假 #{lv.id})"
        elif args.withdraw:
            lv = ops.meetings.withdraw_leave(store, ops.meetings.find_leave(store, args.id, person.id).id, args.comment).value
            done = f"已撤回 {person.name} 的请假 #{lv.id}"
        elif deciding:
            lv = ops.meetings.find_leave(store, args.id, person.id)
            done = ""
        else:
            raise UserError("请用 --reason 登记请假,或用 --approve/--reject --by 审批、--forward/--file --by 办理"
                            "办公室的步骤、--substitute 指定代为参会人员、--withdraw 撤回。")
        if deciding and not args.reason:
            lv = ops.meetings.decide_leave(store, lv.id, args.by, args.approve, args.comment, profile=profile).value
            done = (done + "。" if done else "") + f"{lv.decided_by}{'准假' if args.approve else '不准假'}(请假 #{lv.id})"
        policy = mt.leave_policy(profile, ms.get_meeting(store, args.id), person)
        if deciding:
            waiting = mt.pending_office_step(policy, lv)
            if waiting is not None:
                done += f";下一步:{waiting.label}"
        q = ops.meetings.quorum_of(store, profile, args.id)
        out.emit(_leave_json(lv, names, policy) | {"quorum": _quorum_json(q)}, f"{done}。\n{q.text}")
    elif c == "quorum":
        view = scope.meeting(ops.meetings.view(store, profile, args.id))
        out.emit({"meeting_id": args.id, "title": view.meeting.title} | _quorum_json(view.quorum),
                 lambda: _quorum_text(view, profile) + note)
    elif c in ("minutes", "documents"):
        if args.done is not None or args.clear:
            ops.meetings.mark_done(store, args.id, c, args.done)
        view = scope.meeting(ops.meetings.view(store, profile, args.id))
        item = next((i for i in view.deadlines if i.what == c), None)
        if item is None:
            raise UserError(f"规则没有规定“{profile.meeting(view.meeting.type_id).label}”须印发会议决定的文件;"
                            "纪要请用 dutydesk meeting minutes。")
        _warn_provisional(item.provisional, "期限计算")
        out.emit({"meeting_id": args.id} | _deadline_json(item), f"#{args.id} {view.meeting.title}:{item.text}")
    elif c == "print":
        from desktop.export.meeting_html import attendance_sheet_html, leave_summary_html
        from desktop.export.pdf import PdfJob
        from desktop.store.org import get_org

        scope.refuse("打印会议签到表和请假汇总(列有全体参会人员)")
        view = ops.meetings.view(store, profile, args.id)
        org = get_org(store).name
        today = store.clock.today()
        build = attendance_sheet_html if args.what == "sheet" else leave_summary_html

        def html(fonts, _page_breaks) -> str:
            return build(view, profile, org, printed_on=today, fonts=fonts)

        path = pdf(PdfJob(html, landscape=False, doc_name=view.meeting.title), args.output)  # Qt lays it out
        label = "签到表" if args.what == "sheet" else "请假汇总"
        out.emit({"meeting_id": args.id, "what": args.what, "path": str(path)}, f"已生成{label}:{path}")
    elif c == "delete":
        m = ms.get_meeting(store, args.id)
        ops.meetings.delete_meeting(store, args.id)
        out.emit({"deleted": args.id}, f"已删除会议 #{args.id}:{m.title}")
    return EXIT_OK
