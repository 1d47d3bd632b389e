"""Printable HTML for travel reports and leave: the weekly whereabouts board and the approval form.

DESIGN.md "What the user sees": A4 with preview, GB/T 9704 fonts — titles in 小标宋, body in 仿宋,
falling back to the CJK fonts that are installed. Qt's QTextDocument renders this HTML (only the
subset of HTML/CSS it supports: tables with border/cellpadding, bgcolor, font sizes in pt); see
desktop.ui.printing for the page set-up. No widgets here.

* `weekly_board_html` — 一周领导在岗情况表 (A4 landscape, one page for up to 20 leaders);
* `approval_form_html` — 外出报备审批表 (trips) / 请假审批单 (leave), one box per chain step
  (A4 portrait, one page).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from desktop.core.absence import Absence, AbsenceState, Half, effective_end, format_span, length_days
from desktop.core.board import BoardCell, BoardDay, WeekBoard
from desktop.core.chain import ResolvedStep, StepState, state_label
from desktop.core.citation import cite, official_html
from desktop.core.cndate import cn_date, cn_span
from desktop.core.people import Person
from desktop.core.profile import Profile, StepAction
from desktop.core.roles import LEAVE_KINDS
from desktop.export.phones import phone_html

__all__ = [
    "BODY_FONTS",
    "LATIN_FONTS",
    "TITLE_FONTS",
    "PrintFonts",
    "approval_form_html",
    "form_title",
    "government_name",
    "resolve_fonts",
    "weekly_board_html",
]

#: GB/T 9704: titles in 小标宋 (方正小标宋简体), then installed CJK fonts, serif first.
TITLE_FONTS: tuple[str, ...] = (
    "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "小标宋", "华文中宋", "STZhongsong",
    "Noto Serif CJK SC", "Source Han Serif SC", "思源宋体", "SimSun", "宋体",
    "Noto Sans CJK SC", "Microsoft YaHei", "微软雅黑",
)  # fmt: skip
#: Digits and Latin letters in a Latin serif, as official documents set them (Times New Roman).
#: Listed first, they also keep the PDF's text extractable: Qt cannot map the digit glyphs that
#: a CJK font shapes in a Latin run back to characters (pdftotext reads them as nothing).
LATIN_FONTS: tuple[str, ...] = ("Times New Roman", "Liberation Serif", "Tinos", "DejaVu Serif")
#: GB/T 9704: body text in 仿宋_GB2312, then installed CJK fonts, serif first.
BODY_FONTS: tuple[str, ...] = (
    *LATIN_FONTS, "仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋",
    "Noto Serif CJK SC", "Source Han Serif SC", "思源宋体", "SimSun", "宋体",
    "Noto Sans CJK SC", "Microsoft YaHei", "微软雅黑",
)  # fmt: skip
#: Fonts that are already heavy: a title in them is not made bold (that would smear it).
_HEAVY_TITLE_FONTS = frozenset(TITLE_FONTS[:6])


@dataclass(frozen=True)
class PrintFonts:
    """The font families a printout asks for, best first (QTextDocument takes the first installed)."""

    title: tuple[str, ...] = TITLE_FONTS
    body: tuple[str, ...] = BODY_FONTS
    title_bold: bool = True  # false when a real 小标宋 is installed

    def css(self, which: str) -> str:
        families = self.title if which == "title" else self.body
        return ", ".join(f"'{f}'" for f in families)


def resolve_fonts(installed: Iterable[str]) -> PrintFonts:
    """The stacks reduced to installed families (given e.g. QFontDatabase.families()), so that
    the title is bold only when it falls back from 小标宋. Nothing installed: the full stacks."""
    have = set(installed)
    title = tuple(f for f in TITLE_FONTS if f in have) or TITLE_FONTS
    latin = [f for f in LATIN_FONTS if f in have][:1]
    cjk = [f for f in BODY_FONTS if f in have and f not in LATIN_FONTS]
    body = tuple(latin + cjk) if cjk else BODY_FONTS
    return PrintFonts(title, body, title_bold=title[0] not in _HEAVY_TITLE_FONTS)


def government_name(profile: Profile, org_name: str) -> str:
    """Whose leaders the board lists: the org name without 办公室 (攀枝花市人民政府办公室 →
    攀枝花市人民政府), or the profile's government when the org name says nothing else."""
    name = org_name.strip().replace("办公室", "", 1).strip()
    return name if name else profile.name


def _cn_time(t: datetime) -> str:
    return f"{cn_date(t.date())} {t:%H:%M}"


# --------------------------------------------------------------------------------------------
# Weekly board (A4 landscape)
# --------------------------------------------------------------------------------------------

REST_BG = "#f3f3f3"  # a rest day column (weekend or holiday)
HOLIDAY_BG = "#fbeaea"  # a holiday column header
MAKEUP_BG = "#eaf0f8"  # a make-up workday column header
AWAY_BG = "#fff6dc"  # a cell where the leader is away
RED = "#b3261e"
BLUE = "#2f5589"
GREY = "#6b6b6b"


def _sizes(rows: int) -> dict[str, float]:
    """Font sizes (pt) and cell padding (px) so that up to 20 leaders fit on one A4 page."""
    if rows <= 10:
        return {"body": 11.0, "small": 9.5, "pad": 8}
    if rows <= 14:
        return {"body": 10.5, "small": 9.0, "pad": 3}
    return {"body": 9.0, "small": 8.0, "pad": 1}


def _board_css(fonts: PrintFonts, sizes: dict[str, float]) -> str:
    weight = "bold" if fonts.title_bold else "normal"
    return f"""
body {{ font-family: {fonts.css('body')}; font-size: {sizes['body']}pt; color: #111; }}
.title {{ font-family: {fonts.css('title')}; font-size: 20pt; font-weight: {weight}; }}
.week {{ font-size: 12pt; }}
th {{ font-size: {sizes['body']}pt; font-weight: bold; }}
.wd {{ font-weight: normal; }}
.mark {{ font-size: {sizes['small']}pt; font-weight: bold; color: white; }}
.hname {{ font-size: {sizes['small']}pt; font-weight: normal; }}
.name {{ font-weight: bold; }}
.ttl {{ font-size: {sizes['small']}pt; }}
.here {{ color: {GREY}; }}
.away {{ font-weight: bold; }}
.act {{ font-size: {sizes['small']}pt; color: {BLUE}; }}
.gap {{ font-size: {sizes['small']}pt; color: {RED}; font-weight: bold; }}
.foot {{ font-size: 9pt; color: #222; }}
.note {{ font-size: 9pt; color: {RED}; }}
"""


#: Column widths: name, title, then the seven days.
_NAME_W, _TITLE_W, _DAY_W = "7%", "12.5%", "11.5%"


def _day_header(day: BoardDay, marks_row: bool, one_line: bool) -> str:
    if day.mark == "休":
        bg = HOLIDAY_BG
    elif day.mark == "班":
        bg = MAKEUP_BG
    elif day.rest:
        bg = REST_BG
    else:
        bg = "#ffffff"
    colour = RED if day.rest else "#111"
    mark = "<br>&nbsp;" if marks_row else ""
    if day.mark:
        badge = RED if day.mark == "休" else BLUE
        caption = day.name if day.mark == "休" else "调休上班"
        provisional = "(暂定)" if day.provisional else ""
        mark = (f'<br><span class="mark" style="background-color:{badge};">&nbsp;{day.mark}&nbsp;</span>'
                f'<span class="hname" style="color:{badge};">&nbsp;{escape(caption)}{provisional}</span>')  # fmt: skip
    sep = "&nbsp;" if one_line else "<br>"
    return (f'<th bgcolor="{bg}" width="{_DAY_W}" style="color:{colour};">{escape(day.date_label)}{sep}'
            f'<span class="wd">{day.weekday_label}</span>{mark}</th>')  # fmt: skip


_LINE_HEIGHT = 82  # percent of the font's line spacing, in the day cells
_ENTRY_CLASS = {"here": "here", "away": "away", "acting": "act", "gap": "gap"}


def _board_cell(cell: BoardCell, span: int) -> str:
    """One cell, or ``span`` days away with the same text merged into one cell (one line)."""
    bg = (REST_BG if cell.day.rest else "#ffffff") if cell.present else AWAY_BG
    lines = [f'<span class="{_ENTRY_CLASS[kind]}">{escape(text)}</span>' for text, kind in cell.entries]
    joined = ("&nbsp;&nbsp;" if span > 1 else "<br>").join(lines) or "&nbsp;"
    colspan = f' colspan="{span}"' if span > 1 else ""
    # CJK fonts have tall line boxes (Noto: 1.45 em): two lines in a cell are set closer.
    return (f'<td bgcolor="{bg}" align="center" valign="middle"{colspan}>'
            f'<p style="margin: 0; line-height: {_LINE_HEIGHT}%;">{joined}</p></td>')


def weekly_board_html(
    board: WeekBoard,
    profile: Profile,
    org_name: str,
    *,
    printed_on: date | None = None,
    fonts: PrintFonts | None = None,
) -> str:
    """一周领导在岗情况表 for A4 landscape: leaders × Monday–Sunday, marks, who acts, footer.

    Consecutive days away with the same text are merged into one cell. Up to 20 leaders fit
    on one page (fonts get smaller with more rows). ``printed_on`` is the 制表 date (the clock's
    today, never the wall clock's).
    """
    fonts = fonts or PrintFonts()
    sizes = _sizes(len(board.rows))
    pad = int(sizes["pad"])
    e = escape
    gov = government_name(profile, org_name)
    marks_row = any(d.mark for d in board.days)
    provisional = "(含暂定日期,以国务院放假通知为准)" if board.provisional else ""
    parts = [
        f"<html><head><style>{_board_css(fonts, sizes)}</style></head><body>",
        f'<p align="center" style="margin: 0;"><span class="title">{e(gov)}一周领导在岗情况表</span></p>',
        f'<p align="center" class="week" style="margin-top: 2px; margin-bottom: 5px;">'
        f"{e(board.range_text)}{provisional}</p>",
        f'<table width="100%" border="1" cellspacing="0" cellpadding="{pad}" '
        'style="border-collapse: collapse; border-color: #333; border-style: solid;">',
        f'<thead><tr><th width="{_NAME_W}" bgcolor="#f7f7f7">姓名</th>'
        f'<th width="{_TITLE_W}" bgcolor="#f7f7f7">职务</th>',
    ]
    dense = len(board.rows) > 14  # date and weekday on one line to save a line
    parts += [_day_header(d, marks_row, dense) for d in board.days]
    parts.append("</tr></thead>")
    for row in board.rows:
        parts.append(f'<tr><td align="center" valign="middle"><span class="name">{e(row.person.name)}</span></td>'
                     f'<td align="center" valign="middle"><span class="ttl">{e(row.title)}</span></td>')  # fmt: skip
        parts += [_board_cell(cell, n) for _i, n, cell in row.runs()]
        parts.append("</tr>")
    if not board.rows:
        parts.append('<tr><td colspan="9" align="center">尚未登记政府领导:请在“人员”页添加。</td></tr>')
    parts.append("</table>")
    shown = 3
    notes = [f"{cn_span(n.first, n.last, year=False)}:{e(n.text)}。" for n in board.notes[:shown]]
    if len(board.notes) > shown:
        notes.append(f"另有{len(board.notes) - shown}项代行安排待协调。")
    if notes:
        parts.append('<p class="note" style="margin-top: 3px; margin-bottom: 0;">注:' + " ".join(notes) + "</p>")
    stamp = f"制表日期:{cn_date(printed_on)}" if printed_on else ""
    legend = "说明:“代”为外出期间代行职责的领导;休=法定节假日放假,班=调休上班。"
    parts.append(
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 4px;"><tr>'
        f'<td class="foot">{legend}</td>'
        f'<td class="foot" align="right">制表:{e(org_name or profile.office)}&nbsp;&nbsp;&nbsp;&nbsp;{stamp}</td>'
        "</tr></table>"
    )
    parts.append("</body></html>")
    return official_html("".join(parts))  # official text: full-width punctuation (issue 14)


# --------------------------------------------------------------------------------------------
# Approval form (A4 portrait)
# --------------------------------------------------------------------------------------------


def form_title(record: Absence) -> str:
    """请假审批单 for leave (休假、因私请假、病假), 外出报备审批表 for trips, going abroad, study."""
    return "请假审批单" if record.kind in LEAVE_KINDS else "外出报备审批表"


def _form_css(fonts: PrintFonts) -> str:
    weight = "bold" if fonts.title_bold else "normal"
    return f"""
body {{ font-family: {fonts.css('body')}; font-size: 14pt; color: #111; }}
.title {{ font-family: {fonts.css('title')}; font-size: 22pt; font-weight: {weight}; }}
.sub {{ font-size: 12pt; }}
td {{ font-size: 14pt; }}
td.k {{ font-weight: bold; }}
.step {{ font-size: 13pt; font-weight: bold; }}
.who {{ font-size: 12pt; color: #333; }}
.note {{ font-size: 12pt; color: {BLUE}; }}
.done {{ font-size: 13pt; }}
.rej {{ font-size: 13pt; color: {RED}; font-weight: bold; }}
.sign {{ font-size: 12pt; }}
.foot {{ font-size: 10.5pt; color: #333; }}
"""


def _days_text(record: Absence) -> str:
    n = length_days(record)
    return f"共{n:g}天"


def _row(label: str, value: str, label2: str | None = None, value2: str | None = None) -> str:
    if label2 is None:
        return (f'<tr><td class="k" width="16%" align="center" bgcolor="#f5f5f5">{label}</td>'
                f'<td colspan="3">{value or "&nbsp;"}</td></tr>')  # fmt: skip
    return (f'<tr><td class="k" width="16%" align="center" bgcolor="#f5f5f5">{label}</td>'
            f'<td width="34%">{value or "&nbsp;"}</td>'
            f'<td class="k" width="16%" align="center" bgcolor="#f5f5f5">{label2}</td>'
            f'<td width="34%">{value2 or "&nbsp;"}</td></tr>')  # fmt: skip


_SIGN_WORD = {
    StepAction.summarize: "经办人",
    StepAction.report: "签字",
    StepAction.sign: "签字",
    StepAction.approve: "签字",
    StepAction.notify: "经办人",
    StepAction.file: "经办人",
}


def _step_box(step: ResolvedStep) -> str:
    e = escape
    lines = [f'<span class="who">办理:{e(step.target_text)}</span>']
    if step.note:
        lines.append(f'<span class="note">{e(step.note)}</span>')
    if step.state is StepState.done:
        when = _cn_time(step.done_at) if step.done_at else ""
        lines.append(f'<span class="done">已{e(step.action.label)}:{e(step.done_by or "")}&nbsp;&nbsp;{when}</span>')
        if step.comment:
            lines.append(f'<span class="done">意见:{e(step.comment)}</span>')
    elif step.state is StepState.rejected:
        when = _cn_time(step.done_at) if step.done_at else ""
        lines.append(f'<span class="rej">退回:{e(step.done_by or "")}&nbsp;&nbsp;{when}</span>')
        if step.comment:
            lines.append(f'<span class="rej">理由:{e(step.comment)}</span>')
    elif step.state is StepState.skipped:
        lines.append('<span class="who">(因前一步退回,未办理)</span>')
    else:
        lines += ["&nbsp;"] * 3  # room to write an opinion
    word = _SIGN_WORD[step.action]
    lines.append(f'<p align="right" class="sign" style="margin-top: 4px;">{word}:'
                 "________________&nbsp;&nbsp;&nbsp;&nbsp;日期:________年____月____日</p>")  # fmt: skip
    return (f'<tr><td class="k" width="16%" align="center" valign="middle" bgcolor="#f5f5f5">'
            f'<span class="step">{e(step.label)}</span></td>'
            f'<td colspan="3" valign="top">{"<br>".join(lines[:-1])}{lines[-1]}</td></tr>')  # fmt: skip


def approval_form_html(
    record: Absence,
    person: Person,
    steps: Sequence[ResolvedStep],
    profile: Profile,
    org_name: str,
    acting_names: Sequence[str] = (),
    *,
    printed_on: date | None = None,
    fonts: PrintFonts | None = None,
) -> str:
    """外出报备审批表 / 请假审批单 for A4 portrait: the record, then one signature box for each
    step of its chain in order (done steps show who and when, and the comment).

    ``acting_names``: who acts meanwhile, as printed (周晓燕(副市长)); empty: 无需代行 / 按规定.
    """
    fonts = fonts or PrintFonts()
    e = escape
    title = form_title(record)
    end, end_half = effective_end(record)
    span = format_span(record.start, record.start_half, end, end_half)
    leaves = f"是({profile.jurisdiction_label})" if record.leaves_jurisdiction else "否"
    reported = _cn_time(record.reported_at) if record.reported_at else "(未登记)"
    if record.urgent:
        reported += "(因紧急事项临时外出)"
    rank_title = person.title or profile.title(person.role)
    kind_label = record.kind.label
    if record.state is AbsenceState.returned and record.actual_return is not None:
        span += f"(已销假,原计划至{cn_date(record.end)}" + ("上午" if record.end_half is Half.am else "") + ")"
    number = f"编号:{record.id}" if record.id is not None else ""
    parts = [
        f"<html><head><style>{_form_css(fonts)}</style></head><body>",
        f'<p align="center" style="margin: 0;"><span class="title">{e(title)}</span></p>',
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 10px; margin-bottom: 4px;"><tr>'
        f'<td class="sub">填报单位:{e(org_name or profile.office)}</td>'
        f'<td class="sub" align="right">{e(number)}</td></tr></table>',
        '<table width="100%" border="1" cellspacing="0" cellpadding="8" '
        'style="border-collapse: collapse; border-color: #222; border-style: solid;">',
        _row("姓　　名", e(person.name), "职　　务", e(rank_title)),
        _row("类　　别", e(kind_label), "是否" + e(profile.jurisdiction_label), e(leaves)),
        _row("起止时间", f"{e(span)}&nbsp;&nbsp;{_days_text(record)}"),
        _row("目 的 地", e(record.destination), "联系方式", phone_html(record.contact)),
        _row("事　　由", e(record.reason)),
        _row("报告时间", e(reported)),
        _row("代行人员", e("、".join(acting_names)) if acting_names else "无需代行"),
    ]
    if steps:
        parts += [_step_box(s) for s in steps]
    else:
        parts.append(_row("审批流程", "按规定无需审批,报备即可。"))
    parts.append("</table>")
    chain = profile.chain_for(person.role, record.kind, record.leaves_jurisdiction)
    basis = f"依据:{e(cite(chain.article, profile))},{e(chain.label)}。" if chain else ""
    stamp = f"打印日期:{cn_date(printed_on)}" if printed_on else ""
    state = f"当前状态:{e(state_label(record.state, steps))}"
    parts.append(f'<p class="foot" style="margin-top: 8px;">{basis}<br>{state}&nbsp;&nbsp;&nbsp;&nbsp;{stamp}</p>')
    parts.append("</body></html>")
    return official_html("".join(parts))  # official text: full-width punctuation (issue 14)
