"""保密标注“内部资料 注意保存”:规则设置决定默认,导出窗口和命令行可改;xlsx 页眉、PDF/打印左上角、docx 页眉,CSV/ICS 不加。"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from test_printouts import needs_poppler, pdf_text, squeezed

from desktop import ops
from desktop.cli import main
from desktop.core.profile import PROFILE_IDS, ProfileError, load_profile, parse_profile
from desktop.export.marking import mark_html, resolve_mark
from desktop.resources import profiles_dir
from desktop.store import duty
from desktop.store.org import get_org
from desktop.ui import qt_export as exporter

MARK = "内部资料 注意保存"
#: Each government's 保密纪律 article (“…要严格遵守保密纪律…严禁泄露国家秘密、工作秘密”).
ARTICLES = {"panzhihua": "000 art.82", "rizhao": "001 art.35", "xiping": "002 art.57", "turpan": "003 art.59",
            "wujiagang": "004 art.71", "generic": "001 art.35"}


@pytest.mark.parametrize("profile_id", PROFILE_IDS)
def test_every_profile_marks_exports_citing_its_secrecy_article(profile_id):
    profile = load_profile(profiles_dir() / f"{profile_id}.toml")
    assert (profile.export.confidential_mark, profile.export.mark_text) == (True, MARK)
    assert profile.export.article == ARTICLES[profile_id]


def test_seeds_hold_the_cited_secrecy_articles():
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the checkout")
    for prefix in {a.split()[0] for a in ARTICLES.values()}:
        text = next(seeds.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
        assert "保密" in text and ("保密纪律" in text or "保密紀律" in text)


def _data(**export):
    data = tomllib.loads((profiles_dir() / "panzhihua.toml").read_text(encoding="utf-8"))
    data["export"] = export
    return data


def test_export_section_is_validated_strictly():
    assert parse_profile(_data(confidential_mark=False), "x.toml").export.mark == ""
    assert parse_profile(_data(confidential_mark=True, mark_text="内部资料"), "x.toml").export.mark == "内部资料"
    with pytest.raises(ProfileError, match=r"x\.toml.*export\.colour.*未知的键"):
        parse_profile(_data(confidential_mark=True, colour="red"), "x.toml")
    with pytest.raises(ProfileError, match=r"x\.toml.*export\.confidential_mark"):
        parse_profile(_data(confidential_mark="yes"), "x.toml")
    with pytest.raises(ProfileError, match=r"export\.mark_text"):
        parse_profile(_data(confidential_mark=True, mark_text="很" * 30), "x.toml")
    with pytest.raises(ProfileError, match=r"export\.confidential_mark"):
        parse_profile(_data(mark_text="内部资料"), "x.toml")  # the switch itself is required
    with pytest.raises(ProfileError, match=r"export\.article"):
        parse_profile(_data(confidential_mark=True, article="第82条"), "x.toml")


def test_resolve_and_html_placement():
    profile = load_profile(profiles_dir() / "panzhihua.toml")
    assert (resolve_mark(profile), resolve_mark(profile, False), resolve_mark(profile, True)) == (MARK, "", MARK)
    html = mark_html("<html><head></head><body><p>标题</p></body></html>", MARK)
    assert html.index(MARK) < html.index("标题") and 'align="left"' in html
    assert mark_html("<html><body>x</body></html>", "") == "<html><body>x</body></html>"


@pytest.fixture
def gov(demo_store):
    profile = load_profile(profiles_dir() / "panzhihua.toml")
    ops.duty.plan(demo_store, profile, duty.holiday_plan_scope(demo_store, 2026, "国庆节"))
    return demo_store, profile, get_org(demo_store).name


def _export(gov, what, fmt, path, **kw):
    store, profile, org = gov
    return exporter.export(store, profile, what, fmt, path, org_name=org, **kw).path


def _xlsx_header(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    return ws.oddHeader.left.text


def test_xlsx_exports_carry_the_mark_in_the_page_header(gov, tmp_path):
    assert _xlsx_header(_export(gov, "weekly", "xlsx", tmp_path / "w.xlsx")) == MARK
    assert _xlsx_header(_export(gov, "absences", "xlsx", tmp_path / "a.xlsx")) == MARK
    assert _xlsx_header(_export(gov, "duty", "xlsx", tmp_path / "d.xlsx", start=None)) == MARK
    assert _xlsx_header(_export(gov, "weekly", "xlsx", tmp_path / "off.xlsx", mark=False)) is None


def test_docx_notice_carries_the_mark_in_the_header(gov, tmp_path):
    doc = Document(str(_export(gov, "duty", "docx", tmp_path / "n.docx")))
    assert doc.sections[0].header.paragraphs[0].text == MARK
    off = Document(str(_export(gov, "duty", "docx", tmp_path / "off.docx", mark=False)))
    assert MARK not in "".join(p.text for p in off.sections[0].header.paragraphs)


def test_csv_has_no_mark(gov, tmp_path):
    data = _export(gov, "weekly", "csv", tmp_path / "w.csv").read_bytes().decode("utf-8-sig")
    assert MARK not in data


@needs_poppler
def test_pdf_exports_print_the_mark_top_left(qapp, gov, tmp_path, shots):
    weekly = _export(gov, "weekly", "pdf", tmp_path / "w.pdf")
    roster = _export(gov, "duty", "pdf", tmp_path / "d.pdf")
    for path in (weekly, roster):
        first = next(line for line in pdf_text(path).splitlines() if line.strip())
        assert squeezed(first) == squeezed(MARK)  # the first line, at the left margin
        assert not first.startswith(" " * 10)
    assert squeezed(MARK) not in squeezed(pdf_text(_export(gov, "weekly", "pdf", tmp_path / "o.pdf", mark=False)))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(roster), str(shots / "marked_roster")],
                   check=True)


def test_print_previews_use_the_profile_default(session, monkeypatch):
    from desktop.ui import duty_print, printing

    profile = session.profile
    info = ops.duty.plan(session.store, profile, duty.holiday_plan_scope(session.store, 2026, "国庆节")).value.info
    assert MARK in duty_print.load_roster(session, info.id).html()
    shown = []
    monkeypatch.setattr(printing, "preview_html", lambda html, **kw: shown.append(html() if callable(html) else html))
    printing.preview_weekly(session, session.store.clock.today())
    assert MARK in shown[0] and shown[0].index(MARK) < shown[0].index("一周领导在岗情况表")


def test_cli_mark_and_no_mark(gov, db_path, clock, capsys, tmp_path):
    assert gov  # the demo government with a duty plan, in db_path
    off, on = tmp_path / "off.xlsx", tmp_path / "on.xlsx"
    assert main(["export", "absences", "--format", "xlsx", "-o", str(off), "--no-mark", "--db", str(db_path)],
                clock=clock) == 0
    assert main(["export", "absences", "--format", "xlsx", "-o", str(on), "--mark", "--db", str(db_path)],
                clock=clock) == 0
    assert (_xlsx_header(off), _xlsx_header(on)) == (None, MARK)
    assert main(["export", "absences", "--format", "xlsx", "-o", str(off), "--mark", "--no-mark",
                 "--db", str(db_path)], clock=clock) == 2
    capsys.readouterr()


def test_export_dialog_checkbox_defaults_from_the_profile_and_overrides(qtbot, session, tmp_path):
    from desktop.ui.export_dialog import ExportDialog

    dialog = ExportDialog(session, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.mark.text() == "标注“内部资料 注意保存”" and dialog.mark.isChecked() and dialog.mark.isEnabled()
    dialog.set_what("absences")
    dialog.set_format("csv")
    assert not dialog.mark.isEnabled()
    dialog.set_format("xlsx")
    assert dialog.mark.isEnabled()
    dialog.mark.setChecked(False)
    dialog.path.setText(str(tmp_path / "无标注.xlsx"))
    result = dialog.run_export()
    assert result is not None and _xlsx_header(result.path) is None
    dialog.mark.setChecked(True)
    dialog.path.setText(str(tmp_path / "有标注.xlsx"))
    assert _xlsx_header(dialog.run_export().path) == MARK
