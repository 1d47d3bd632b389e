"""The rule profile as readable HTML (规则 page, and printable): every rule with its article."""

from __future__ import annotations

from html import escape

from desktop.core.citation import cite
from desktop.core.profile import BothAway, DutyDays, Profile, Quorum, Severity, Target, TargetKind
from desktop.core.roles import AbsenceKind, Role

DUTY_DAYS_TEXT = {
    DutyDays.holiday_weekdays: "法定节假日中除双休日以外的日子",
    DutyDays.statutory_days: "法定节假日当天(落在双休日的也算;普通双休日和调休的休息日不算)",
    DutyDays.holiday_block: "放假期间的每一天",
    DutyDays.rest_days: "所有休息日(双休日和节假日)",
    DutyDays.every_day: "每一天(24小时值班)",
}
QUORUM_TEXT = {Quorum.none: "未规定", Quorum.at_least_half: "半数以上组成人员到会", Quorum.more_than_half: "超过半数组成人员到会"}


def article_text(article: str, profile: Profile | None = None) -> str:
    """“000 art.84” → “第八十四条” (in the profile's own document) or “《…工作规则》第八十一条”
    (another government's): the article as a reader cites it (core.citation)."""
    return cite(article, profile, short=True)


def target_text(profile: Profile, target: Target) -> str:
    if target.kind in (TargetKind.role, TargetKind.any):
        return "或".join(profile.title(r) for r in target.roles)
    if target.kind is TargetKind.office:
        return profile.office_name(target.office or "office")
    if target.kind is TargetKind.portfolio:
        return f"分管{target.office}工作的领导"
    return {TargetKind.supervisor: "分管领导", TargetKind.leaders: "其他政府领导",
            TargetKind.convener: "会议召集人"}.get(target.kind, target.kind.value)


def _roles(profile: Profile, roles: tuple[Role, ...]) -> str:
    return "、".join(profile.title(r) for r in roles)


def _kinds(kinds: tuple[AbsenceKind, ...]) -> str:
    return "全部类型" if set(kinds) == set(AbsenceKind) else "、".join(k.label for k in kinds)


def _cite(article: str, profile: Profile | None = None) -> str:
    return f'<span class="art">〔{escape(article_text(article, profile))}〕</span>'


def render(profile: Profile) -> str:
    e = escape
    parts = [
        "<style>h2{font-size:15pt;margin:14px 0 6px 0} h3{font-size:12pt;margin:10px 0 4px 0}"
        " td,th{padding:3px 8px;border:1px solid #bbb} table{border-collapse:collapse}"
        " .art{color:#7a4b00} .muted{color:#666}</style>",
        f"<h1 style='font-size:18pt'>{e(profile.name)} · 规则预设</h1>",
        f"<p class='muted'>依据:《{e(profile.source_title)}》"
        + (f"(资料 {e(profile.seed)})" if profile.seed else "")
        + f"。预设编号 {e(profile.id)}。本页只读;规则以条文为准。</p>",
        "<h2>一、代行与补位</h2><ul>",
    ]
    for rule in profile.acting:
        if rule.by_ab_partner:
            actor = "互为AB角的另一方"
        elif rule.succession:
            actor = "、".join(profile.title(r) for r in rule.succession) + "中在岗的第一位(按顺次递补,同一职务按排名)"
        else:
            actor = profile.title(rule.actor)  # type: ignore[arg-type]
        kinds = []
        if rule.kinds:
            kinds.append(_kinds(rule.kinds))
        if rule.leaving_kinds:
            kinds.append(f"离开辖区的{'、'.join(k.label for k in rule.leaving_kinds)}")
        line = (f"{e(profile.title(rule.absent_role))}{'离开辖区' if rule.leaves_jurisdiction_only else ''}外出"
                f"({e('、'.join(kinds))})期间,由{e(actor)}{e(rule.scope)}")
        if rule.delegates:
            line += f";也可由其授权委托一位{e('或'.join(profile.title(r) for r in rule.delegates))}代行(报备时写明受委托人)"
        if rule.duties:
            line += f":{e('、'.join(rule.duties))}"
        if rule.both_away is BothAway.office_designates:
            line += f";双方同时外出时,由{e(profile.office)}协调其他领导代行"
        if rule.approves_reason or not rule.approves:
            line += f";{'代为办理' if rule.approves else '不代为办理'}其审批步骤" + (
                f"(理由:{e(rule.approves_reason)})" if rule.approves_reason else "")
        parts.append(f"<li>{line}。{_cite(rule.article, profile)}</li>")
    for rule in profile.not_together:
        sev = "提醒(可填写理由后继续)" if rule.severity is Severity.warning else "不允许"
        words = "一般不同时外出" if rule.severity is Severity.warning else "不得同时外出"
        if rule.ab_partners:
            who = "互为AB角的两位" + (f"{e(_roles(profile, rule.roles))}" if rule.roles else "领导")
        else:
            who = e(_roles(profile, rule.roles))
        parts.append(f"<li>{who}{words}:{sev}。{_cite(rule.article, profile)}</li>")
    parts.append("</ul><h2>二、外出报备与请销假流程</h2>")
    for chain in profile.chains:
        lead = f"提前{chain.lead_days}{chain.lead_unit.label}" if chain.lead_days else "无提前期限要求"
        if chain.urgent.value == "promptly":
            lead += ";紧急外出应及时报告(标为紧急,不算迟报)"
        scope = {"leaves_jurisdiction": f"{profile.jurisdiction_label}外出", "within": "不离开辖区", "any": "不论是否离开辖区"}[chain.scope.value]
        parts.append(f"<h3>{e(chain.label)} {_cite(chain.article, profile)}</h3>"
                     f"<p>适用:{e(_roles(profile, chain.roles))};{e(_kinds(chain.kinds))};{e(scope)}。{e(lead)}。</p>"
                     "<table><tr><th>步骤</th><th>动作</th><th>由谁</th><th>说明</th></tr>")
        for number, stage in enumerate(chain.stages, start=1):
            for step in stage:
                parts.append(f"<tr><td>{number}</td><td>{e(step.action.label)}</td><td>{e(target_text(profile, step.target))}</td>"
                             f"<td>{e(step.label)}{'(回来后办理)' if step.after_return else ''}"
                             f"{_cite(step.article, profile) if step.article else ''}</td></tr>")
        parts.append("</table>")
    duty = profile.duty
    parts.append("<h2>三、节假日领导带班</h2><ul>"
                 f"<li>需要带班的日子:{e(DUTY_DAYS_TEXT[duty.days])}。{_cite(duty.article, profile)}</li>"
                 f"<li>轮流带班:{e(_roles(profile, duty.pool))}"
                 + (f";{e(profile.title(Role.chief))}按 {duty.chief_share:g} 份参加" if duty.chief_share else "")
                 + f"。每天值班员 {duty.officers_per_day} 人,班次:{e('、'.join(duty.shifts))}。</li>"
                 f"<li>重点日权重:除夕 {duty.heavy_days.eve:g},春节初一 {duty.heavy_days.spring_day1:g},"
                 f"国庆节10月1日 {duty.heavy_days.national_day1:g}。</li></ul>")
    parts.append("<h2>四、工作日期限</h2><table><tr><th>事项</th><th>期限</th><th>依据</th></tr>")
    for d in profile.deadlines:
        parts.append(f"<tr><td>{e(d.label)}</td><td>{d.days}{e(d.unit.label)}</td><td>{_cite(d.article, profile)}</td></tr>")
    parts.append("</table><h2>五、会议</h2><table><tr><th>会议</th><th>组成人员</th><th>到会要求</th><th>请假</th><th>依据</th></tr>")
    for m in profile.meetings:
        leave = target_text(profile, m.leave_approver) if m.leave_approver else "未规定"
        if m.leave_discouraged:
            leave = "原则上不得请假;向" + leave + "请假"
        else:
            leave = "向" + leave + "请假" if m.leave_approver else leave
        parts.append(f"<tr><td>{e(m.label)}</td><td>{e(_roles(profile, m.members)) or '按会议确定'}</td>"
                     f"<td>{e(QUORUM_TEXT[m.quorum])}</td><td>{e(leave)}</td><td>{_cite(m.article, profile)}</td></tr>")
    parts.append("</table>")
    if profile.meeting_leave:  # [[meeting_leave]]: who asks whom, substitutes (desktop/core/meetings.py)
        items = []
        for r in profile.meeting_leave:
            where = "、".join(m.label for m in profile.meetings if m.id in r.meetings) if r.meetings else "各类会议"
            who = f"向{target_text(profile, r.approver)}请假" if r.approver else "按上表请假"
            sub = ",须安排人员代为参会" if r.substitute_required else ""
            note = f"({e(r.note)})" if r.note else ""
            items.append(f"<li>{e(_roles(profile, r.roles))}不能参加{e(where)}的:{e(who)}{sub}{note}"
                         f" — {_cite(r.article, profile)}</li>")
        parts.append("<p>会议请假:</p><ul>" + "".join(items) + "</ul>")
    return "\n".join(parts)
