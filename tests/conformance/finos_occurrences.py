#!/usr/bin/env python3
"""Independent expansion of an iCalendar file, for conformance checks of src/sources/ical/.

Prints one occurrence per line as TSV, `UID<TAB>START<TAB>SUMMARY`, sorted, in the same format
as `cargo run --release --example expand -- FILE FROM TO`: START in UTC
(`2024-11-05T15:00:00Z`), a date for all-day events, wall-clock time for floating ones.
Occurrences are those overlapping [FROM - 2 days, TO + 3 days) in UTC, the span the Rust parser
keeps; STATUS:CANCELLED occurrences are left out, as the Rust parser does.

Usage: python3 tests/conformance/finos_occurrences.py FILE FROM TO
Needs: pip install recurring-ical-events icalendar   (recorded with recurring-ical-events 3.8.2,
icalendar 7.3.0)
"""

import datetime
import sys

import icalendar
import recurring_ical_events


def start_text(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def main():
    path, start, stop = sys.argv[1:4]
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    utc = datetime.timezone.utc
    span_start = datetime.datetime.combine(
        datetime.date.fromisoformat(start) - datetime.timedelta(days=2), datetime.time(), utc
    )
    span_stop = datetime.datetime.combine(
        datetime.date.fromisoformat(stop) + datetime.timedelta(days=3), datetime.time(), utc
    )
    lines = []
    for event in recurring_ical_events.of(calendar).between(span_start, span_stop):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        summary = str(event.get("SUMMARY", "")).strip()
        for ch in "\t\r\n":
            summary = summary.replace(ch, " ")
        lines.append(f"{event.get('UID', '')}\t{start_text(event['DTSTART'].dt)}\t{summary}")
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main()
