#!/usr/bin/env python3
"""Generates the iCal benchmark's calendars (BENCHMARKS.md, "Speed"), deterministic (seeded):

  gen_ical.py big OUT.ics      20,000 VEVENTs: 3,000 recurring series spread over 2016-2026
                               (weekly, biweekly, monthly by weekday, daily with COUNT, some
                               with UNTIL), in four zones, with EXDATEs on a third of them and
                               2,000 overrides (RECURRENCE-ID: moved, renamed or cancelled
                               instances), plus 15,000 one-off events over the ten years
  gen_ical.py age YEAR OUT.ics 200 daily series started on 2 January YEAR at 19:00 Berlin time

Google-style: CRLF, UTC DTSTAMP, TZID parameters naming IANA zones (no VTIMEZONE, as the
Rust Community Calendar's export).
"""
import random
import sys
from datetime import date, datetime, timedelta

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def local(dt):
    return dt.strftime("%Y%m%dT%H%M%S")


def header():
    return ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
            "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Bench", "X-WR-TIMEZONE:UTC"]


def event(uid, zone, start, minutes, summary, extra=()):
    end = start + timedelta(minutes=minutes)
    return (["BEGIN:VEVENT", f"DTSTART;TZID={zone}:{local(start)}", f"DTEND;TZID={zone}:{local(end)}"]
            + list(extra)
            + ["DTSTAMP:20260101T000000Z", f"UID:{uid}", f"SUMMARY:{summary}", "STATUS:CONFIRMED",
               "END:VEVENT"])


def big(out):
    rng = random.Random(20000)
    lines = header()
    count = 0
    for s in range(3000):
        zone = ZONES[s % len(ZONES)]
        first = datetime(2016, 1, 4, rng.choice([10, 12, 18, 19])) + timedelta(days=rng.randint(0, 3400))
        kind = s % 5
        if kind == 0:
            rule, step = f"FREQ=WEEKLY;BYDAY={DAYS[first.weekday()]}", timedelta(weeks=1)
        elif kind == 1:
            rule, step = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={DAYS[first.weekday()]}", timedelta(weeks=2)
        elif kind == 2:
            nth = min((first.day - 1) // 7 + 1, 4)
            rule, step = f"FREQ=MONTHLY;BYDAY={nth}{DAYS[first.weekday()]}", None
        elif kind == 3:
            rule, step = f"FREQ=DAILY;COUNT={rng.randint(3, 400)}", timedelta(days=1)
        else:
            rule, step = "FREQ=WEEKLY", timedelta(weeks=1)
        if s % 7 == 0 and kind != 3:
            until = first + timedelta(days=rng.randint(60, 2000))
            rule += f";UNTIL={until.strftime('%Y%m%dT%H%M%SZ')}"
        extra = [f"RRULE:{rule}"]
        if s % 3 == 0 and step is not None:
            for k in rng.sample(range(1, 60), 3):
                extra.append(f"EXDATE;TZID={zone}:{local(first + step * k)}")
        uid = f"series{s:05d}@bench"
        lines += event(uid, zone, first, 90, f"Series {s} meetup", extra)
        count += 1
        # Overrides of instances of weekly-type series (2,000 in all).
        if step is not None and count <= 3000 + 2000 and s % 3 != 0:
            for k in rng.sample(range(1, 60), 2 if s % 2 else 1):
                if count >= 5000:
                    break
                orig = first + step * k
                moved = orig + timedelta(hours=rng.choice([1, 2, 24]))
                status = ["STATUS:CANCELLED"] if k % 5 == 0 else []
                ov = event(uid, zone, moved, 90, f"Series {s} meetup (moved)",
                           [f"RECURRENCE-ID;TZID={zone}:{local(orig)}"])
                if status:
                    ov = [l for l in ov if not l.startswith("STATUS:")]
                    ov.insert(-1, status[0])
                lines += ov
                count += 1
    while count < 20000:
        zone = ZONES[count % len(ZONES)]
        start = datetime(2016, 1, 1, rng.choice([9, 17, 18, 19])) + timedelta(days=rng.randint(0, 3700))
        lines += event(f"once{count:05d}@bench", zone, start, 120, f"One-off {count}")
        count += 1
    lines.append("END:VCALENDAR")
    with open(out, "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    print(f"{out}: {count} VEVENTs", file=sys.stderr)


def age(year, out):
    lines = header()
    for i in range(200):
        start = datetime(year, 1, 2, 19, 0)
        lines += event(f"daily{i:03d}@bench", "Europe/Berlin", start, 60, f"Daily {i}", ["RRULE:FREQ=DAILY"])
    lines.append("END:VCALENDAR")
    with open(out, "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


if __name__ == "__main__":
    if sys.argv[1] == "big":
        big(sys.argv[2])
    else:
        age(int(sys.argv[2]), sys.argv[3])
