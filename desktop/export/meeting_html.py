"""Printable HTML for meetings: the attendance sheet (签到表) and the leave summary (请假汇总).

Same conventions as desktop.export.absence_html (GB/T 9704: titles in 小标宋, body in 仿宋 with
installed fallbacks — its `PrintFonts`; the subset of HTML that QTextDocument renders), A4
portrait. desktop.ui.printing lays them out (`print_html`, `render_pdf`). No widgets here.

* `attendance_sheet_html` — members then attendees (列席), each group by protocol rank; a member on
  approved leave shows who signs instead (代 …); a blank box to sign in.
* `leave_summary_html` — for the chief: every leave request with reason, substitute, approver and
  state; the people with an absence on file who have not asked (可能请假); whether the meeting can
  be held; a box for the chief's instruction (批示).
"""

from __future__ import annotations

from datetime import date
from html import escape

from desktop.core import meetings as mt
from desktop.core.absence import cn_date
from desktop.core.citation import cite_many, official_html
from desktop.core.meetings import AWAY, LEAVE, LeaveState, MeetingLeave, MeetingView
from desktop.core.people import Person
from desktop.core.profile import Profile
from desktop.core.roles import Role
from desktop.export.absence_html import BLUE, GREY, RED, PrintFonts
from desktop.export.marking import mark_html

__all__ = ["attendance_sheet_html", "leave_summary_html", "sheet_rows"]


def _css(fonts: PrintFonts) -> str:
    weight = "bold" if fonts.title_bold else "normal"
    return f"""
body {{ font-family: {fonts.css('body')}; font-size: 14pt; color: #111; }}
.title {{ font-family: {fonts.css('title')}; font-size: 22pt; font-weight: {weight}; }}
.sub {{ font-size: 12pt; }}
td {{ font-size: 13pt; }}
th {{ font-size: 13pt; font-weight: bold; }}
.grp {{ font-size: 13pt; font-weight: bold; }}
td.s {{ font-size: 12pt; }}
th.s {{ font-size: 12pt; font-weight: bold; }}
.sub-for {{ font-size: 11pt; color: {BLUE}; }}
.note {{ font-size: 11pt; color: #333; }}
.away {{ font-size: 11pt; color: {RED}; }}
.ok {{ font-size: 13pt; }}
.bad {{ font-size: 13pt; color: {RED}; font-weight: bold; }}
.foot {{ font-size: 10.5pt; color: {GREY}; }}
"""


def _title(profile: Profile, p: Person) -> str:
    return p.title or profile.title(p.role)


def _head(view: MeetingView, title: str, fonts: PrintFonts, profile: Profile, org_name: str) -> list[str]:
    e = escape
    m = view.meeting
    mtype = profile.meeting(m.type_id)
    convener = view.people.get(m.convener_id) if m.convener_id is not None else None
    where = f"&nbsp;&nbsp;&nbsp;&nbsp;地点:{e(m.place)}" if m.place else ""
    who = f"&nbsp;&nbsp;&nbsp;&nbsp;召集人:{e(convener.name)}" if convener else ""
    kind = f"({e(mtype.label)})" if mtype and mtype.label != m.title else ""
    return [
        f"<html><head><style>{_css(fonts)}</style></head><body>",
        f'<p align="center" style="margin: 0;"><span class="title">{e(m.title)}{e(title)}</span></p>',
        f'<p class="sub" style="margin-top: 10px; margin-bottom: 2px;">{e(org_name or profile.office)}{kind}</p>',
        f'<p class="sub" style="margin-top: 0; margin-bottom: 6px;">时间:{e(m.when_text)}{where}{who}</p>',
    ]


def _topics(view: MeetingView) -> str:
    m = view.meeting
    if not m.topics:
        return ""
    items = "<br>".join(f"{n}. {escape(str(t))}" for n, t in enumerate(m.topics, start=1))
    return f'<p class="sub" style="margin-top: 0; margin-bottom: 6px;">议题:<br>{items}</p>'


def sheet_rows(view: MeetingView) -> list[tuple[str, Person, str, str]]:
    """(group, person, substitute text, remark) for the attendance sheet, members then attendees,
    each by rank. ``substitute`` is "代 …" for a member on approved leave with a substitute."""
    m = view.meeting
    rows = []
    for group, ids in (("组成人员", m.member_ids), ("列席人员", m.attendee_ids)):
        persons = sorted((view.people[i] for i in ids if i in view.people), key=lambda p: (p.rank, p.id))
        status = {r.person.id: r for r in view.quorum.rows}
        for p in persons:
            leave = next((lv for lv in view.leaves if lv.person_id == p.id and lv.state in (LeaveState.requested,
                                                                                         LeaveState.approved)), None)
            sub, remark = "", ""
            row = status.get(p.id)
            if leave is not None and leave.state is LeaveState.approved:
                remark = "请假"
                if leave.substitute:
                    sub = f"代 {leave.substitute}"
            elif leave is not None:
                remark = "请假待批"
            elif (row is not None and row.status == AWAY) or any(pid == p.id for pid, _ in view.likely):
                remark = "外出"
            rows.append((group, p, sub, remark))
    return rows


def attendance_sheet_html(view: MeetingView, profile: Profile, org_name: str, *, printed_on: date | None = None,
                          fonts: PrintFonts | None = None) -> str:  # fmt: skip
    """签到表 (A4 portrait): 序号、姓名、职务、签到、备注; members then attendees, by rank."""
    fonts = fonts or PrintFonts()
    e = escape
    parts = _head(view, "签到表", fonts, profile, org_name)
    parts.append(_topics(view))
    parts.append('<table width="100%" border="1" cellspacing="0" cellpadding="10" '
                 'style="border-collapse: collapse; border-color: #222; border-style: solid;">')  # fmt: skip
    parts.append('<tr bgcolor="#f0f0f0"><th width="8%">序号</th><th width="22%">姓名</th><th width="32%">职务</th>'
                 '<th width="22%">签到</th><th width="16%">备注</th></tr>')  # fmt: skip
    group_now = ""
    for n, (group, p, sub, remark) in enumerate(sheet_rows(view), start=1):
        if group != group_now:
            group_now = group
            parts.append(f'<tr bgcolor="#f7f7f7"><td colspan="5" class="grp">{e(group)}</td></tr>')
        name = e(p.name) + (f'<br><span class="sub-for">{e(sub)}</span>' if sub else "")
        mark = f'<span class="away">{e(remark)}</span>' if remark else "&nbsp;"
        parts.append(f'<tr><td align="center" valign="middle">{n}</td><td align="center" valign="middle">{name}</td>'
                     f'<td valign="middle">{e(_title(profile, p))}</td><td>&nbsp;</td>'
                     f'<td align="center" valign="middle">{mark}</td></tr>')  # fmt: skip
    parts.append("</table>")
    q = view.quorum
    on_leave = sum(1 for r in q.rows if r.status == LEAVE)
    away = sum(1 for r in q.rows if r.status == AWAY)
    tally = f"组成人员应到 {q.members} 人,请假 {on_leave} 人" + (f",外出 {away} 人" if away else "") + f",预计实到 {q.present} 人。"
    stamp = f"打印日期:{cn_date(printed_on)}" if printed_on else ""
    parts.append(f'<p class="foot" style="margin-top: 8px;">{e(tally)}<br>{e(stamp)}</p>')
    parts.append("</body></html>")
    return mark_html(official_html("".join(parts)), profile.export.mark)  # 内部资料 注意保存 (profile [export])


def _leave_row(n: int, lv: MeetingLeave, view: MeetingView, profile: Profile) -> str:
    e = escape
    p = view.people.get(lv.person_id)
    who = e(p.name) if p else str(lv.person_id)
    title = e(_title(profile, p)) if p else ""
    decided = f"<br>{e(lv.decided_by)} {lv.decided_at:%m-%d %H:%M}" if lv.decided_at and lv.decided_by else ""
    note = f'<br><span class="note">{e(lv.approver_note)}</span>' if lv.approver_note else ""
    policy = mt.leave_policy(profile, view.meeting, p) if p is not None else None
    state = mt.leave_status(policy, lv) if policy is not None else lv.state.label
    state_html = f'<span class="away">{e(state)}</span>' if lv.state is LeaveState.rejected else e(state)
    comment = f'<br><span class="note">{e(lv.comment)}</span>' if lv.comment else ""
    # 003 art.43 书面请假 and 呈报, 004 art.48 书面报备: the office's steps in the 审批 cell, in their order
    before, after = [], []
    if policy is not None:
        before = [mt.written_text(policy, lv)] if policy.written else []
        steps = mt.leave_steps(policy, lv)
        before += [st.text for st in steps if st.kind == "forward"]
        after = [st.text for st in steps if st.kind == "file"]
    lead = "".join(f'<span class="note">{e(x)}</span><br>' for x in before)
    tail = "".join(f'<br><span class="note">{e(x)}</span>' for x in after)
    return (f'<tr><td class="s" align="center">{n}</td><td class="s" align="center">{who}</td>'
            f'<td class="s">{title}</td><td class="s">{e(lv.reason)}</td><td class="s">{e(lv.substitute) or "—"}</td>'
            f'<td class="s">{lead}{e(lv.approver_text)}{note}{tail}</td>'
            f'<td class="s" align="center">{state_html}{decided}{comment}</td></tr>')  # fmt: skip


def leave_summary_html(view: MeetingView, profile: Profile, org_name: str, *, printed_on: date | None = None,
                       fonts: PrintFonts | None = None) -> str:  # fmt: skip
    """请假汇总 (A4 portrait) for the chief: the requests, the absences on file, the quorum, 批示."""
    fonts = fonts or PrintFonts()
    e = escape
    m = view.meeting
    rank = {p.id: (p.rank, p.id) for p in view.people.values()}
    leaves = sorted((lv for lv in view.leaves if lv.state is not LeaveState.withdrawn),
                    key=lambda lv: rank.get(lv.person_id, (10**9, 0)))  # fmt: skip
    parts = _head(view, "请假汇总", fonts, profile, org_name)
    parts.append('<table width="100%" border="1" cellspacing="0" cellpadding="6" '
                 'style="border-collapse: collapse; border-color: #222; border-style: solid;">')  # fmt: skip
    parts.append('<tr bgcolor="#f0f0f0"><th class="s" width="7%">序号</th><th class="s" width="9%">姓名</th>'
                 '<th class="s" width="15%">职务</th><th class="s" width="22%">请假事由</th>'
                 '<th class="s" width="14%">代为参会</th><th class="s" width="20%">审批</th>'
                 '<th class="s" width="13%">状态</th></tr>')  # fmt: skip
    for n, lv in enumerate(leaves, start=1):
        parts.append(_leave_row(n, lv, view, profile))
    if not leaves:
        parts.append('<tr><td colspan="7" align="center">(没有请假)</td></tr>')
    parts.append("</table>")
    if view.likely:
        parts.append('<p class="sub" style="margin-top: 10px; margin-bottom: 4px;"><b>可能请假</b>'
                     "(外出报备在案、尚未请假):</p>")  # fmt: skip
        lines = []
        for pid, a in view.likely:
            p = view.people.get(pid)
            dest = f" {a.destination}" if a.destination else ""
            if p is not None:
                lines.append(f"{e(p.name)}({e(_title(profile, p))}):{e(a.kind.label)}{e(dest)},{e(a.span_text)}")
        parts.append(f'<p class="sub" style="margin-top: 0;">{"<br>".join(lines)}</p>')
    q = view.quorum
    cls = "ok" if q.can_hold else "bad"
    parts.append(f'<p class="{cls}" style="margin-top: 10px;">{e(q.text)}</p>')
    chief = next((p for p in sorted(view.people.values(), key=lambda p: (p.rank, p.id))
                  if p.role is Role.chief and p.active), None)  # fmt: skip
    head = f"{profile.title(Role.chief)}批示" if chief is None else f"{profile.title(Role.chief)}({chief.name})批示"
    parts.append('<table width="100%" border="1" cellspacing="0" cellpadding="8" style="margin-top: 8px; '
                 'border-collapse: collapse; border-color: #222; border-style: solid;">'
                 f'<tr><td class="grp" width="20%" align="center" valign="middle" bgcolor="#f5f5f5">{e(head)}</td>'
                 '<td>&nbsp;<br>&nbsp;<br>&nbsp;<br><p align="right">签字:________________&nbsp;&nbsp;&nbsp;&nbsp;'
                 "日期:________年____月____日</p></td></tr></table>")  # fmt: skip
    articles = sorted({lv_article for lv_article in _articles(profile, m.type_id)})
    basis = f"依据:{e(cite_many(articles, profile))}。" if articles else ""
    stamp = f"打印日期:{cn_date(printed_on)}" if printed_on else ""
    parts.append(f'<p class="foot" style="margin-top: 8px;">{basis}<br>{stamp}</p>')
    parts.append("</body></html>")
    return mark_html(official_html("".join(parts)), profile.export.mark)  # 内部资料 注意保存 (profile [export])


def _articles(profile: Profile, type_id: str) -> list[str]:
    mtype = profile.meeting(type_id)
    out = []
    if mtype is not None:
        out.append(mtype.leave_article or mtype.article)
        if mtype.quorum.value != "none":
            out.append(mtype.article)
    out += [r.article for r in profile.meeting_leave if not r.meetings or type_id in r.meetings]
    return out
