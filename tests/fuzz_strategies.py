"""Shared pieces of the bad-input fuzzers (tests/test_fuzz_*.py): the budget, the outcome checks,
a database snapshot, and generators of realistic-but-wrong values.

Budget: every fuzzer runs ``DUTYDESK_FUZZ_EXAMPLES`` examples if that is set, else its own CI
default; examples are derandomised (the same every run) unless ``DUTYDESK_FUZZ_SEED`` is set,
which makes a long run explore new ground:

    DUTYDESK_FUZZ_EXAMPLES=5000 DUTYDESK_FUZZ_SEED=7 python3 dev.py test tests/test_fuzz_importers.py tests/test_fuzz_cli.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re

from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st

from desktop.core.errors import UserError

CJK = re.compile(r"[\u4e00-\u9fff]")
ROW_REF = re.compile(r"第 ?\d+ ?行")


def budget(default: int) -> int:
    """Examples per fuzzer: ``DUTYDESK_FUZZ_EXAMPLES`` or the CI default."""
    value = os.environ.get("DUTYDESK_FUZZ_EXAMPLES", "").strip()
    return int(value) if value else default


def fuzz(default: int):
    """The fuzzers' settings: a fixed budget, derandomised (or seeded), no example database, no deadline."""
    fixed_seed = os.environ.get("DUTYDESK_FUZZ_SEED", "").strip()
    configured = settings(
        max_examples=budget(default),
        derandomize=not fixed_seed,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
    )

    def apply(test):
        test = configured(test)
        return seed(int(fixed_seed))(test) if fixed_seed else test

    return apply


def assert_user_message(exc: BaseException) -> str:
    """A refusal the user can act on: a UserError whose message is non-empty Chinese, no traceback."""
    assert isinstance(exc, UserError), f"not a UserError: {type(exc).__name__}: {exc}"
    message = str(exc)
    assert message.strip(), "empty refusal"
    assert CJK.search(message), f"refusal without Chinese: {message!r}"
    assert "Traceback" not in message
    return message


def snapshot(conn) -> str:
    """A digest of the whole database (every table, every row, the audit chain included)."""
    digest = hashlib.sha256()
    for line in conn.iterdump():
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


# ---------------------------------------------------------------- values

FOUR_BYTE = ("𠮷", "😀", "𝔸", "🀄", "𪚥", "👨‍👩‍👧")
DEMO_LEADERS = ("王建国", "李志强", "张丽华", "陈明", "刘海峰", "赵雪梅", "孙卫东", "周晓燕", "吴国栋", "郑文博")
DEMO_STAFF = ("杨帆", "朱琳", "秦川", "蒋悦", "丁宁", "范伟")
DEMO_HEADS = ("何振华", "马晓东", "罗建军", "邓辉", "袁凯")
UNKNOWN_NAMES = ("王建", "张三", "李四", "王 建国", "王建国(市长)", "Wang Jianguo", "王建国 13908120001", "无名氏")


def long_text(min_len: int = 1000) -> st.SearchStrategy[str]:
    """Very long fields (up to 10,000 characters) without making Hypothesis draw every character."""
    return st.builds(lambda piece, n: (piece * n)[: max(min_len, n)],
                     st.sampled_from(["张", "𠮷", "a", "😀", "值班 ", "1"]),
                     st.sampled_from([min_len, 5000, 10000]))


def odd_text() -> st.SearchStrategy[str]:
    """Short strange strings: empty, blanks, 4-byte characters, control characters, random text."""
    return st.one_of(
        st.sampled_from(["", " ", "\u3000", "\t", "\n", "None", "null", "0", "-1", "=1+1", "'", '"', "\\", "%s", "{}",
                         "NaN", "inf", "１２３", "　张　三　", "张\u200b三"]),
        st.sampled_from(FOUR_BYTE),
        st.text(max_size=12),
        st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=6),
    )


def person_name() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(DEMO_LEADERS + DEMO_STAFF + DEMO_HEADS),
        st.sampled_from(UNKNOWN_NAMES),
        st.sampled_from(FOUR_BYTE).map(lambda c: "张" + c),
        odd_text(),
        long_text(41),
    )


def date_text() -> st.SearchStrategy[str]:
    """ISO-looking dates, valid (around 2026) and broken."""
    valid = st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)).map(dt.date.isoformat)
    broken = st.sampled_from([
        "2026-13-40", "2026-02-30", "2026-02-29", "2028-02-29", "99999-01-01", "0000-01-01", "0001-01-01",
        "1899-12-31", "1900-01-01", "2099-12-31", "2100-01-01", "9999-12-31", "2026/10/01", "20261001",
        "2026-1-1", "26-10-01", "2026-10", "", " ", "2026-10-01T09:00", "２０２６-１０-０１", "2026-10-01pm",
        "10月1日", "-2026-10-01", "+2026-10-01", "2026-00-10", "2026-10-00", "２０２６年１０月１日",
    ])
    return st.one_of(valid, broken, odd_text())


def int_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-5, 40).map(str),
        st.sampled_from(["0", "-0", "3650", "3651", "-3651", "99999999999999999999", "-99999999999999999999",
                         str(2**63), str(2**63 - 1), str(-(2**63) - 1), "1e3", "1.5", "abc", "", " 5", "５", "0x10",
                         "1_000"]),
    )
