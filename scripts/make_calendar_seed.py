"""Write resources/calendar/seed.tsv from chinese-calendar and the corrections (run after upgrading it).

    python scripts/make_calendar_seed.py
"""

from pathlib import Path

from desktop.core.calseed import dump_seed, seed_entries

TARGET = Path(__file__).resolve().parents[1] / "resources" / "calendar" / "seed.tsv"

if __name__ == "__main__":
    TARGET.write_text(dump_seed(seed_entries()), encoding="utf-8", newline="\n")
    print(TARGET)
