"""Render the holiday duty roster offscreen (PDF → PNG) and write its exports, to look at them.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_duty_print.py shots/

On the demo government (desktop.store.demo), today 2026-09-25:

* duty-roster-guoqing.pdf / .png — 2026年国庆节期间领导带班及值班安排表 (the leader and officer
  plans stored by desktop.store.duty, loaded as the 值班 page's 打印 does; a 值班电话 line),
  A4 portrait, one page;
* duty-roster-chunjie-leaders.pdf / .png — 春节 2026 with a leader plan only (no 值班员 column;
  除夕 and 初一 marked ★);
* duty-roster-2026.pdf / -N.png — every day of every 2026 holiday block (from the solver
  directly), several pages, the header on each and no day cut in two;
* duty-roster-guoqing.xlsx and duty-notice-guoqing.docx — the exports; the notice is turned
  into duty-notice-guoqing.pdf / .png by ``libreoffice --headless`` when LibreOffice is installed
  (skipped, with a message, when it is not).

PNGs come from `pdftoppm -png -r 70` (poppler-utils).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from desktop import ops

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = dt.datetime(2026, 9, 25, 9, 30)
PHONE_NOTE = "值班电话：0812-3330000（24小时）  传真：0812-3330001"


def _png(pdf: Path) -> list[Path]:
    """One PNG a page (name.png for one page, name-1.png … for more)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    stem = pdf.with_suffix("")
    if pages == 1:
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(stem)], check=True)
        return [stem.with_suffix(".png")]
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(stem)], check=True)
    return sorted(pdf.parent.glob(f"{stem.name}-*.png"))


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app
    from desktop.core.calseed import seed_calendar
    from desktop.core.clock import FixedClock
    from desktop.core.duty import LEADER, OFFICER, build_instance, duty_days, solve, year_scope
    from desktop.export.roster_doc import roster_doc
    from desktop.resources import available_profiles
    from desktop.store import duty
    from desktop.store import people as people_store
    from desktop.store.opening import open_store
    from desktop.ui import duty_print
    from desktop.ui.session import Session

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    store = open_store(None, FixedClock(NOW), operator="演示")
    ops.org.populate(store, available_profiles())
    session = Session(store, demo=True)
    profile = session.profile
    assert profile is not None and session.org is not None

    # 国庆 (leaders and officers) and 春节 (leaders only), planned and stored as the 值班 page does
    # (攀枝花 rules: the weekday holidays), then loaded back as preview_roster / export_roster do
    guoqing_scope = duty.holiday_plan_scope(store, 2026, "国庆节")
    guoqing_id = ops.duty.plan(store, profile, guoqing_scope, LEADER).value.info.id
    ops.duty.plan(store, profile, guoqing_scope, OFFICER)
    chunjie_id = ops.duty.plan(store, profile, duty.holiday_plan_scope(store, 2026, "春节"), LEADER).value.info.id
    guoqing = dataclasses.replace(duty_print.load_roster(session, guoqing_id), notes=(PHONE_NOTE,))

    # every day of every 2026 holiday block, from the solver directly: several pages
    everyone = people_store.list_people(store)
    year = year_scope(2026)
    days = duty_days(seed_calendar(), "holiday_block", year.start, year.end)
    leader, officer = (solve(build_instance(days, everyone, profile.duty, slot=slot)) for slot in (LEADER, OFFICER))
    phones = {p.id: p.phone for p in everyone}
    whole_year = roster_doc(leader, officer, year.label, phones, profile, session.org.name,
                            store.clock.today())  # fmt: skip
    docs = {
        "duty-roster-guoqing": guoqing,
        "duty-roster-chunjie-leaders": duty_print.load_roster(session, chunjie_id),
        "duty-roster-2026": whole_year,
    }
    for name, roster in docs.items():
        pdf = duty_print.write_export(roster, out / f"{name}.pdf")
        print(pdf, [str(p) for p in _png(pdf)])

    print(duty_print.write_export(guoqing, out / "duty-roster-guoqing.xlsx"))
    notice = duty_print.write_export(guoqing, out / "duty-notice-guoqing.docx")
    print(notice)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        print("LibreOffice is not installed: no picture of the .docx notice (open it in Word or WPS).")
    else:
        subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(notice)],
                       check=True, capture_output=True)  # fmt: skip
        pdf = notice.with_suffix(".pdf")
        print(pdf, [str(p) for p in _png(pdf)])
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
