"""How a rule's article is shown to a person (DESIGN.md "How a rule is shown").

Profiles and tests cite articles by a machine id, ``"000 art.84"`` (the seed file and the article
number). What a secretary reads — screens, printouts, the 通报 text, the CLI's text output — names
the government's own document and article::

    cite("000 art.84", profile)              -> 《攀枝花市人民政府工作规则》第八十四条
    cite("000 art.84", profile, short=True)  -> 第八十四条   (the profile's own document)
    cite("000 art.81", wujiagang, short=True) -> 《攀枝花市人民政府工作规则》第八十一条
                                                (a borrowed article always names its document)

The JSON output may keep the machine id beside the text. Pure Python: no Qt, no database.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from desktop.core.profile import Profile

__all__ = ["SEED_TITLES", "article_number", "cite", "cite_many", "cn_number", "official_html", "official_punctuation",
           "official_text"]

#: The five published rule documents (../shared/seeds/README.md), by seed file prefix. A profile of
#: another government names its own document in ``source_title`` and ``seed``.
SEED_TITLES: dict[str, str] = {
    "000": "攀枝花市人民政府工作规则",
    "001": "日照市人民政府工作规则",
    "002": "西平县人民政府工作规则",
    "003": "吐鲁番市人民政府工作规则",
    "004": "宜昌市伍家岗区人民政府工作规则",
}

_DIGITS = "零一二三四五六七八九"
_ARTICLE = re.compile(r"^\s*([0-9A-Za-z_-]+) art\.\s*([1-9][0-9]*)\s*$")


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 57 → 五十七, 81 → 八十一, 105 → 一百零五 (article numbers, 1–999)."""
    if not 0 < n < 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _DIGITS[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def article_number(article: str) -> str:
    """“000 art.84” → “第八十四条”; a text that is not a machine id is returned as it is."""
    match = _ARTICLE.match(article or "")
    if not match:
        return article or ""
    return f"第{cn_number(int(match.group(2)))}条"


def _title(seed: str, profile: Profile | None) -> str | None:
    if profile is not None and profile.seed == seed:
        return profile.source_title
    return SEED_TITLES.get(seed)


def cite(article: str, profile: Profile | None = None, *, short: bool = False) -> str:
    """The article as the government's own: 《…工作规则》第八十四条, or 第八十四条 when ``short``
    and the article is in the profile's own document. "" for "" (no article)."""
    match = _ARTICLE.match(article or "")
    if not match:
        return article or ""
    seed = match.group(1)
    number = f"第{cn_number(int(match.group(2)))}条"
    own = profile is not None and profile.seed == seed
    if short and (own or profile is None):
        return number
    title = _title(seed, profile)
    return f"《{title}》{number}" if title else number


_HALF_TO_FULL = {",": "，", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_COLON = re.compile(r"(?<![0-9]):|:(?![0-9])")


def official_punctuation(text: str) -> str:
    """Half-width ,:;()?! as the full-width marks official Chinese text uses (GB/T 15834): the 通报.
    A colon between digits (09:30) stays as it is."""
    text = _COLON.sub("：", text)
    return text.translate(str.maketrans(_HALF_TO_FULL))


_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》"
_PAIR = re.compile(r"\(([^()]*)\)")
_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[:,;()]|[:,;()](?=[{_CJK}])")
_HAS_CJK = re.compile(rf"[{_CJK}]")


def official_text(text: str) -> str:
    """The Chinese of a form or board in full-width punctuation: ``:,;`` next to a Chinese character and
    every bracket pair with a Chinese character right inside or outside one of its brackets become
    ：，；（）. ASCII text keeps its own marks — 09:30, a name such as ``@SUM(A1)``, (PDF),
    ``=HYPERLINK("…","点我")`` — so nothing a person typed in Latin letters changes."""

    def pair(m: re.Match[str]) -> str:
        inner = m.group(1)
        touching = text[m.start() - 1:m.start()] + inner[:1] + inner[-1:] + text[m.end():m.end() + 1]
        return f"（{inner}）" if _HAS_CJK.search(touching) else m.group(0)

    text = _PAIR.sub(pair, text)
    return _NEXT_TO_CJK.sub(lambda m: official_punctuation(m.group(0)).replace(":", "："), text)


_MARKUP = re.compile(r"(<style[^>]*>.*?</style>|<[^>]*>|&#?\w+;)", re.S | re.I)


def official_html(html: str) -> str:
    """`official_text` over the text of an HTML printout (forms, the weekly board, rosters):
    tags, their attributes, the style sheet and entities (&nbsp;) stay as they are."""
    parts = _MARKUP.split(html)
    # split with one group: the text is at the even places, the markup at the odd ones
    return "".join(part if i % 2 else official_text(part) for i, part in enumerate(parts))


def cite_many(articles: list[str] | tuple[str, ...], profile: Profile | None = None) -> str:
    """Several articles, grouped by document: 《攀枝花市人民政府工作规则》第四十一条、第四十三条."""
    groups: dict[str, list[int]] = {}
    loose: list[str] = []
    for article in articles:
        match = _ARTICLE.match(article or "")
        if not match:
            if article:
                loose.append(article)
            continue
        numbers = groups.setdefault(match.group(1), [])
        if int(match.group(2)) not in numbers:
            numbers.append(int(match.group(2)))
    parts = []
    for seed, numbers in groups.items():
        title = _title(seed, profile)
        text = "、".join(f"第{cn_number(n)}条" for n in sorted(numbers))
        parts.append(f"《{title}》{text}" if title else text)
    return ";".join(parts + loose)
