#!/usr/bin/env python3
"""Checks the shipped working calendar against an independent source of Vietnam's official
calendar: the `holidays` package (vacanza/holidays on PyPI, its `Vietnam` calendar with the
government's special days off). Not part of `make test`: it needs the package from PyPI.

    python3 -m venv /tmp/hvenv && /tmp/hvenv/bin/pip install holidays
    cargo run -q -p thanthien --example calendar_days -- 2020 2026 > /tmp/ours.csv
    /tmp/hvenv/bin/python bench/calendar_check.py /tmp/ours.csv [2020 2026]

A day is a working day in the reference when it is Monday to Friday and not one of its holidays,
or when it is a Saturday the reference names as worked in exchange ("thay cho ngày dd/mm/yyyy"
in the label of a substituted day off). Prints the days that agree out of all days, and every
day that disagrees with both sides' names, so each can be explained (docs/calendar.md).
"""

import csv
import re
import sys
from datetime import date, timedelta

import holidays


def reference(first: int, last: int) -> dict[date, tuple[bool, str]]:
    vn = holidays.country_holidays("VN", years=range(first - 1, last + 2), language="vi")
    worked_saturdays: set[date] = set()
    for d, name in vn.items():
        for m in re.finditer(r"(\d{2})/(\d{2})/(\d{4})", name):
            worked_saturdays.add(date(int(m[3]), int(m[2]), int(m[1])))
    out = {}
    d = date(first, 1, 1)
    while d <= date(last, 12, 31):
        if d in vn:
            out[d] = (False, vn.get(d))
        elif d in worked_saturdays:
            out[d] = (True, "làm bù (theo ngày nghỉ thay thế)")
        else:
            out[d] = (d.weekday() < 5, "")
        d += timedelta(days=1)
    return out


def ours(path: str) -> dict[date, tuple[bool, str]]:
    out = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[date.fromisoformat(row["date"])] = (row["working"] == "1", row["name"])
    return out


def main() -> int:
    path = sys.argv[1]
    first, last = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (2020, 2026)
    ref, got = reference(first, last), ours(path)
    days = sorted(d for d in ref if first <= d.year <= last)
    missing = [d for d in days if d not in got]
    if missing:
        print(f"our output lacks {len(missing)} days, e.g. {missing[0]}")
        return 2
    disagree = [d for d in days if ref[d][0] != got[d][0]]
    print(f"holidays {holidays.__version__}: {len(days) - len(disagree)} / {len(days)} days agree "
          f"({first}–{last}); {len(disagree)} disagree")
    for d in disagree:
        r, o = ref[d], got[d]
        print(f"  {d} {d.strftime('%a')}: reference {'working' if r[0] else 'off'} ({r[1]}), "
              f"ours {'working' if o[0] else 'off'} ({o[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
