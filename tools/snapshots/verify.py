#!/usr/bin/env python3
"""Cross-checks the snapshots against the seeds with an independent reader.

Needs `pip install icalendar recurring-ical-events` (not part of the generator, which is
stdlib-only). For each seed snapshot it parses the calendar with `icalendar`, expands
recurrences with `recurring_ical_events`, reads the meetup group pages and event pages, applies
the editors' rules (local dates, page wins over calendar, cancelled removed, keyword filter,
duplicates merged by event id) in the crudest possible way, and prints which (date, link) pairs
of the seed it finds and which it does not. It is a check of the fixtures, not a model of the tool.

Usage: python3 tools/snapshots/verify.py [../shared/seeds]
"""

import json
import os
import re
import sys
import tomllib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SEEDS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "seeds")
CASES = [("2023-01-04", "476-2023-01-04.md", date(2023, 1, 4), date(2023, 2, 1)),
         ("2023-02-01", "480-2023-02-01.md", date(2023, 2, 1), date(2023, 3, 1))]
MEETUP_EV = re.compile(r"https://www\.meetup\.com/(?:[a-z]{2}-[A-Z]{2}/)?([^/]+)/events/([^/?\s\"]+)", re.I)


def key(url):
    m = MEETUP_EV.search(url)
    if m:
        return "meetup:" + m.group(2)
    return url.rstrip("/").lower()


def seed_pairs(path):
    text = open(path, encoding="utf-8").read()
    block = text.split("Rusty Events between", 1)[1].split("If you are running", 1)[0]
    pairs = set()
    cur = None
    for line in block.splitlines():
        m = re.match(r"\s*\* (\d{4}-\d{2}-\d{2})", line)
        if m and "|" in line:
            cur = m.group(1)
            continue
        if line.startswith("    * ") and cur:
            for u in re.findall(r"\]\((https?://[^)]+)\)", line):
                pairs.add((cur, key(u)))
    return pairs


def load_pages(d):
    man = json.load(open(os.path.join(d, "manifest.json"), encoding="utf-8"))
    return {r["url"]: open(os.path.join(d, r["file"]), encoding="utf-8").read() for r in man["responses"]}


def next_data(html):
    m = re.search(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(m.group(1)) if m else None


def ld(html):
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def run(name, seed, start, end):
    d = os.path.join(ROOT, "snapshots", name)
    pages = load_pages(d)
    cfg = tomllib.load(open(os.path.join(d, "sources.toml"), "rb"))
    found = {}  # key -> date

    def add(k, day, why):
        if start <= day <= end:
            found.setdefault(k, (day, why))

    # group pages
    by_group_date = {}
    for s in cfg["source"]:
        if s["kind"] != "meetup":
            continue
        apollo = next_data(pages[s["url"] + "events/"])["props"]["pageProps"]["__APOLLO_STATE__"]
        for k, v in apollo.items():
            if not k.startswith("Event:") or "eventType" not in v:
                continue
            if s.get("keywords") and not any(w in (v["title"] + v.get("description", "")).lower() for w in s["keywords"]):
                continue
            day = datetime.fromisoformat(v["dateTime"]).date()
            group = apollo[v["group"]["__ref"]]["urlname"].lower()
            by_group_date[(group, day)] = "meetup:" + v["id"]
            add("meetup:" + v["id"], day, "group page " + group)
    # calendar
    cal = icalendar.Calendar.from_ical(pages[[s for s in cfg["source"] if s["kind"] == "ical"][0]["url"]])
    for ve in recurring_ical_events.of(cal).between(start - timedelta(days=2), end + timedelta(days=3)):
        if str(ve.get("STATUS", "")) == "CANCELLED":
            continue
        desc = str(ve.get("DESCRIPTION", ""))
        hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', desc)]
        links = []
        for h in hrefs:
            m = re.match(r"https://www\.google\.com/url\?q=([^&]+)", h)
            if m:
                from urllib.parse import unquote
                h = unquote(m.group(1))
            links.append(h.split("?")[0])
        dt = ve["DTSTART"].dt
        ev_links = [l for l in links if MEETUP_EV.search(l)]
        if ev_links:
            page = pages[ev_links[0]]
            pe = next_data(page)["props"]["pageProps"]["event"]
            if any(x.get("eventStatus", "").endswith("Cancelled") for x in ld(page)):
                continue
            add(key(ev_links[0]), datetime.fromisoformat(pe["dateTime"]).date(), "calendar+event page")
            continue
        if not isinstance(dt, datetime):
            add(key(links[-1]), dt, "calendar all-day")
            continue
        if dt.tzinfo is not None and str(dt.tzinfo) not in ("UTC", "tzutc()") and ve.get("RRULE") is None and "RECURRENCE-ID" not in ve:
            pass
        group_links = [l for l in links if l.startswith("https://www.meetup.com/")]
        if group_links:
            g = group_links[0].split("/")[3].lower()
            day = dt.date()
            k = by_group_date.get((g, day), group_links[0])
            add(k, day, "calendar series " + g)
            continue
        # calendar-only organizer events: local date from an assumed zone (Europe for these)
        day = dt.astimezone(ZoneInfo("Europe/Berlin")).date() if dt.tzinfo else dt.date()
        add(key(links[-1]), day, "calendar only")
    # json-ld sources
    for s in cfg["source"]:
        if s["kind"] == "jsonld":
            for x in ld(pages[s["url"]]):
                add(key(s["url"]), date.fromisoformat(x["startDate"][:10]), "json-ld")

    want = seed_pairs(os.path.join(SEEDS, seed))
    got = {(v[0].isoformat(), k) for k, v in found.items()}
    print("== snapshots/%s vs %s: sources give %d entries (links), seed has %d" % (name, seed, len(got), len(want)))
    for p in sorted(want - got):
        print("  seed only:    ", p)
    for p in sorted(got - want):
        print("  sources only: ", p, found[p[1]][1])


if __name__ == "__main__":
    if not os.path.isdir(SEEDS):
        print("no seeds folder at %s; nothing to check" % SEEDS)
        sys.exit(0)
    for c in CASES:
        run(*c)
