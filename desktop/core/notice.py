"""Parse the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

The user pastes the notice's text; `parse_notice` returns its year and one `DayEntry` per
rest day and per make-up workday (source "notice"), or raises `NoticeError` quoting the line
it could not place. It never guesses: every date in a section must be placed as a rest day,
a make-up workday, or an explanation of those; every annotation it can check is checked.

The grammar covers the wordings used since the 2008 reform:

* headings ``一、元旦:`` ``四、"五一":`` ``六、中秋节、国庆节:`` (the body may follow on the
  same line or on the next lines);
* rest spans ``1月1日至3日放假调休,共3天`` ``2007年12月30日—2008年1月1日放假,共3天``
  ``1月1日(周三)放假1天,不调休`` ``5月1日放假,与周末连休`` ``4月5日放假,4月6日(星期一)补休``
  ``1月1日至3日放假公休``;
* make-up workdays ``2月4日(星期日)、2月18日(星期日)上班`` (also in another year:
  ``2011年12月31日(星期六)上班``, or ``12月29日(星期六)上班`` in the 元旦 section, which is
  placed in the previous year because it is the nearest such day to the holiday);
* the 2008-style explanations ``其中,1月1日(星期二)为法定节假日,12月29日(星期六)公休日调至
  12月31日(星期一)`` ``…与…两个公休日对调`` ``…照常公休``: their dates must be days the
  section already places;
* advisory sentences (``鼓励各单位…安排职工在除夕(2月9日)休息``) are not arrangements and
  are skipped;
* annotations after a date: the weekday (``星期六`` ``周六``, must match the date), the lunar
  date (``农历腊月二十八`` ``农历除夕`` ``正月初二``, checked with lunar_python), a festival
  (``春节`` ``清明节`` ``端午节`` ``中秋节``, checked), or a range ``(农历除夕至正月初六)``;
* ``共N天`` / ``放假N天`` must equal the span from the section's first to last rest day;
* full-width or half-width punctuation and digits, and Traditional characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from lunar_python import Solar

from desktop.core.cndate import cn_date, cn_month_day, cn_weekday
from desktop.core.errors import UserError
from desktop.core.provisional import qingming
from desktop.core.text import safe_text
from desktop.core.workcal import DayEntry

__all__ = ["Notice", "NoticeError", "NoticeHoliday", "normalize", "parse_notice"]


class NoticeError(UserError):
    """The notice text cannot be read without guessing; the message quotes the line."""

    def __init__(self, message: str, line: str | None = None, line_no: int | None = None) -> None:
        self.reason = message
        self.line = line.strip() if line is not None else None
        self.line_no = line_no
        if self.line is not None:
            where = f"第{line_no}行" if line_no is not None else "这一行"
            message = f"{message}。{where}:“{self.line}”"
        super().__init__(message)


@dataclass(frozen=True)
class NoticeHoliday:
    """One section of the notice: its name, its rest days and its make-up workdays."""

    name: str
    rest_days: tuple[date, ...]
    work_days: tuple[date, ...]


@dataclass(frozen=True)
class Notice:
    year: int
    title: str | None
    issued: date | None
    holidays: tuple[NoticeHoliday, ...]
    entries: tuple[DayEntry, ...]

    def rest_days(self) -> set[date]:
        return {e.day for e in self.entries if e.rest}

    def work_days(self) -> set[date]:
        return {e.day for e in self.entries if not e.rest}


# --------------------------------------------------------------------------- normalising text

# Traditional → Simplified for the words a notice uses (keywords, headings, annotations, title).
_TRAD = "節勞動國慶調農曆歷臘週與連補務辦廳關於為單勵職帶實規則閏對將個兩紀勝戰爭發電號經現開間時這應當處報確區縣鄉鎮員機構體點總負責據廣觀組織計劃們讓無團聯擊緊雙續衛護產營輸運遊業傳統會議備樣過後進還達陽陰際隨險難順須預領題額風養長書車轉較釋錯給結線級約習聞聽興舉萬見視覺訂記設許試話該詳認語說請講謝證識譯讀變貨資質購賽歲隊陣陳療眾衆佈彙夥災氣獲環禮稱積窮競築簡範頁髮鬧週間"
_SIMP = "节劳动国庆调农历历腊周与连补务办厅关于为单励职带实规则闰对将个两纪胜战争发电号经现开间时这应当处报确区县乡镇员机构体点总负责据广观组织计划们让无团联击紧双续卫护产营输运游业传统会议备样过后进还达阳阴际随险难顺须预领题额风养长书车转较释错给结线级约习闻听兴举万见视觉订记设许试话该详认语说请讲谢证识译读变货资质购赛岁队阵陈疗众众布汇伙灾气获环礼称积穷竞筑简范页发闹周间"
assert len(_TRAD) == len(_SIMP)
_TO_SIMPLIFIED = str.maketrans(_TRAD, _SIMP)
_SPACES = re.compile(r"\s+")


def normalize(line: str) -> str:
    """Half-width digits and punctuation (NFKC), Simplified characters, no spaces."""
    s = unicodedata.normalize("NFKC", line).translate(_TO_SIMPLIFIED)
    s = s.replace("〔", "[").replace("〕", "]").replace("【", "[").replace("】", "]")
    s = s.replace("—", "-").replace("–", "-").replace("−", "-").replace("~", "-")
    return _SPACES.sub("", s)


# --------------------------------------------------------------------------- patterns

_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})[、.](?P<title>[^:\d]{1,30}?):(?P<body>.*)$")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?")
# The date under the signature, or a labelled date of a web page's header ("成文日期:…").
_PURE_DATE = re.compile(r"^\(?(?:[\u4e00-\u9fff]{1,6}:)?(?:国务院办公厅)?(\d{4})年(\d{1,2})月(\d{1,2})日\)?$")
_LABEL = re.compile(r"^[\u4e00-\u9fff]{1,6}:(?=.)")
_COUNT = re.compile(r"(?:共|放假)(\d{1,2})天")
# Any number of digits, so that “关于27年” or “关于10000年” is refused for its year, not misread.
_YEAR = (re.compile(r"关于(\d{1,8})年"), re.compile(r"现将(\d{1,8})年"), re.compile(r"(?<!\d)(\d{1,8})年部分节假日"))
FIRST_YEAR, LAST_YEAR = 2000, 2099  # the notices in this form; the calendar supports up to 2099
_RANGE_SEPS = frozenset({"至", "-", "--", "到"})
_LIST_CHARS = frozenset("、和与及,")
_WEEKDAY = re.compile(r"^(?:星期|周|礼拜)([一二三四五六日天])$")
_WEEKDAY_NUM = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_LUNAR_MONTHS = {
    "正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "冬": 11, "十一": 11, "腊": 12, "十二": 12,
}  # fmt: skip
_CN_DIGITS = "一二三四五六七八九"
_LUNAR_DAYS: dict[str, int] = {}
for _i, _c in enumerate(_CN_DIGITS, 1):
    _LUNAR_DAYS["初" + _c] = _i
    _LUNAR_DAYS["十" + _c] = 10 + _i
    _LUNAR_DAYS["廿" + _c] = 20 + _i
    _LUNAR_DAYS["二十" + _c] = 20 + _i
_LUNAR_DAYS.update({"初十": 10, "二十": 20, "三十": 30})
_LUNAR_DATE = re.compile(r"^(闰)?(正|十一|十二|冬|腊|[一二三四五六七八九十])月(.+)$")
_LUNAR_MONTH_CN = ["", "正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
_LUNAR_DAY_CN = {v: k for k, v in _LUNAR_DAYS.items() if not k.startswith("二十") or k == "二十"}

_TITLE_ALIASES = {
    "五一": "劳动节", "劳动节": "劳动节", "国际劳动节": "劳动节", "清明": "清明节",
    "端午": "端午节", "中秋": "中秋节", "国庆": "国庆节", "新年": "元旦",
}  # fmt: skip
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")

_WORK_WORDS = ("上班",)
_REST_WORDS = ("放假", "补休", "补假")
_EXPLAIN_WORDS = ("法定节假日", "法定假日", "法定节日", "公休", "调至", "对调", "照常")


# --------------------------------------------------------------------------- helpers


@dataclass
class _Piece:
    text: str  # normalised
    line_no: int
    raw: str


@dataclass
class _Section:
    name: str
    heading: _Piece
    pieces: list[_Piece] = field(default_factory=list)


def _split(text: str, seps: str) -> list[str]:
    """Split on any char of seps that is outside parentheses."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [s for s in out if s]


def _lunar_md(d: date) -> tuple[int, int]:
    lu = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return lu.getMonth(), lu.getDay()


def _lunar_cn(d: date) -> str:
    m, day = _lunar_md(d)
    return f"{'闰' if m < 0 else ''}{_LUNAR_MONTH_CN[abs(m)]}月{_LUNAR_DAY_CN[day]}"


def _describe(d: date) -> str:
    return f"{cn_date(d)}是{cn_weekday(d)}、农历{_lunar_cn(d)}"


def _check_annotation_part(part: str, d: date, piece: _Piece) -> None:
    """Raise NoticeError if an annotation (one part of the parenthesis) does not fit the date."""
    p = part.removeprefix("农历")
    m = _WEEKDAY.match(p)
    if m:
        ok = _WEEKDAY_NUM[m.group(1)] == d.weekday()
    elif p == "除夕":
        ok = _lunar_md(d + timedelta(days=1)) == (1, 1)
    elif p in ("春节", "正月初一", "大年初一"):
        ok = _lunar_md(d) == (1, 1)
    elif p in ("端午节", "端午"):
        ok = _lunar_md(d) == (5, 5)
    elif p in ("中秋节", "中秋"):
        ok = _lunar_md(d) == (8, 15)
    elif p in ("清明节", "清明"):
        ok = d == qingming(d.year)
    elif p == "元旦":
        ok = (d.month, d.day) == (1, 1)
    elif p in ("劳动节", "五一"):
        ok = (d.month, d.day) == (5, 1)
    elif p in ("国庆节", "国庆"):
        ok = (d.month, d.day) == (10, 1)
    else:
        lm = _LUNAR_DATE.match(p)
        if not lm or lm.group(3) not in _LUNAR_DAYS:
            raise NoticeError(f"无法识别日期后括号里的注释“{part}”", piece.raw, piece.line_no)
        month = _LUNAR_MONTHS[lm.group(2)] * (-1 if lm.group(1) else 1)
        ok = _lunar_md(d) == (month, _LUNAR_DAYS[lm.group(3)])
    if not ok:
        raise NoticeError(f"注释“{part}”与日期不符:{_describe(d)}", piece.raw, piece.line_no)


class _SectionParser:
    """Places every date of one section (one holiday)."""

    def __init__(self, section: _Section, year: int) -> None:
        self.s = section
        self.year = year
        self.anchor: date | None = None
        self.prev: date | None = None
        self.rest: dict[date, _Piece] = {}
        self.work: dict[date, _Piece] = {}
        self.explained: list[tuple[date, _Piece]] = []
        self.counts: list[tuple[int, _Piece]] = []

    # -- dates
    def _resolve(self, y: str | None, m: str | None, d: str, piece: _Piece) -> date:
        day = int(d)
        if m is None:
            if self.prev is None:
                raise NoticeError(f"“{d}日”前没有月份", piece.raw, piece.line_no)
            if y is not None:
                raise NoticeError(f"“{y}年{d}日”缺少月份", piece.raw, piece.line_no)
            try:
                return date(self.prev.year, self.prev.month, day)
            except ValueError:
                raise NoticeError(f"日期不存在:{self.prev.month}月{d}日", piece.raw, piece.line_no) from None
        month = int(m)
        if y is not None:
            yy = int(y)
            if not self.year - 1 <= yy <= self.year + 1:
                raise NoticeError(f"{yy}年不在{self.year}年的通知所能安排的范围内", piece.raw, piece.line_no)
            candidates = [yy]
        elif self.anchor is None:
            # The first date of a section is in the notice's year, except a 元旦 holiday that
            # starts in the previous December.
            yy = self.year - 1 if month == 12 and self.s.name.startswith("元旦") else self.year
            candidates = [yy]
        else:
            candidates = [self.year - 1, self.year, self.year + 1]
        found: list[date] = []
        for cy in candidates:
            try:
                found.append(date(cy, month, day))
            except ValueError:
                continue
        if not found:
            raise NoticeError(f"日期不存在:{month}月{day}日", piece.raw, piece.line_no)
        if self.anchor is None:
            return found[0]
        anchor = self.anchor
        return min(found, key=lambda c: abs((c - anchor).days))

    def dates(self, clause: str, piece: _Piece) -> tuple[list[date], str]:
        """The dates of a clause (ranges expanded) and the clause's text without them."""
        out: list[date] = []
        rest_text: list[str] = []
        pos = 0
        prev_tok: date | None = None
        for mt in _DATE.finditer(clause):
            between = clause[pos : mt.start()]
            d = self._resolve(mt.group(1), mt.group(2), mt.group(3), piece)
            if self.anchor is None:
                self.anchor = d
            self.prev = d
            is_range = prev_tok is not None and between in _RANGE_SEPS
            if not is_range:
                rest_text.append(between)
            ann = mt.group(4)
            if is_range:
                assert prev_tok is not None
                if not (0 < (d - prev_tok).days <= 31):
                    raise NoticeError(f"日期范围不成立:{prev_tok}至{d}", piece.raw, piece.line_no)
                out.extend(prev_tok + timedelta(days=k) for k in range(1, (d - prev_tok).days + 1))
            else:
                out.append(d)
            if ann:
                parts = _split(ann, "至-")
                if len(parts) == 2 and ("至" in ann or "-" in ann):
                    if not is_range:
                        raise NoticeError(
                            f"注释“{ann}”是一个范围,但前面不是日期范围", piece.raw, piece.line_no
                        )
                    assert prev_tok is not None
                    ends = (prev_tok, d)
                    for part, day in zip(parts, ends, strict=True):
                        for sub in _split(part, "、,"):
                            _check_annotation_part(sub, day, piece)
                else:
                    for sub in _split(ann, "、,"):
                        _check_annotation_part(sub, d, piece)
            prev_tok = d
            pos = mt.end()
        rest_text.append(clause[pos:])
        return out, "".join(rest_text)

    # -- clauses
    def feed(self, piece: _Piece) -> None:
        for sentence in _split(piece.text, "。;."):
            if sentence.startswith("鼓励"):
                continue  # advisory (e.g. 鼓励…安排职工在除夕休息): not an arrangement
            pending: list[date] = []
            for clause in _split(sentence, ","):
                for cm in _COUNT.finditer(clause):
                    self.counts.append((int(cm.group(1)), piece))
                ds, words = self.dates(clause, piece)
                kind = self._kind(words)
                if kind is None:
                    if ds and set(words.replace("其中", "")) <= _LIST_CHARS:
                        pending += ds  # a bare list of dates: its verb is in the next clause
                        continue
                    if ds:
                        raise NoticeError("无法判断这些日期是放假还是上班", piece.raw, piece.line_no)
                    continue
                ds = pending + ds
                pending = []
                target = {"rest": self.rest, "work": self.work}.get(kind)
                for d in ds:
                    if target is None:
                        self.explained.append((d, piece))
                    else:
                        target.setdefault(d, piece)
            if pending:
                raise NoticeError("无法判断这些日期是放假还是上班", piece.raw, piece.line_no)

    @staticmethod
    def _kind(words: str) -> str | None:
        if any(w in words for w in _WORK_WORDS):
            return "work"
        if any(w in words for w in _REST_WORDS):
            return "rest"
        if any(w in words for w in _EXPLAIN_WORDS):
            return "explain"
        if "调休" in words:
            return "rest"
        return None

    def finish(self) -> NoticeHoliday:
        h = self.s.heading
        if not self.rest:
            raise NoticeError(f"“{self.s.name}”一节没有放假日期", h.raw, h.line_no)
        for d, piece in self.work.items():
            if d in self.rest:
                raise NoticeError(f"{d}既是放假日又是上班日", piece.raw, piece.line_no)
            if d.weekday() < 5:
                raise NoticeError(
                    f"{cn_month_day(d)}是{cn_weekday(d)},本就是工作日,不会调休上班",
                    piece.raw,
                    piece.line_no,
                )
        for d, piece in self.explained:
            if d not in self.rest and d not in self.work:
                raise NoticeError(
                    f"{cn_month_day(d)}既不在放假日期内,也不是调休上班日", piece.raw, piece.line_no
                )
        first, last = min(self.rest), max(self.rest)
        span = (last - first).days + 1
        for n, piece in self.counts:
            if n != span:
                raise NoticeError(
                    f"通知说共{n}天,但{cn_month_day(first)}至{cn_month_day(last)}是{span}天",
                    piece.raw,
                    piece.line_no,
                )
        return NoticeHoliday(self.s.name, tuple(sorted(self.rest)), tuple(sorted(self.work)))


def _section_name(title: str) -> str:
    t = _QUOTES.sub("", title)
    parts = [p for p in re.split(r"[、和及与]", t) if p]
    return "、".join(_TITLE_ALIASES.get(p, p) for p in parts)


# --------------------------------------------------------------------------- entry point


def parse_notice(text: str, *, year: int | None = None) -> Notice:
    """Parse a notice's text. `year` is needed only if the text does not name its year;
    if both do, they must agree."""
    raw_lines = safe_text(text).splitlines()
    lines = [normalize(s) for s in raw_lines]
    full = "\n".join(lines)

    text_year: int | None = None
    for pat in _YEAR:
        m = pat.search(full)
        if m:
            text_year = int(m.group(1))
            break
    if text_year is not None and year is not None and text_year != year:
        raise NoticeError(f"通知写的是{text_year}年,而不是{year}年")
    y = text_year if text_year is not None else year
    if y is None:
        raise NoticeError(
            "找不到通知所属的年份:请贴入包括标题“国务院办公厅关于××××年部分节假日安排的通知”在内的全文"
        )
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise NoticeError(
            f"通知的年份“{y}”不在可导入的范围内({FIRST_YEAR}–{LAST_YEAR} 年)。请检查标题中的年份是否写错(应为四位数字)"
        )

    title: str | None = None
    issued: date | None = None
    sections: list[_Section] = []
    for no, (raw, line) in enumerate(zip(raw_lines, lines, strict=True), 1):
        if not line:
            continue
        if title is None and "关于" in line and "通知" in line and not sections:
            title = _LABEL.sub("", line)
            continue
        piece = _Piece(line, no, raw)
        hm = _HEADING.match(line)
        if hm:
            sec = _Section(_section_name(hm.group("title")), piece)
            body = hm.group("body")
            if body:
                sec.pieces.append(_Piece(body, no, raw))
            sections.append(sec)
            continue
        pm = _PURE_DATE.match(line)
        if pm:
            try:
                signed = date(int(pm.group(1)), int(pm.group(2)), int(pm.group(3)))
            except ValueError:
                raise NoticeError("日期不存在", raw, no) from None
            issued = issued or signed  # the first one: 成文日期 comes before 发布日期
            continue
        if not _DATE.search(line):
            continue  # prose: the salutation, the preamble, the closing paragraph
        if not sections:
            raise NoticeError("这一行的日期不属于任何节日", raw, no)
        sections[-1].pieces.append(piece)

    if not sections:
        raise NoticeError("没有找到放假安排(形如“一、元旦:1月1日放假”的各节)")

    holidays: list[NoticeHoliday] = []
    placed: dict[date, str] = {}
    entries: list[DayEntry] = []
    for sec in sections:
        sp = _SectionParser(sec, y)
        for piece in sec.pieces:
            sp.feed(piece)
        h = sp.finish()
        for d in (*h.rest_days, *h.work_days):
            if d in placed:
                piece = sp.rest.get(d) or sp.work[d]
                raise NoticeError(f"{d}已在“{placed[d]}”一节安排过", piece.raw, piece.line_no)
            placed[d] = h.name
        holidays.append(h)
        entries += [DayEntry(d, True, h.name, "notice") for d in h.rest_days]
        entries += [DayEntry(d, False, f"{h.name}调休上班", "notice") for d in h.work_days]
    entries.sort(key=lambda e: e.day)
    return Notice(y, title, issued, tuple(holidays), tuple(entries))
