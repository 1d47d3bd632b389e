"""The State Council notice parser (DESIGN.md "Working days": import the notice text itself).

The notices below are typed in the official wording (full-width punctuation, as published).
Each is checked day by day against chinese-calendar for its whole year; where the two differ
the difference is a later, separate notice, listed in LATER_NOTICES with its title.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from desktop.core.notice import NoticeError, normalize, parse_notice

PROSE_HEAD = """各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将{y}年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。"""
PROSE_TAIL = """节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅"""


def _notice(year: int, body: str, issued: str = "") -> str:
    return "\n".join(
        [
            f"国务院办公厅关于{year}年部分节假日安排的通知",
            "",
            PROSE_HEAD.format(y=year),
            body.strip(),
            PROSE_TAIL,
            issued,
        ]
    )


NOTICES: dict[int, str] = {
    # The first notice after the 2007 revision (清明、端午、中秋 become holidays; the 2008 wording
    # explains every swapped weekend day).
    2008: """国务院办公厅关于2008年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
根据《国务院关于修改〈全国年节及纪念日放假办法〉的决定》，为便于各地区、各部门及早合理安排节假日旅游、交通运输、生产经营等有关工作，经国务院批准，现将2008年元旦、春节、清明节、“五一”、端午节、中秋节和国庆节放假调休日期的具体安排通知如下：
一、元旦：2007年12月30日—2008年1月1日放假，共3天。其中，1月1日（星期二）为法定节假日，12月30日（星期日）为正常公休日，12月29日（星期六）公休日调至12月31日（星期一），12月29日（星期六）上班。
二、春节：2月6日—12日（农历除夕至正月初六）放假，共7天。其中，2月6日（除夕）、2月7日（春节）、2月8日（正月初二）为法定节假日，2月9日（星期六）、2月10日（星期日）照常公休，2月2日（星期六）、2月3日（星期日）两个公休日调至2月11日（星期一）、2月12日（星期二），2月2日（星期六）、2月3日（星期日）上班。
三、清明节：4月4日—6日放假，共3天。其中，4月4日（清明节）为法定节假日，4月5日（星期六）、4月6日（星期日）照常公休。
四、“五一”：5月1日—3日放假，共3天。其中，5月1日（星期四）为法定节假日，5月2日（星期五）为公休日，5月3日（星期六）照常公休；5月4日（星期日）公休日调至5月2日（星期五），5月4日（星期日）上班。
五、端午节：6月7日—9日放假，共3天。其中，6月8日（端午节）为法定节假日，6月7日（星期六）照常公休，6月8日（星期日）公休日调至6月9日（星期一）。
六、中秋节：9月13日—15日放假，共3天。其中，9月14日（中秋节）为法定节假日，9月13日（星期六）照常公休，9月14日（星期日）公休日调至9月15日（星期一）。
七、国庆节：9月29日—10月5日放假，共7天。其中，10月1日、2日、3日为法定节假日，9月29日（星期一）、9月30日（星期二）与9月27日（星期六）、9月28日（星期日）两个公休日对调，10月4日（星期六）、10月5日（星期日）照常公休；9月27日（星期六）、9月28日（星期日）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件发生，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
二〇〇七年十二月十四日""",
    2015: _notice(
        2015,
        """
一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。
二、春节：2月18日至24日放假调休，共7天。2月15日（星期日）、2月28日（星期六）上班。
三、清明节：4月5日放假，4月6日（星期一）补休。
四、劳动节：5月1日放假，与周末连休。
五、端午节：6月20日放假，6月22日（星期一）补休。
六、中秋节：9月27日放假。
七、国庆节：10月1日至7日放假调休，共7天。10月10日（星期六）上班。
""",
        "2014年12月16日",
    ),
    2020: _notice(
        2020,
        """
一、元旦：2020年1月1日放假，共1天。
二、春节：1月24日至30日放假调休，共7天。1月19日（星期日）、2月1日（星期六）上班。
三、清明节：4月4日至6日放假，共3天。
四、劳动节：5月1日至5日放假调休，共5天。4月26日（星期日）、5月9日（星期六）上班。
五、端午节：6月25日至27日放假调休，共3天。6月28日（星期日）上班。
六、国庆节、中秋节：10月1日至8日放假调休，共8天。9月27日（星期日）、10月10日（星期六）上班。
""",
        "2019年11月21日",
    ),
    2023: _notice(
        2023,
        """
一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
三、清明节：4月5日放假，共1天。
四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。
五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。
六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。
""",
        "2022年12月8日",
    ),
    2024: _notice(
        2024,
        """
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
""",
        "2023年10月25日",
    ),
    # The first notice under the 2024 revision (春节 and 劳动节 one day longer, 除夕 a holiday).
    2025: _notice(
        2025,
        """
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
""",
        "2024年11月12日",
    ),
    2026: _notice(
        2026,
        """
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
""",
    ),
}

#: Days where chinese-calendar follows a later notice that changed the yearly one.
LATER_NOTICES: dict[int, dict[date, str]] = {
    # 国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知 (2015-05-13):
    # 9月3日至5日调休放假, 9月6日(星期日)上班.
    2015: {
        date(2015, 9, 3): "抗战胜利70周年纪念日",
        date(2015, 9, 4): "抗战胜利70周年纪念日调休",
        date(2015, 9, 6): "抗战胜利70周年纪念日调休上班",
    },
    # 国务院办公厅关于延长2020年春节假期的通知 (2020-01-27): 春节 extended to 2月2日, so the
    # make-up Saturday 2月1日 and Friday 1月31日 became rest days.
    2020: {
        date(2020, 1, 31): "春节假期延长",
        date(2020, 2, 1): "春节假期延长(原调休上班日)",
    },
}


def _is_workday(notice_rest: set[date], notice_work: set[date], d: date) -> bool:
    if d in notice_work:
        return True
    if d in notice_rest:
        return False
    return d.weekday() < 5


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_official_notice_matches_chinese_calendar_day_by_day(year: int) -> None:
    n = parse_notice(NOTICES[year])
    assert n.year == year
    rest, work = n.rest_days(), n.work_days()
    differ = set()
    d = date(year, 1, 1)
    while d.year == year:
        if _is_workday(rest, work, d) != chinese_calendar.is_workday(d):
            differ.add(d)
        d += timedelta(days=1)
    assert differ == set(LATER_NOTICES.get(year, {}))
    # days placed in the previous year (元旦 spans, make-up days) agree too
    for e in n.entries:
        if e.day.year != year:
            assert e.day.year == year - 1
            assert chinese_calendar.is_workday(e.day) == (not e.rest), e


def test_entries_have_names_and_source() -> None:
    n = parse_notice(NOTICES[2026])
    by_day = {e.day: e for e in n.entries}
    assert all(e.source == "notice" for e in n.entries)
    assert by_day[date(2026, 2, 15)].name == "春节"
    assert by_day[date(2026, 2, 14)].name == "春节调休上班"
    assert not by_day[date(2026, 2, 14)].rest
    assert [h.name for h in n.holidays] == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    assert n.title == "国务院办公厅关于2026年部分节假日安排的通知"


def test_merged_sections_and_quoted_heading() -> None:
    assert parse_notice(NOTICES[2023]).holidays[-1].name == "中秋节、国庆节"
    assert parse_notice(NOTICES[2025]).holidays[-1].name == "国庆节、中秋节"
    n2008 = parse_notice(NOTICES[2008])
    assert n2008.holidays[3].name == "劳动节"  # 四、“五一”
    assert n2008.holidays[3].work_days == (date(2008, 5, 4),)


def test_cross_year_days_are_placed_in_the_previous_year() -> None:
    n2008 = parse_notice(NOTICES[2008])
    assert n2008.holidays[0].rest_days == (date(2007, 12, 30), date(2007, 12, 31), date(2008, 1, 1))
    assert n2008.holidays[0].work_days == (date(2007, 12, 29),)
    assert parse_notice(NOTICES[2023]).holidays[0].rest_days[0] == date(2022, 12, 31)
    # 2012: the make-up Saturday is in 2011, with its year written out
    n2012 = parse_notice(
        "国务院办公厅关于2012年部分节假日安排的通知\n"
        "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。"
    )
    assert n2012.holidays[0].work_days == (date(2011, 12, 31),)
    # 2007 style: a December make-up day without a year is the one nearest the holiday
    n2007 = parse_notice(
        "国务院办公厅关于2007年部分节假日安排的通知\n"
        "一、元旦：1月1日—3日放假，共3天。其中，1月1日为法定节假日，12月30日（星期六）、12月31日（星期日）"
        "两个公休日调至1月2日（星期二）、1月3日（星期三），12月30日（星期六）、12月31日（星期日）上班。"
    )
    assert n2007.holidays[0].work_days == (date(2006, 12, 30), date(2006, 12, 31))
    assert all(chinese_calendar.is_workday(d) for d in n2007.holidays[0].work_days)


def test_advisory_sentence_is_not_a_rest_day() -> None:
    n = parse_notice(NOTICES[2024])
    assert date(2024, 2, 9) not in n.rest_days()  # 鼓励…安排职工在除夕(2月9日)休息


def test_issue_date_is_read() -> None:
    assert parse_notice(NOTICES[2024]).issued == date(2023, 10, 25)
    assert parse_notice(NOTICES[2026]).issued is None


def test_traditional_characters() -> None:
    text = """國務院辦公廳關於2024年部分節假日安排的通知
一、元旦：1月1日放假，與週末連休。
二、春節：2月10日至17日放假調休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓勵各單位結合帶薪年休假等制度落實，安排職工在除夕（2月9日）休息。
三、清明節：4月4日至6日放假調休，共3天。4月7日（星期日）上班。
四、勞動節：5月1日至5日放假調休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午節：6月10日放假，與週末連休。
六、中秋節：9月15日至17日放假調休，共3天。9月14日（星期六）上班。
七、國慶節：10月1日至7日放假調休，共7天。9月29日（星期日）、10月12日（星期六）上班。"""
    n = parse_notice(text)
    assert n.entries == parse_notice(NOTICES[2024]).entries


def test_half_width_punctuation_and_full_width_digits() -> None:
    half = NOTICES[2025].translate(str.maketrans("，。：（）；", ",.:();"))
    assert parse_notice(half).entries == parse_notice(NOTICES[2025]).entries
    wide = NOTICES[2025].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_notice(wide).entries == parse_notice(NOTICES[2025]).entries
    # commas between make-up days, a tilde range, spaces
    n = parse_notice(
        "关于2026年部分节假日安排的通知\n七、国庆节: 10月1日 ~ 7日放假调休,共7天. 9月20日(周日),10月10日(周六)上班."
    )
    assert n.work_days() == {date(2026, 9, 20), date(2026, 10, 10)}
    assert len(n.rest_days()) == 7


def test_body_on_following_lines() -> None:
    n = parse_notice(
        "关于2026年部分节假日安排的通知\n四、劳动节：\n5月1日（周五）至5日（周二）放假调休，共5天。\n5月9日（周六）上班。"
    )
    assert n.work_days() == {date(2026, 5, 9)}


def test_unplaceable_line_is_quoted() -> None:
    text = NOTICES[2026].replace("5月9日（周六）上班。", "5月9日（周六）另行安排。")
    with pytest.raises(NoticeError) as ei:
        parse_notice(text)
    assert "5月9日（周六）另行安排" in str(ei.value)
    assert ei.value.line_no is not None


def test_date_outside_any_section_is_quoted() -> None:
    text = "国务院办公厅关于2026年部分节假日安排的通知\n请于12月1日前报送值班表。\n一、元旦：1月1日放假。"
    with pytest.raises(NoticeError, match="请于12月1日前报送值班表"):
        parse_notice(text)


def test_wrong_weekday_is_rejected() -> None:
    text = NOTICES[2026].replace("5月9日（周六）上班", "5月9日（周日）上班")
    with pytest.raises(NoticeError) as ei:
        parse_notice(text)
    msg = str(ei.value)
    assert "周日" in msg and "星期六" in msg and "5月9日（周日）上班" in msg


def test_wrong_lunar_annotation_is_rejected() -> None:
    text = NOTICES[2026].replace("农历腊月二十八", "农历腊月十八")
    with pytest.raises(NoticeError, match="腊月十八"):
        parse_notice(text)
    text = NOTICES[2025].replace("农历除夕、周二", "农历正月初一、周二")
    with pytest.raises(NoticeError, match="正月初一"):
        parse_notice(text)


def test_wrong_total_is_rejected() -> None:
    text = NOTICES[2026].replace("放假调休，共9天", "放假调休，共8天")
    with pytest.raises(NoticeError, match="共8天"):
        parse_notice(text)


def test_weekday_make_up_day_is_rejected() -> None:
    text = "关于2026年部分节假日安排的通知\n七、国庆节：10月1日至7日放假调休，共7天。10月9日上班。"
    with pytest.raises(NoticeError, match="本就是工作日"):
        parse_notice(text)


def test_conflicting_sections_are_rejected() -> None:
    text = "关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。\n二、春节：1月1日至2日放假。"
    with pytest.raises(NoticeError, match="已在"):
        parse_notice(text)


def test_unknown_annotation_is_rejected() -> None:
    with pytest.raises(NoticeError, match="无法识别"):
        parse_notice("关于2026年部分节假日安排的通知\n一、元旦：1月1日（待定）放假。")


def test_year_is_required_and_must_agree() -> None:
    with pytest.raises(NoticeError, match="年份"):
        parse_notice("一、元旦：1月1日放假。")
    assert parse_notice("一、元旦：1月1日放假。", year=2027).entries[0].day == date(2027, 1, 1)
    with pytest.raises(NoticeError, match="2026年"):
        parse_notice(NOTICES[2026], year=2027)


def test_no_sections() -> None:
    with pytest.raises(NoticeError, match="没有找到"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n经国务院批准，现将有关事项通知如下。")


def test_normalize() -> None:
    assert normalize("國慶節（週六）：１０月１日") == "国庆节(周六):10月1日"


def test_text_copied_with_a_web_page_header() -> None:
    header = "索 引 号：000014349/2024-00115\n发文机关：国务院办公厅\n成文日期：2024年11月12日\n"
    header += "标　　题：国务院办公厅关于2025年部分节假日安排的通知\n发布日期：2024年11月12日\n"
    n = parse_notice(header + NOTICES[2025].split("\n", 1)[1])
    assert n.title == "国务院办公厅关于2025年部分节假日安排的通知"
    assert n.issued == date(2024, 11, 12)
    assert n.entries == parse_notice(NOTICES[2025]).entries
