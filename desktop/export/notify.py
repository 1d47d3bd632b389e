"""The notification text (通报): the office tells the other leaders who is away and who acts.

DESIGN.md "Travel reporting and leave" — 002 art.55 (县政府办公室通报县政府其他领导同志) and
004 art.69. Plain text, ready to paste into a message or a document::

    各位领导:
    　　经市长同意,张丽华副市长于2026年11月26日至28日赴北京出差,期间由周晓燕副市长代为处理
    分管工作(公务接待、出席会议、参加活动、处置突发事件)。
    　　特此通报。

    攀枝花市人民政府办公室
    2026年11月21日

Built from the record, the acting reports of its days (desktop.core.board.acting_reports), the
chain's steps (who agreed) and the profile (titles, the acting rule's wording). Pure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop.core.absence import Absence, effective_end, format_span
from desktop.core.acting import (
    BASIS_CHIEF_RULE,
    BASIS_DELEGATE,
    BASIS_DESIGNATED,
    BASIS_SUCCESSION,
    ActingEntry,
    ActingReport,
    day_runs,
)
from desktop.core.chain import ResolvedStep, StepState
from desktop.core.citation import official_punctuation
from desktop.core.cndate import cn_date, cn_span
from desktop.core.people import Person
from desktop.core.profile import ActingRule, Profile, StepAction
from desktop.core.roles import AbsenceKind

__all__ = ["INDENT", "acting_summary", "display_name", "notification_text"]

INDENT = "\u3000\u3000"  # two ideographic spaces: a paragraph's first-line indent

#: Steps whose completion the notice mentions as consent (经市长同意): approvals only. A done report
#: is said as 已事先报告区长 (issue 14: a record nobody approved never reads 经…同意).
_CONSENT = frozenset({StepAction.approve})


def display_name(profile: Profile, p: Person) -> str:
    """张丽华副市长 for a short title; 市教育和体育局局长马晓东 for a long one."""
    title = p.title or profile.title(p.role)
    if not title:
        return p.name
    return f"{p.name}{title}" if len(title) <= 5 else f"{title}{p.name}"


def _what(record: Absence, profile: Profile) -> str:
    """赴北京出差 / 休假 / 因私请假(离攀) …"""
    dest = record.destination
    reason = record.reason if len(record.reason) <= 30 else ""
    leave = f"({profile.jurisdiction_label})" if record.leaves_jurisdiction and not dest else ""
    kind = record.kind
    if kind is AbsenceKind.trip:
        text = f"赴{dest}出差" if dest else "出差"
        return text + (f"({reason})" if reason else "") + leave
    if kind is AbsenceKind.abroad:
        return (f"出国(境)前往{dest}" if dest else "出国(境)") + (f"({reason})" if reason else "")
    if kind is AbsenceKind.study:
        return (f"赴{dest}脱产学习" if dest else "脱产学习") + (f"({reason})" if reason else "") + leave
    if kind is AbsenceKind.vacation:
        return (f"赴{dest}休假" if dest else "休假") + leave
    if kind is AbsenceKind.personal:
        return "因私请假" + (f"(赴{dest})" if dest else leave)
    return "请病假" + leave


def _reported(steps: Sequence[ResolvedStep]) -> str:
    """(已事先报告区长) when a report step is done and nothing was approved, "" otherwise."""
    if any(s.state is StepState.done and s.action in _CONSENT for s in steps):
        return ""
    who = [s.target_text.replace(" ", "") for s in steps
           if s.state is StepState.done and s.action is StepAction.report and s.is_person_step]  # fmt: skip
    who = list(dict.fromkeys(who))
    return f"(已事先报告{'、'.join(who)})" if who else ""


def _consent(steps: Sequence[ResolvedStep]) -> str:
    """经市长同意, / 经县长、分管领导张丽华同意, / "" (nobody has agreed yet)."""
    who = [s.target_text.replace(" ", "") for s in steps
           if s.state is StepState.done and s.action in _CONSENT and s.is_person_step]  # fmt: skip
    who = list(dict.fromkeys(who))
    return f"经{'、'.join(who)}同意," if who else ""


@dataclass(frozen=True)
class _Segment:
    first: date
    last: date
    actor: Person | None
    entry: ActingEntry | None
    gap: bool


def _segments(person_id: int, reports: Sequence[ActingReport]) -> list[_Segment]:
    """Runs of consecutive days with the same acting person (or none)."""
    days: list[tuple[date, _Segment]] = []
    for report in reports:
        if not report.is_away(person_id):
            continue
        actor = report.actor_for(person_id)
        entry = next((e for e in report.acting if e.absent_person.id == person_id
                      and actor is not None and e.actor is not None and e.actor.id == actor.id), None)  # fmt: skip
        gap = actor is None and any(person_id in g.absent_ids for g in report.gaps)
        days.append((report.date, _Segment(report.date, report.date, actor, entry, gap)))
    runs = day_runs(days, key=lambda seg: (seg.actor.id if seg.actor else None, seg.gap))
    return [dataclasses.replace(r.value, last=r.last) for r in runs]


def _acting_phrase(profile: Profile, seg: _Segment, rule: ActingRule | None) -> str:
    """由周晓燕副市长代为处理分管工作(公务接待、出席会议…) — the duty in the rule's own words."""
    assert seg.actor is not None
    who = display_name(profile, seg.actor)
    entry = seg.entry
    scope = rule.scope if rule else ""
    duties = rule.duties if rule else ()
    prefix = f"经{profile.office}协调," if entry is not None and entry.basis == BASIS_DESIGNATED else ""
    if entry is not None and entry.basis in (BASIS_CHIEF_RULE, BASIS_SUCCESSION, BASIS_DELEGATE) and scope:
        # 受市长委托,代行市长职责 → 受市长委托,由李志强常务副市长代行市长职责
        head, sep, rest = scope.partition(",")
        if sep and head.startswith("受"):
            return f"{prefix}{head},由{who}{rest}"
        return f"{prefix}由{who}{scope}"
    if len(duties) > 1:
        return f"{prefix}由{who}代为处理分管工作({'、'.join(duties)})"
    if scope:
        return f"{prefix}由{who}{scope}"
    return f"{prefix}由{who}代为处理日常工作"


def acting_summary(profile: Profile, person: Person, reports: Sequence[ActingReport]) -> list[str]:
    """Who acts for the person over the reports' days, as printed on the approval form:
    ["周晓燕(副市长)"], or per run of days when it changes: ["11月26日至27日 周晓燕(副市长)",
    "11月28日 待市政府办公室协调"]. Empty when nobody needs to act."""
    segments = [s for s in _segments(person.id, reports) if s.actor is not None or s.gap]

    def who(seg: _Segment) -> str:
        if seg.actor is None:
            return f"待{profile.office}协调"
        return f"{seg.actor.name}({seg.actor.title or profile.title(seg.actor.role)})"

    everything = _segments(person.id, reports)
    if not segments:
        return []
    if len({(s.actor.id if s.actor else None, s.gap) for s in everything}) == 1:
        return [who(segments[0])]
    return [f"{cn_span(s.first, s.last, year=False)} {who(s)}" for s in segments]


def _acting(profile: Profile, record: Absence, person: Person, reports: Sequence[ActingReport]) -> str:
    rule = profile.acting_rule_for(person.role, record.kind, record.leaves_jurisdiction)
    segments = _segments(person.id, reports)
    if not any(s.actor is not None or s.gap for s in segments):
        return ""
    arrange = f"代行工作由{profile.office}另行协调安排"
    if len(segments) == 1:
        seg = segments[0]
        return "期间" + (_acting_phrase(profile, seg, rule) if seg.actor is not None else arrange)
    parts = []
    for seg in segments:
        if seg.actor is not None:
            parts.append(cn_span(seg.first, seg.last, year=False) + _acting_phrase(profile, seg, rule))
        elif seg.gap:
            parts.append(cn_span(seg.first, seg.last, year=False) + arrange)
    return "期间" + ";".join(parts)


def notification_text(
    record: Absence,
    person: Person,
    profile: Profile,
    reports: Sequence[ActingReport] = (),
    *,
    steps: Sequence[ResolvedStep] = (),
    org_name: str = "",
    on: date,
) -> str:
    """The 通报 for one record. ``reports``: the acting reports of the record's days (one per
    day; none: the acting sentence is left out); ``steps``: its chain (done approvals and reports
    become 经…同意); ``on``: the date it is issued (the clock's today)."""
    end, end_half = effective_end(record)
    span = format_span(record.start, record.start_half, end, end_half)
    sentence = f"{_consent(steps)}{display_name(profile, person)}于{span}{_what(record, profile)}{_reported(steps)}"
    acting = _acting(profile, record, person, reports)
    if acting:
        sentence += f",{acting}"
    sentence += "。"
    signer = org_name.strip() or profile.office
    # An official text: full-width punctuation throughout (issue 14), the people's own words included.
    return official_punctuation(f"各位领导:\n{INDENT}{sentence}\n{INDENT}特此通报。\n\n{signer}\n{cn_date(on)}\n")
