"""The store's row mapping (desktop/store/absences._row, _load): every stored field comes back as the
record the constructor would build, whatever the fast path does."""

from __future__ import annotations

import dataclasses
import datetime as dt

from desktop import ops
from desktop.core.absence import Absence, AbsenceState, Half
from desktop.core.people import PersonDraft
from desktop.core.roles import AbsenceKind, Role
from desktop.store import absences, people


def _reference(row: tuple, acting: tuple[int, ...]) -> Absence:
    """The mapping as it was before the fast path: Enum(value), fromisoformat, the constructor."""
    (rid, pid, kind, start, sh, end, eh, dest, reason, leaves, reported, urgent, contact, state, ret, reth,
     note, oend, oeh, version) = row

    def d(text):
        return dt.date.fromisoformat(text) if text else None

    return Absence(
        id=rid, person_id=pid, kind=AbsenceKind(kind), start=d(start), start_half=Half(sh), end=d(end),
        end_half=Half(eh), destination=dest, reason=reason, leaves_jurisdiction=bool(leaves),
        reported_at=dt.datetime.fromisoformat(reported) if reported else None, urgent=bool(urgent),
        acting_ids=acting, contact=contact, state=AbsenceState(state), actual_return=d(ret),
        actual_return_half=Half(reth), state_note=note, original_end=d(oend),
        original_end_half=Half(oeh) if oeh else None, version=version,
    )


def test_rows_come_back_as_the_constructor_builds_them(store):
    pid = ops.people.add_person(store, PersonDraft(name="张副", role=Role.deputy)).value.id
    other = ops.people.add_person(store, PersonDraft(name="周副", role=Role.deputy)).value.id
    base = Absence(id=None, person_id=pid, kind=AbsenceKind.trip, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 3),
                   destination="北京", reason="会议", reported_at=dt.datetime(2026, 11, 1, 9, 30))  # fmt: skip
    variants = [
        base,
        dataclasses.replace(base, start_half=Half.pm, end_half=Half.am, acting_ids=(other,), urgent=True,
                            leaves_jurisdiction=True, contact="138", reported_at=None),
        dataclasses.replace(base, kind=AbsenceKind.sick, destination="", reason=""),
    ]
    for i, v in enumerate(variants):
        start = dt.date(2026, 11, 2) + dt.timedelta(days=10 * i)
        with store.atomic():
            absences.insert_absence(store, dataclasses.replace(v, start=start, end=start + dt.timedelta(days=1)))
    # A returned, extended record: actual return, its half, the original end and its half.
    with store.atomic():
        rid = absences.insert_absence(store, dataclasses.replace(base, start=dt.date(2026, 12, 1),
                                                                 end=dt.date(2026, 12, 2)))  # fmt: skip
        stored = absences.get_absence(store, rid)
        absences.update_absence(store, dataclasses.replace(
            stored, state=AbsenceState.returned, end=dt.date(2026, 12, 4), end_half=Half.am,
            original_end=dt.date(2026, 12, 2), original_end_half=Half.full, actual_return=dt.date(2026, 12, 3),
            actual_return_half=Half.am, state_note="提前返回"), stored.version)  # fmt: skip
    rows = store.conn.execute(f"SELECT {absences._COLUMNS} FROM absence ORDER BY id").fetchall()
    loaded = absences.list_absences(store, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert len(loaded) == len(rows) == 4
    for record, row in zip(loaded, rows, strict=True):
        expected = _reference(row, record.acting_ids)
        assert record == expected and repr(record) == repr(expected) and hash(record) == hash(expected)
        assert [type(v) for v in vars(record).values()] == [type(v) for v in vars(expected).values()]
    last = loaded[-1]
    assert (last.actual_return, last.actual_return_half, last.original_end, last.original_end_half) == (
        dt.date(2026, 12, 3), Half.am, dt.date(2026, 12, 2), Half.full)
    assert loaded[1].acting_ids == (other,) and loaded[1].reported_at is None and loaded[0].original_end_half is None


def test_the_roster_reads_the_people_once_and_lists_them_as_the_people_store_does(store):
    ids = {}
    for name, role in [("王市长", Role.chief), ("李常务", Role.executive_deputy), ("张副", Role.deputy),
                       ("周副", Role.deputy), ("陈副", Role.deputy), ("吴副", Role.deputy), ("马局长", Role.dept_head)]:
        ids[name] = ops.people.add_person(store, PersonDraft(name=name, role=role)).value.id
    ops.people.set_ab(store, people.get_person(store, ids["周副"]), people.get_person(store, ids["张副"]))
    ops.people.set_ab(store, people.get_person(store, ids["吴副"]), people.get_person(store, ids["陈副"]))
    ops.people.set_active(store, ids["马局长"], False)
    ops.people.move(store, ids["陈副"], -3)  # ranks no longer in the order of the ids
    r = absences.roster(store, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert r.people == people.list_people(store, active_only=True)
    assert r.ab_pairs == [(a.id, b.id) for a, b in people.ab_pairs(store)]
    assert ids["马局长"] not in {p.id for p in r.people} and len(r.ab_pairs) == 2
