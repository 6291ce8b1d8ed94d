#!/usr/bin/env python3
"""Builds `snapshots/2026-09-16/`: the sources as they are served in 2026 (../shared/formats.md §5).

Window the tests use: 2026-09-16 - 2026-10-14; recorded_at 2026-09-16T09:00:00+00:00.

What it holds (the README's "2026-09-16" section has the table of cases and URLs):
* the Rust Community Calendar (Google conventions, helpers shared with build.py);
* two luma calendars (`kind = "luma"`): rust-girona (page + ICS with the whole history + event
  pages) and rustmelbourne (page fine, ICS answering 500: the page's event list is the fallback);
* meetup groups in the 2026 Apollo form (ROOT_QUERY -> groupByUrlname, `events({...})`
  connections with the past tab, status ACTIVE/PAST/CANCELLED, eventType incl. HYBRID), one with
  `hasNextPage`, one whose page is unreadable (its group iCal feed and event pages recorded), one
  answering 404, one renamed (recorded with `redirected_to`);
* `tests/fixtures/luma/`: the rust-girona ICS recorded twice a minute apart (DTSTAMP/SEQUENCE churn).

Run from anywhere:  python3 tools/snapshots/build_2026.py   (rewrites, then checks)
                    python3 tools/snapshots/build_2026.py --check   (only checks)
Python 3.11 standard library only; `icalendar`, when installed, is used by --check as well.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build as B  # noqa: E402  (Google Calendar helpers: folding, VTIMEZONE, UIDs, escaping)

ROOT = B.ROOT
DIR_NAME = "2026-09-16"
OUT = os.path.join(ROOT, "snapshots", DIR_NAME)
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "luma")
REC = datetime(2026, 9, 16, 9, 0, tzinfo=timezone.utc)
UTC = timezone.utc

HTML_CT = "text/html; charset=utf-8"
ICS_CT = "text/calendar; charset=UTF-8"
LUMA_ICS_CT = "text/calendar; charset=utf-8"

# --------------------------------------------------------------------------------------------
# Data: meetup groups, venues, events
# --------------------------------------------------------------------------------------------


@dataclass
class Group:
    urlname: str
    id: str
    name: str
    city: str
    state: str
    country: str  # lower case, as meetup serves it
    tz: str
    lat: float
    lon: float
    home: str | None = None  # sources.toml `home`, where the group's city is not enough


GROUPS = {g.urlname: g for g in [
    Group("rust-berlin", "19226312", "Rust Berlin", "Berlin", "", "de", "Europe/Berlin", 52.52, 13.4),
    Group("vancouver-rust", "28591345", "Vancouver Rust", "Vancouver", "BC", "ca", "America/Vancouver", 49.28, -123.12),
    Group("rust-paris", "18347413", "Rust Paris", "Paris", "", "fr", "Europe/Paris", 48.86, 2.34),
    Group("women-in-rust", "35870621", "Women in Rust", "London", "EC1V", "gb", "Europe/London", 51.53, -0.1),
    Group("dallasrust", "21958613", "Dallas Rust User Meetup", "Dallas", "TX", "us", "America/Chicago", 32.78, -96.8),
    # the page of this one is unreadable: its city is known to the tool only from `home`
    Group("rust-manchester", "33402857", "Rust Manchester", "Manchester", "M1", "gb", "Europe/London", 53.48, -2.24,
          home="Manchester, UK"),
    # renamed: sources.toml (and the newsletter's list) still say join-srug
    Group("seattle-rust-user-group", "18994321", "Seattle Rust User Group", "Seattle", "WA", "us", "America/Los_Angeles",
          47.61, -122.33),
    # silent: still a group, but its last event was in 2023 (no upcoming event)
    Group("rust-roma", "26102547", "Rust Roma", "Roma", "", "it", "Europe/Rome", 41.89, 12.49),
    # not a source: reaches the tool only through the community calendar
    Group("rust-dublin", "26213384", "Rust Dublin", "Dublin", "", "ie", "Europe/Dublin", 53.35, -6.26),
]}
RENAMED_FROM = "join-srug"
RENAMED_TO = "seattle-rust-user-group"
UNREADABLE = "rust-manchester"
GONE = "belgrade-rust-meetup-group"  # in the newsletter's list, last in a section in 2021: 404 now
NEXT_PAGE = "dallasrust"
SILENT = "rust-roma"
NOT_SOURCES = ("rust-dublin",)

# key -> id, name, address, city, state, country (2026: no lat/lon on venues)
VENUES = {
    "online": ("26906060", "Online event", "", "", "", ""),
    "berlin": ("27914410", "Zalando SE", "Valeska-Gert-Straße 5", "Berlin", "", "de"),
    "paris": ("27634018", "Theodo", "48 Boulevard des Batignolles", "Paris", "", "fr"),
    "paris2": ("28120554", "Scaleway", "8 Rue de la Ville-l'Évêque", "Paris", "", "fr"),
    "vancouver": ("27550371", "Vancouver Public Library, Central Branch", "350 W Georgia St", "Vancouver", "BC", "ca"),
    "seattle": ("28433190", "Pioneer Square Labs", "1416 1st Ave", "Seattle", "WA", "us"),
    "manchester": ("27965118", "Auto Trader", "1 Tony Wilson Place", "Manchester", "M15 4", "gb"),
    "manchester2": ("28211047", "Manchester Digital", "127 Portland St", "Manchester", "M1 4", "gb"),
    "dallas": ("28310445", "The DEC at Fair Park", "1300 Robert B Cullum Blvd", "Dallas", "TX", "us"),
    "dublin": ("27770216", "Workday", "Kings Building, May Lane", "Dublin", "", "ie"),
    "roma": ("26718830", "Talent Garden Roma Ostiense", "Via Ostiense 92", "Roma", "", "it"),
}
COUNTRY = {"de": "Germany", "fr": "France", "gb": "UK", "us": "USA", "ca": "Canada", "ie": "Ireland"}
POSTCODE = {"berlin": "10243", "paris": "75017", "paris2": "75008", "vancouver": "V6B 6B1", "seattle": "98101",
            "manchester": "M15 4FN", "manchester2": "M1 4PZ", "dallas": "75210", "dublin": "D07 W2CA", "roma": "00154"}


@dataclass
class Ev:
    group: str
    id: str
    title: str
    start: str  # local "YYYY-MM-DD HH:MM" in the group's zone
    minutes: int
    venue: str
    kind: str = "PHYSICAL"  # PHYSICAL | ONLINE | HYBRID
    status: str = "ACTIVE"  # ACTIVE | CANCELLED (PAST is derived from the date)
    desc: str = ""
    cal: str | None = None  # how the community calendar links it: a | wrap | None (not on the calendar)
    cal_loc: str | None = None  # LOCATION on the calendar (None: from the venue)
    cal_summary: str | None = None


EVENTS: list[Ev] = []


def ev(*a, **k):
    EVENTS.append(Ev(*a, **k))


HL = "Rust Hack and Learn is a mentored coding evening for anyone interested in Rust, from first steps to compiler hacking. We meet online."
# Rust Berlin: biweekly online Hack and Learn (also a calendar series), one talk night
ev("rust-berlin", "316151073", "Rust Summer Party!", "2026-08-20 19:00", 180, "berlin", desc="Drinks, snacks and lightning talks in the garden.", cal="a")
ev("rust-berlin", "313345334", "Rust Hack and Learn", "2026-08-27 19:00", 120, "online", "ONLINE", desc=HL)
ev("rust-berlin", "315691423", "Rust Hack and Learn", "2026-09-10 19:00", 120, "online", "ONLINE", desc=HL)
ev("rust-berlin", "316290417", "Rust Hack and Learn", "2026-09-24 19:00", 120, "online", "ONLINE", desc=HL)
ev("rust-berlin", "316312958", "Rust and Tell - October 2026", "2026-10-01 19:00", 180, "berlin",
   desc="Three short talks about what people build with Rust, then drinks. Talks: embassy on a plant monitor; a tour of cargo-semver-checks; writing a tiny database.",
   cal="wrap", cal_summary="Rust Berlin: Rust and Tell - October 2026")
ev("rust-berlin", "316290421", "Rust Hack and Learn", "2026-10-08 19:00", 120, "online", "ONLINE", desc=HL)
ev("rust-berlin", "316290425", "Rust Hack and Learn", "2026-10-22 19:00", 120, "online", "ONLINE", desc=HL)
# Vancouver: hybrid, third Wednesday (also a calendar series)
VAN = "Study, hack or hang out with Vancouver Rust, at the library or on the stream."
ev("vancouver-rust", "314105333", "Dealing with Dependencies", "2026-08-19 18:30", 120, "vancouver", "HYBRID", desc=VAN)
ev("vancouver-rust", "314233757", "Rust Study/Hack/Hang-out", "2026-09-16 18:30", 120, "vancouver", "HYBRID", desc=VAN)
ev("vancouver-rust", "314233760", "Rust Study/Hack/Hang-out", "2026-10-21 18:30", 120, "vancouver", "HYBRID", desc=VAN)
# Rust Paris: one active, one cancelled (still listed, status CANCELLED, and still on the calendar)
ev("rust-paris", "316169040", "Rust meetup #87", "2026-09-08 19:00", 180, "paris", desc="Deux talks, des pizzas.", cal="a")
ev("rust-paris", "316402271", "Rust meetup #88", "2026-09-29 19:00", 180, "paris",
   desc="Au programme : Bevy en production ; le nouveau solveur de traits. Inscription obligatoire.", cal="a")
ev("rust-paris", "316402289", "Rust meetup #89", "2026-10-13 19:00", 180, "paris2", status="CANCELLED",
   desc="ANNULÉ - la salle n'est plus disponible, nous annoncerons une nouvelle date.", cal="a")
# Women in Rust: online
WIR = "Our fortnightly community catch up: bring what you are working on, or just say hi."
ev("women-in-rust", "315859305", "👋 Community Catch Up", "2026-09-08 18:00", 60, "online", "ONLINE", desc=WIR, cal="a", cal_loc="Online")
ev("women-in-rust", "316350812", "👋 Community Catch Up", "2026-09-22 18:00", 60, "online", "ONLINE", desc=WIR, cal="a", cal_loc="Online")
ev("women-in-rust", "316350815", "Lunch & Learn: Error handling in Rust", "2026-10-06 12:30", 60, "online", "ONLINE",
   desc="A 45-minute lunchtime session on Result, the ? operator, thiserror and anyhow.", cal="wrap", cal_loc="")
ev("women-in-rust", "316350818", "👋 Community Catch Up", "2026-10-20 18:00", 60, "online", "ONLINE", desc=WIR)
# Rust Manchester: its group page is unreadable; the group iCal feed lists these
MAN = "Talks, pizza and a pint. Doors at 18:00, talks from 18:30."
ev("rust-manchester", "315891530", "Rust Manchester August Talks", "2026-08-27 18:30", 150, "manchester", desc=MAN)
ev("rust-manchester", "316288440", "Rust Manchester September Talks", "2026-09-24 18:30", 150, "manchester", desc=MAN,
   cal="wrap", cal_summary="Rust Manchester: September Talks")
ev("rust-manchester", "316301172", "Rust Manchester Code & Coffee", "2026-10-08 18:00", 150, "manchester2",
   desc="Bring a laptop and a project, or pair with someone on theirs.")
ev("rust-manchester", "316420055", "Rust Manchester October Talks", "2026-10-29 18:30", 150, "manchester", desc=MAN)
ev("rust-manchester", "316420071", "Rust Manchester November Talks", "2026-11-26 18:30", 150, "manchester", desc=MAN)
# Seattle (renamed group)
SEA = "Monthly meetup of the Seattle Rust User Group: talks, then socializing."
ev("seattle-rust-user-group", "314520814", "August, 2026 SRUG (Seattle Rust User Group) Meetup", "2026-08-20 18:00", 180, "seattle", desc=SEA)
ev("seattle-rust-user-group", "316371190", "September, 2026 SRUG (Seattle Rust User Group) Meetup", "2026-09-17 18:00", 180, "seattle", desc=SEA,
   cal="a", cal_summary="Seattle Rust User Group: September Meetup")
ev("seattle-rust-user-group", "316371194", "October, 2026 SRUG (Seattle Rust User Group) Meetup", "2026-10-15 18:00", 180, "seattle", desc=SEA,
   cal="a", cal_summary="Seattle Rust User Group: October Meetup")
# Rust Dublin: calendar-only organizer (not a source, no [[organizer]])
ev("rust-dublin", "316355409", "Rust Dublin October Meetup", "2026-10-07 18:30", 150, "dublin",
   desc="Two talks: async Rust without the tears, and Rust at a payments company.", cal="a")
# Rust Roma: silent since 2023 (only the past tab has events)
ev("rust-roma", "289944312", "Rust Roma Meetup #7", "2022-11-24 19:00", 150, "roma", desc="Due talk su Rust, poi pizza.")
ev("rust-roma", "290812437", "Rust Roma Meetup #8", "2023-01-26 19:00", 150, "roma", desc="Due talk su Rust, poi pizza.")
ev("rust-roma", "291764920", "Rust Roma Meetup #9: async", "2023-03-23 19:00", 150, "roma", desc="Una serata su async Rust.")
# Dallas: 30 upcoming listed (hasNextPage), plus the in-person one-off the calendar stores in UTC
DAL_ONEOFF = Ev("dallasrust", "316420933", "October In-Person Meetup", "2026-10-14 19:00", 150, "dallas",
                desc="Our quarterly in-person meetup at the DEC: lightning talks and food.", cal="a",
                cal_loc="The DEC at Fair Park, 1300 Robert B Cullum Blvd, Dallas, TX 75210, USA",
                cal_summary="Dallas Rust: October In-Person Meetup")
EVENTS.append(DAL_ONEOFF)
DAL_PAST = [("310254775", "Fourth Tuesday", "2026-08-25 19:00"), ("316133872", "Rust Deep Learning: First Sunday", "2026-09-06 14:00"),
            ("310254774", "Second Tuesday", "2026-09-08 19:00")]
for eid, title, start in DAL_PAST:
    ev("dallasrust", eid, title, start, 120, "online", "ONLINE", desc="Dallas Rust meets online.")


def nth_weekday(y, m, weekday, n):
    """n-th (1-based; -1 = last) weekday (0 = Monday) of a month."""
    if n > 0:
        d = date(y, m, 1)
        d += timedelta(days=(weekday - d.weekday()) % 7)
        return d + timedelta(weeks=n - 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    d = nxt - timedelta(days=1)
    return d - timedelta(days=(d.weekday() - weekday) % 7)


def dallas_upcoming():
    out = []
    y, m = 2026, 9
    seq = {"2TU": 310254776, "4TU": 310254800, "1SU": 316133880}
    while len(out) < 45:
        for key, title, wd, n, hm in (("1SU", "Rust Deep Learning: First Sunday", 6, 1, "14:00"),
                                      ("2TU", "Second Tuesday", 1, 2, "19:00"), ("4TU", "Fourth Tuesday", 1, 4, "19:00")):
            d = nth_weekday(y, m, wd, n)
            if d >= date(2026, 9, 16):
                seq[key] += 1
                out.append(Ev("dallasrust", str(seq[key]), title, "%s %s" % (d.isoformat(), hm), 120, "online", "ONLINE",
                              desc="Dallas Rust meets online. " + {"1SU": "Deep learning in Rust: burn and candle, hands-on.",
                                                                    "2TU": "Second Tuesday: show and tell.",
                                                                    "4TU": "Fourth Tuesday: a talk and discussion."}[key]))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    out.append(DAL_ONEOFF)
    out.sort(key=lambda e: e.start)
    return out


DALLAS_ALL = dallas_upcoming()  # 46 upcoming events; the page lists the first 30
DALLAS_TOTAL = len(DALLAS_ALL)
for e in DALLAS_ALL:
    if e is not DAL_ONEOFF:
        EVENTS.append(e)

# --------------------------------------------------------------------------------------------
# Data: luma
# --------------------------------------------------------------------------------------------

GIRONA_SLUG = "rust-girona"
GIRONA_CAL = "cal-GiR8kq2Xw4Lm7Tz"
GIRONA_NAME = "Rust Girona"
GIRONA_TZ = "Europe/Madrid"
MELB_SLUG = "rustmelbourne"
MELB_CAL = "cal-Mb3rUsT9qL2xV8k"
MELB_NAME = "Rust Melbourne"
MELB_TZ = "Australia/Melbourne"
LUMA_ICS = "https://api.lu.ma/ics/get?entity=calendar&id=%s"
ITUNES_ID = "1546974127"

GIRONA_PLACE = {"description": "La Fàbrica Coworking", "address": "Carrer de la Rutlla, 20", "city": "Girona", "region": "Catalunya",
                "country": "Spain", "country_code": "ES", "postal": "17002", "lat": 41.9773, "lon": 2.8149}
GIRONA_PLACE_OLD = {"description": "Universitat de Girona, Campus Montilivi", "address": "Carrer de la Universitat de Girona, 1",
                    "city": "Girona", "region": "Catalunya", "country": "Spain", "country_code": "ES", "postal": "17003",
                    "lat": 41.9624, "lon": 2.8297}
MELB_PLACE = {"description": "Thoughtworks Melbourne", "address": "Level 23, 303 Collins St", "city": "Melbourne", "region": "Victoria",
              "country": "Australia", "country_code": "AU", "postal": "3000", "lat": -37.8161, "lon": 144.9637}


@dataclass
class Luma:
    api_id: str  # evt-…
    slug: str  # the event page: https://luma.com/<slug>
    name: str
    start: datetime  # aware, local
    minutes: int
    place: dict | None  # None: online
    desc: str
    online_url: str | None = None  # LOCATION of an online event


def det(key, n, alphabet="abcdefghijklmnopqrstuvwxyz0123456789"):
    return B.det(key, alphabet, n)


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def luma_ev(key, name, start_local, minutes, place, desc, tz=GIRONA_TZ, online_url=None, slug=None, api_id=None):
    start = datetime.strptime(start_local, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz))
    api_id = api_id or "evt-" + det("evt:" + key, 15, ALNUM)
    slug = slug or det("slug:" + key, 8)
    if place is None and online_url is None:
        online_url = "https://luma.com/event/" + api_id
    return Luma(api_id, slug, name, start, minutes, place, desc, online_url)


WEEKLY_DESC = ("Every week we meet online to code together: bring your project, your questions, or pick an issue "
               "from our list. Beginners welcome; we speak Catalan, Spanish and English.\n\nLink to join: see the event page.")
HL_DESC = ("Monthly Hack & Learn: short talks, then we hack in small groups, mentors around.\n\n"
           "Agenda:\n- 18:30 welcome\n- 18:45 talks\n- 19:30 hacking; snacks, drinks\n\nBring a laptop; you need no Rust experience.")


def girona_history():
    out = []
    d = date(2023, 1, 11)
    hl_days = set()
    # monthly Hack & Learn: first Wednesday, 2023-02 .. 2026-09, in person
    y, m = 2023, 2
    while (y, m) <= (2026, 9):
        day = nth_weekday(y, m, 2, 1)
        hl_days.add(day)
        place = GIRONA_PLACE_OLD if y < 2025 else GIRONA_PLACE
        out.append(luma_ev("hl:%s" % day, "Rust Girona Hack & Learn %02d %d" % (m, y), "%s 18:30" % day, 150, place, HL_DESC))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    # weekly coding session: Wednesdays 2023-2024, Thursdays 2025, Wednesdays 2026-01..07, Fridays from 2026-08
    d = date(2023, 1, 11)
    while d <= date(2026, 9, 11):
        if d.year == 2025:
            day = d + timedelta(days=1)
        elif d >= date(2026, 8, 5):
            day = d + timedelta(days=2)
        else:
            day = d
        if day not in hl_days and date(2023, 1, 1) <= day <= date(2026, 9, 11):
            title = ("Sessió setmanal de codificació / Weekly coding session" if day >= date(2026, 7, 1) else "Weekly coding session")
            url = "https://meet.google.com/%s-%s-%s" % (det("meet:" + day.isoformat(), 3, "abcdefghijkmnopqrstuvwxyz"),
                                                        det("meet2:" + day.isoformat(), 4, "abcdefghijkmnopqrstuvwxyz"),
                                                        det("meet3:" + day.isoformat(), 3, "abcdefghijkmnopqrstuvwxyz"))
            out.append(luma_ev("wk:%s" % day, title, "%s 18:00" % day, 120, None, WEEKLY_DESC,
                               online_url=url if day.year < 2026 else None))
        d += timedelta(weeks=1)
    # beginners' club, Mondays 2024-01-08 .. 2025-06-30, online
    d = date(2024, 1, 8)
    while d <= date(2025, 6, 30):
        out.append(luma_ev("beg:%s" % d, "Rust beginners' club", "%s 19:00" % d, 90, None,
                           "The Rust Book, one chapter a week, together. This week: see the event page."))
        d += timedelta(weeks=1)
    # talks night: third Thursday of odd months, in person
    y, m = 2023, 5
    while (y, m) <= (2026, 7):
        day = nth_weekday(y, m, 3, 3)
        out.append(luma_ev("talks:%s" % day, "Rust Girona Meetup: talks %s" % day.strftime("%m/%Y"), "%s 19:00" % day, 150,
                           GIRONA_PLACE_OLD if y < 2025 else GIRONA_PLACE,
                           "Two talks, then pa amb tomàquet. Talks announced on the event page."))
        y, m = (y + 1, m - 10) if m > 10 else (y, m + 2)
    return out


# the upcoming events (on the calendar page and in the ICS)
GIRONA_WEEKLY = luma_ev("up:weekly-0918", "Sessió setmanal de codificació / Weekly coding session", "2026-09-18 18:00", 120, None,
                        WEEKLY_DESC, slug="k3v9q2xd", api_id="evt-Wk0918pLq3ZrT5n")
GIRONA_HL = luma_ev("up:hl-1001", "Rust Girona Hack & Learn 10 2026", "2026-10-01 18:30", 150, GIRONA_PLACE, HL_DESC,
                    slug="p7wq4m2n", api_id="evt-HL1001xVb8NcQ2k")
GIRONA_LATER = luma_ev("up:weekly-1023", "Sessió setmanal de codificació / Weekly coding session", "2026-10-23 18:00", 120, None,
                       WEEKLY_DESC, slug="t2hd6r8e", api_id="evt-Wk1023mHs7YdK4p")
GIRONA_UPCOMING = [GIRONA_WEEKLY, GIRONA_HL, GIRONA_LATER]
GIRONA_PAGES = [GIRONA_WEEKLY, GIRONA_HL]  # event pages recorded: those in the window
MELB_UPCOMING = [
    luma_ev("melb:0923", "Rust Melbourne September 2026 Meetup", "2026-09-23 18:00", 150, MELB_PLACE,
            "Talks: profiling async Rust with tokio-console; Rust on the ESP32-C6. Pizza from 18:00.", tz=MELB_TZ,
            slug="m9r4c2vb", api_id="evt-Mel0923Tq8sWk2"),
    luma_ev("melb:1028", "Rust Melbourne October 2026 Meetup", "2026-10-28 18:00", 150, MELB_PLACE,
            "Lightning talks night: five minutes each, sign up in the comments.", tz=MELB_TZ, slug="x4n8p1qz",
            api_id="evt-Mel1028Hd3bRn6"),
]

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def local(e: Ev):
    return datetime.strptime(e.start, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(GROUPS[e.group].tz))


def iso_offset(dt, secs=True):
    o = dt.strftime("%z")
    return dt.strftime("%Y-%m-%dT%H:%M:%S" if secs else "%Y-%m-%dT%H:%M") + o[:3] + ":" + o[3:]


def iso_z(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def event_url(e: Ev):
    return "https://www.meetup.com/%s/events/%s/" % (e.group, e.id)


def fold_octets(line):
    """RFC 5545 folding at 75 octets, never inside a UTF-8 sequence (luma's and meetup's feeds)."""
    out, cur = [], ""
    limit = 75
    for ch in line:
        if len((cur + ch).encode()) > limit:
            out.append(cur)
            cur, limit = " " + ch, 75
        else:
            cur += ch
    out.append(cur)
    return "\r\n".join(out)


def vtimezone_london():
    return ["BEGIN:VTIMEZONE", "TZID:Europe/London", "X-LIC-LOCATION:Europe/London",
            "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
            "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD", "END:VTIMEZONE"]


def ldscript(obj):
    return '<script type="application/ld+json">%s</script>' % json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")


# --------------------------------------------------------------------------------------------
# The community calendar
# --------------------------------------------------------------------------------------------


def cal_link(e: Ev):
    url = event_url(e)
    if e.cal == "wrap":
        w = "https://www.google.com/url?q=%s&amp;sa=D&amp;source=calendar&amp;usd=2&amp;usg=%s" % (url, B.usg(e.id))
        return '<a href="%s" target="_blank">%s</a>' % (w, url)
    return B.a(url, junk=int(e.id) % 2 == 0)


def venue_text(key):
    vid, name, addr, city, state, country = VENUES[key]
    cc = COUNTRY[country]
    if country in ("us", "ca"):
        return "%s, %s, %s, %s %s, %s" % (name, addr, city, state, POSTCODE[key], cc)
    return "%s, %s, %s %s, %s" % (name, addr, POSTCODE[key], city, cc)


SERIES_26 = [
    # key, summary, tz, first start, minutes, rrule, description, location
    ("berlin-hl", "Rust Hack and Learn", "Europe/Berlin", "2026-01-15 19:00", 120, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
     "Rust Hack and Learn by Rust Berlin: a mentored hacking evening, online.<br><br>" + B.a("https://www.meetup.com/rust-berlin/", junk=True), "Online"),
    ("dallas-2tu", "Dallas Rust: Second Tuesday", "America/Chicago", "2025-01-14 19:00", 120, "FREQ=MONTHLY;BYDAY=2TU",
     "Dallas Rust meets online on the second Tuesday of the month.<br>" + B.a("https://www.meetup.com/dallasrust/"), "Online"),
    ("dallas-4tu", "Dallas Rust: Fourth Tuesday", "America/Chicago", "2025-01-28 19:00", 120, "FREQ=MONTHLY;BYDAY=4TU",
     "Dallas Rust meets online on the fourth Tuesday of the month.<br>" + B.a("https://www.meetup.com/dallasrust/"), "Online"),
    ("vancouver", "Vancouver Rust: Rust Study/Hack/Hang-out", "America/Vancouver", "2025-09-17 18:30", 120, "FREQ=MONTHLY;BYDAY=3WE",
     "Study, hack or hang out, in person at the library or online. " + B.a("https://www.meetup.com/vancouver-rust/"),
     "Vancouver Public Library, Central Branch, 350 W Georgia St, Vancouver, BC V6B 6B1, Canada"),
]


def build_calendar():
    stamp = B.ics_utc(REC)
    blocks = []
    tzs = []
    for e in EVENTS:
        if not e.cal:
            continue
        start = local(e)
        end = start + timedelta(minutes=e.minutes)
        g = GROUPS[e.group]
        title = e.cal_summary or "%s: %s" % (g.name, e.title)
        desc = B.ics_text(e.desc + "<br><br>" + cal_link(e))
        loc = venue_text(e.venue) if e.cal_loc is None and e.venue != "online" else (e.cal_loc or "")
        props = B.P(DTSTART=[("DTSTART", B.ics_utc(start))], DTEND=[("DTEND", B.ics_utc(end))], DTSTAMP=[("DTSTAMP", stamp)],
                    UID=[("UID", B.uid("26ev:" + e.id))],
                    CREATED=[("CREATED", B.ics_utc(start - timedelta(days=24, hours=5, minutes=11)))],
                    DESCRIPTION=[("DESCRIPTION", desc)],
                    **{"LAST-MODIFIED": [("LAST-MODIFIED", B.ics_utc(min(REC - timedelta(days=1, hours=3), start - timedelta(days=6))))]},
                    LOCATION=[("LOCATION", B.ics_text(loc))], SEQUENCE=[("SEQUENCE", "0")], STATUS=[("STATUS", "CONFIRMED")],
                    SUMMARY=[("SUMMARY", B.ics_text(title))], TRANSP=[("TRANSP", "OPAQUE")])
        blocks.append(("26ev:" + e.id, B.vevent(props)))
    # the luma event of Rust Girona, as an editor pasted it (the same event the luma calendar lists)
    h = GIRONA_HL
    p = h.place
    blocks.append(("26luma:" + h.slug, B.vevent(B.P(
        DTSTART=[("DTSTART", B.ics_utc(h.start))], DTEND=[("DTEND", B.ics_utc(h.start + timedelta(minutes=h.minutes)))],
        DTSTAMP=[("DTSTAMP", stamp)], UID=[("UID", B.uid("26luma:" + h.slug))], CREATED=[("CREATED", "20260908T071522Z")],
        DESCRIPTION=[("DESCRIPTION", B.ics_text("Hack &amp; Learn mensual de Rust Girona / monthly Hack &amp; Learn.<br><br>"
                                                + B.a("https://luma.com/" + h.slug)))],
        **{"LAST-MODIFIED": [("LAST-MODIFIED", "20260908T071522Z")]},
        LOCATION=[("LOCATION", B.ics_text("%s, %s, %s %s, %s" % (p["description"], p["address"], p["postal"], p["city"], p["country"])))],
        SEQUENCE=[("SEQUENCE", "0")], STATUS=[("STATUS", "CONFIRMED")], SUMMARY=[("SUMMARY", B.ics_text(h.name))],
        TRANSP=[("TRANSP", "OPAQUE")]))))
    # RustConf 2026: all-day, before the window
    blocks.append(("26oneoff:rustconf", B.vevent(B.P(
        DTSTART=[("DTSTART;VALUE=DATE", "20260908")], DTEND=[("DTEND;VALUE=DATE", "20260912")], DTSTAMP=[("DTSTAMP", stamp)],
        UID=[("UID", B.uid("26oneoff:rustconf"))], CREATED=[("CREATED", "20260310T160000Z")],
        DESCRIPTION=[("DESCRIPTION", B.ics_text("<b>RustConf 2026</b><br>" + B.a("https://rustconf.com/")))],
        **{"LAST-MODIFIED": [("LAST-MODIFIED", "20260310T160000Z")]}, LOCATION=[("LOCATION", "Montreal\\, QC\\, Canada")],
        SEQUENCE=[("SEQUENCE", "0")], STATUS=[("STATUS", "CONFIRMED")], SUMMARY=[("SUMMARY", "RustConf 2026")],
        TRANSP=[("TRANSP", "TRANSPARENT")]))))
    for key, summary, tz, start_s, minutes, rrule, desc, loc in SERIES_26:
        if tz not in tzs:
            tzs.append(tz)
        start = datetime.strptime(start_s, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz))
        blocks.append(("26series:" + key, B.vevent(B.P(
            DTSTART=[("DTSTART;TZID=" + tz, B.ics_local(start))],
            DTEND=[("DTEND;TZID=" + tz, B.ics_local(start + timedelta(minutes=minutes)))],
            RRULE=[("RRULE", rrule)], DTSTAMP=[("DTSTAMP", stamp)], UID=[("UID", B.uid("26series:" + key))],
            CREATED=[("CREATED", B.ics_utc(start - timedelta(days=30)))], DESCRIPTION=[("DESCRIPTION", B.ics_text(desc))],
            **{"LAST-MODIFIED": [("LAST-MODIFIED", B.ics_utc(start - timedelta(days=29)))]}, LOCATION=[("LOCATION", B.ics_text(loc))],
            SEQUENCE=[("SEQUENCE", "0")], STATUS=[("STATUS", "CONFIRMED")], SUMMARY=[("SUMMARY", B.ics_text(summary))],
            TRANSP=[("TRANSP", "OPAQUE")]))))
    blocks.sort(key=lambda b: B.uid(b[0]))
    out = []
    for _, lines in blocks:
        out += lines
    # Google lists VTIMEZONEs in no particular order: not the X-WR-TIMEZONE one first
    return B.calendar(out, sorted(tzs))


# --------------------------------------------------------------------------------------------
# meetup.com: group pages (2026 Apollo form), event pages, the group iCal feed, the wall page
# --------------------------------------------------------------------------------------------

BUILD_ID = "Xq3bP0ve7tGmK1aYw2L9s"


def next_page(title, head_extra, data, body):
    return (
        '<!DOCTYPE html><html lang="en-US"><head><meta charSet="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        "<title>%s</title>"
        '<link rel="preload" href="https://www.meetup.com/mu_static/en-US/_next/static/css/9c0f3b7de41a2c85.css" as="style"/>'
        "%s"
        '<script src="https://www.meetup.com/mu_static/en-US/_next/static/chunks/webpack-2f0c9a1e7b3d5c48.js" defer=""></script>'
        '</head><body><div id="__next"><div class="flex min-h-screen flex-col">%s</div></div>'
        '<script id="__NEXT_DATA__" type="application/json">%s</script>'
        "</body></html>\n"
    ) % (html.escape(title), head_extra, body, B.next_json(data))


def venue_obj(key):
    vid, name, addr, city, state, country = VENUES[key]
    return {"__typename": "Venue", "id": vid, "name": name, "address": addr, "city": city, "state": state, "country": country}


def group_obj(g: Group):
    return {"__typename": "Group", "id": g.id, "urlname": g.urlname, "name": g.name, "timezone": g.tz, "city": g.city,
            "state": g.state, "country": g.country, "lat": g.lat, "lon": g.lon, "isPrivate": False,
            "link": "https://www.meetup.com/%s/" % g.urlname}


def event_obj(e: Ev, gkey, vkey):
    start = local(e)
    past = start < REC
    status = "CANCELLED" if e.status == "CANCELLED" else ("PAST" if past else "ACTIVE")
    return {"__typename": "Event", "id": e.id, "title": e.title, "eventUrl": event_url(e), "description": e.desc,
            "dateTime": iso_offset(start), "endTime": iso_offset(start + timedelta(minutes=e.minutes)), "status": status,
            "eventType": e.kind, "isOnline": e.kind == "ONLINE", "venue": {"__ref": vkey}, "group": {"__ref": gkey},
            "going": {"__typename": "EventRsvpConnection", "totalCount": 8 + int(e.id) % 53}}


def group_page(g: Group):
    gkey = "Group:" + g.id
    apollo = {"ROOT_QUERY": {"__typename": "Query", 'groupByUrlname({"urlname":"%s"})' % g.urlname: {"__ref": gkey}}}
    apollo[gkey] = group_obj(g)
    if g.urlname == NEXT_PAGE:
        upcoming_all = DALLAS_ALL
    else:
        upcoming_all = sorted((e for e in EVENTS if e.group == g.urlname and local(e) >= REC), key=local)
    upcoming = upcoming_all[:30]
    past = sorted((e for e in EVENTS if e.group == g.urlname and local(e) < REC), key=local, reverse=True)[:10]
    for e in upcoming + past:
        vkey = "Venue:" + VENUES[e.venue][0]
        apollo[vkey] = venue_obj(e.venue)
        apollo["Event:" + e.id] = event_obj(e, gkey, vkey)
    after = REC.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    up_key = 'events({"filter":{"afterDateTime":"%s","status":["ACTIVE","PAST","CANCELLED"]},"first":30,"sort":"ASC"})' % after
    past_key = 'events({"filter":{"beforeDateTime":"%s"},"first":10,"sort":"DESC"})' % after

    def conn(evs, total, more):
        return {"__typename": "GroupEventConnection", "totalCount": total,
                "pageInfo": {"__typename": "PageInfo", "hasNextPage": more,
                             "endCursor": B.det("cursor:%s:%d" % (g.urlname, len(evs)), ALNUM, 24) + "==" if evs else None},
                "edges": [{"__typename": "GroupEventEdge", "node": {"__ref": "Event:" + e.id}} for e in evs]}

    apollo[gkey][up_key] = conn(upcoming, len(upcoming_all), len(upcoming_all) > 30)
    # the silent group's past tab is all it ever held; the others have a longer history
    past_total = len(past) if g.urlname == SILENT else 37 + int(g.id) % 80
    apollo[gkey][past_key] = conn(past, past_total, past_total > len(past))
    data = {"props": {"pageProps": {"__APOLLO_STATE__": apollo, "groupUrlname": g.urlname, "isMobile": False,
                                    "_sentryTraceData": "", "_sentryBaggage": ""}, "__N_SSP": True},
            "page": "/[urlname]/events", "query": {"urlname": g.urlname}, "buildId": BUILD_ID,
            "assetPrefix": "https://www.meetup.com/mu_static/en-US", "isFallback": False, "isExperimentalCompile": False,
            "gssp": True, "locale": "en-US", "locales": ["en-US", "de-DE", "fr-FR", "es-ES"], "defaultLocale": "en-US",
            "scriptLoader": []}
    link = "https://www.meetup.com/%s/" % g.urlname
    ld = [{"@context": "https://schema.org", "@type": "Organization", "name": g.name, "url": link,
           "logo": "https://secure.meetupstatic.com/photos/event/%s/600_%s.jpeg" % (B.det("logo" + g.id, "0123456789abcdef", 2), g.id)},
          {"@context": "https://schema.org", "@type": "Place", "name": g.city,
           "address": {"@type": "PostalAddress", "addressLocality": g.city, "addressRegion": g.state, "addressCountry": g.country}},
          {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
              {"@type": "ListItem", "position": 1, "name": "Meetup", "item": "https://www.meetup.com/"},
              {"@type": "ListItem", "position": 2, "name": g.name, "item": link},
              {"@type": "ListItem", "position": 3, "name": "Events", "item": link + "events/"}]}]
    head = "".join(ldscript(x) for x in ld)
    body = '<main><h1 class="text-2xl">%s</h1><div data-testid="events-list"></div></main>' % html.escape(g.name)
    return next_page("Events | %s | Meetup" % g.name, head, data, body)


def event_page(e: Ev):
    g = GROUPS[e.group]
    start = local(e)
    end = start + timedelta(minutes=e.minutes)
    online = e.kind == "ONLINE"
    venue = None if online else {k: v for k, v in venue_obj(e.venue).items() if k != "__typename"}
    gi = {k: v for k, v in group_obj(g).items() if k != "__typename"}
    status = "CANCELLED" if e.status == "CANCELLED" else ("PAST" if start < REC else "ACTIVE")
    obj = {"id": e.id, "title": e.title, "description": e.desc, "dateTime": iso_offset(start), "endTime": iso_offset(end),
           "timezone": g.tz, "eventUrl": event_url(e), "isOnline": online, "eventType": e.kind, "status": status,
           "venue": venue, "group": gi,
           "eventHosts": [{"memberId": int(B.det("host:" + g.urlname, "123456789", 9)),
                           "name": B.det("hn:" + g.urlname, "ABCDEFGHIJKLMNOPRSTW", 1) + "."}],
           "rsvpSettings": {"rsvpsClosed": e.status == "CANCELLED"}, "going": {"totalCount": 8 + int(e.id) % 53}}
    data = {"props": {"pageProps": {"event": obj, "eventId": e.id, "groupUrlname": e.group, "isMobile": False}, "__N_SSP": True},
            "page": "/[urlname]/events/[eventId]", "query": {"urlname": e.group, "eventId": e.id}, "buildId": BUILD_ID,
            "assetPrefix": "https://www.meetup.com/mu_static/en-US", "isFallback": False, "gssp": True, "locale": "en-US",
            "locales": ["en-US", "de-DE", "fr-FR", "es-ES"], "defaultLocale": "en-US", "scriptLoader": []}
    if online:
        loc = {"@type": "VirtualLocation", "url": event_url(e)}
        mode = "OnlineEventAttendanceMode"
    else:
        vid, name, addr, city, state, country = VENUES[e.venue]
        place = {"@type": "Place", "name": name, "address": {"@type": "PostalAddress", "streetAddress": addr,
                                                             "addressLocality": city, "addressRegion": state,
                                                             "postalCode": POSTCODE[e.venue], "addressCountry": country}}
        loc = [place, {"@type": "VirtualLocation", "url": event_url(e)}] if e.kind == "HYBRID" else place
        mode = "MixedEventAttendanceMode" if e.kind == "HYBRID" else "OfflineEventAttendanceMode"
    ld = {"@context": "https://schema.org", "@type": "Event", "name": e.title, "url": event_url(e), "description": e.desc,
          "startDate": iso_offset(start), "endDate": iso_offset(end), "location": loc,
          "eventStatus": "https://schema.org/" + ("EventCancelled" if e.status == "CANCELLED" else "EventScheduled"),
          "eventAttendanceMode": "https://schema.org/" + mode,
          "organizer": {"@type": "Organization", "name": g.name, "url": "https://www.meetup.com/%s/" % g.urlname}}
    body = "<main><h1>%s</h1>%s</main>" % (html.escape(e.title), "<p>This event has been cancelled</p>" if e.status == "CANCELLED" else "")
    return next_page("%s, %s | Meetup" % (e.title, start.strftime("%a, %b %-d, %Y, %-I:%M %p")), ldscript(ld), data, body)


def wall_page(g: Group):
    """What meetup serves the recorder for this group in 2026: a consent and sign-in wall, status 200,
    with no __NEXT_DATA__ and no JSON-LD Event (only the site's Organization)."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        "<title>Log in | Meetup</title>"
        '<meta name="robots" content="noindex"/>'
        '<link rel="stylesheet" href="https://www.meetup.com/mu_static/auth/assets/index-4be1c7d2.css"/>'
        + ldscript({"@context": "https://schema.org", "@type": "Organization", "name": "Meetup", "url": "https://www.meetup.com/"})
        + '<script>window.__CONSENT__={"region":"GB","required":["functional","analytics"],"returnTo":"/%s/events/"};</script>'
        '<script type="module" crossorigin src="https://www.meetup.com/mu_static/auth/assets/index-91d3e0fa.js"></script>'
        '</head><body><div id="root"><div class="consent-wall" role="dialog" aria-modal="true">'
        "<h1>We value your privacy</h1>"
        "<p>We and our partners use cookies to personalise content and measure performance. "
        "Log in or accept to continue to <strong>%s</strong>.</p>"
        '<button data-testid="accept-all">Accept all</button> <button data-testid="manage">Manage choices</button>'
        '<a href="/login/?returnUri=https%%3A%%2F%%2Fwww.meetup.com%%2F%s%%2Fevents%%2F">Log in</a>'
        "</div></div><noscript>Please enable JavaScript to continue.</noscript></body></html>\n"
    ) % (g.urlname, html.escape(g.name), g.urlname)


def meetup_ical(g: Group):
    """The group's iCal feed (§5): at most 10 upcoming events, no LOCATION, URL;VALUE=URI, TZID times."""
    evs = sorted((e for e in EVENTS if e.group == g.urlname and local(e) >= REC), key=local)[:10]
    stamp = B.ics_utc(REC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Meetup//Meetup Calendar 1.0//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-ORIGINAL-URL:https://www.meetup.com/%s/events/ical/" % g.urlname,
             "X-WR-CALNAME:Events - " + B.ics_text(g.name), "X-MS-OLK-FORCEINSPECTOROPEN:TRUE"]
    lines += vtimezone_london()
    for e in evs:
        start = local(e)
        body = "%s\n%s\n\n%s\n\n%s" % (g.name, start.strftime("%A, %B %-d at %-I:%M %p"), e.desc, event_url(e))
        lines += ["BEGIN:VEVENT", "DTSTAMP:" + stamp,
                  "DTSTART;TZID=%s:%s" % (g.tz, B.ics_local(start)),
                  "DTEND;TZID=%s:%s" % (g.tz, B.ics_local(start + timedelta(minutes=e.minutes))),
                  "STATUS:CONFIRMED", "SUMMARY:" + B.ics_text(e.title), "DESCRIPTION:" + B.ics_text(body), "CLASS:PUBLIC",
                  "CREATED:" + B.ics_utc(start - timedelta(days=35)), "URL;VALUE=URI:" + event_url(e),
                  "UID:event_%s@meetup.com" % e.id, "LAST-MODIFIED:" + B.ics_utc(start - timedelta(days=20)), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold_octets(ln) for ln in lines) + "\r\n"


# --------------------------------------------------------------------------------------------
# luma: calendar page, event pages, ICS feed
# --------------------------------------------------------------------------------------------

LUMA_BUILD = "lm-7f3c2a9e41d0b5c6"


def geo_info(p):
    if p is None:
        return None
    return {"type": "google", "mode": "shown", "city": p["city"], "region": p["region"], "country": p["country"],
            "country_code": p["country_code"], "city_state": "%s, %s" % (p["city"], p["region"]),
            "address": p["address"], "description": p["description"],
            "full_address": "%s, %s, %s %s, %s" % (p["description"], p["address"], p["postal"], p["city"], p["country"]),
            "place_id": "ChIJ" + det("place:" + p["address"], 23, ALNUM)}


def luma_event_obj(l: Luma, tz):
    return {"api_id": l.api_id, "name": l.name, "start_at": iso_z(l.start),
            "end_at": iso_z(l.start + timedelta(minutes=l.minutes)), "timezone": tz, "url": l.slug,
            "cover_url": "https://images.lumacdn.com/event-covers/%s/%s.png" % (det("cv1" + l.slug, 2), det("cv" + l.slug, 32, "0123456789abcdef")),
            "location_type": "offline" if l.place else "online", "geo_address_info": geo_info(l.place),
            "coordinate": {"latitude": l.place["lat"], "longitude": l.place["lon"]} if l.place else None,
            "visibility": "public", "event_type": "independent", "hide_rsvp": False}


def luma_calendar_obj(api_id, name, slug, desc, tz, city):
    return {"api_id": api_id, "name": name, "slug": slug, "description_short": desc, "timezone": tz, "geo_city": city,
            "avatar_url": "https://images.lumacdn.com/calendars/%s/%s.png" % (det("av1" + slug, 2), det("av" + slug, 32, "0123456789abcdef")),
            "website": None, "tint_color": "#de4a26", "is_personal": False}


def luma_head(title, og_title, desc, url, app_argument):
    return ('<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1"/>'
            "<title>%s</title>"
            '<meta name="description" content="%s"/>'
            '<meta property="og:title" content="%s"/><meta property="og:description" content="%s"/>'
            '<meta property="og:url" content="%s"/><meta property="og:site_name" content="Luma"/>'
            '<meta name="twitter:card" content="summary_large_image"/>'
            '<meta name="apple-itunes-app" content="app-id=%s, app-argument=%s"/>'
            '<link rel="canonical" href="%s"/>') % (html.escape(title), html.escape(desc), html.escape(og_title), html.escape(desc),
                                                    url, ITUNES_ID, app_argument, url)


def luma_next(page_route, query, initial):
    data = {"props": {"pageProps": {"initialData": initial, "initialUserData": None, "hostname": "luma.com"}, "__N_SSP": True},
            "page": page_route, "query": query, "buildId": LUMA_BUILD, "isFallback": False, "gssp": True, "scriptLoader": []}
    return '<script id="__NEXT_DATA__" type="application/json">%s</script>' % B.next_json(data)


def luma_calendar_page(slug, api_id, name, desc, tz, city, upcoming):
    url = "https://luma.com/" + slug
    items = [{"api_id": "calev-" + det("calev:" + l.api_id, 15, ALNUM), "event": luma_event_obj(l, tz), "start_at": iso_z(l.start),
              "guest_count": 9 + int(hashlib.md5(l.slug.encode()).hexdigest(), 16) % 60, "ticket_count": 0,
              "ticket_info": {"is_free": True, "is_sold_out": False, "require_approval": False},
              "hosts": [{"api_id": "usr-" + det("host:" + slug, 15, ALNUM), "name": "%s Team" % name}],
              "featured_info": {"is_featured": False}} for l in upcoming]
    initial = {"kind": "calendar", "data": {"calendar": luma_calendar_obj(api_id, name, slug, desc, tz, city),
                                            "events": items, "featured_items": [], "has_more": False,
                                            "subscriber_count": 200 + len(slug) * 17}}
    body = ('</head><body><div id="__next"><div class="page-content"><h1 class="title">%s</h1><p>%s</p>'
            '<div class="timeline"></div></div></div>%s</body></html>\n') % (
        html.escape(name), html.escape(desc), luma_next("/[...path]", {"path": [slug]}, initial))
    return luma_head("%s · Luma" % name, name, desc, url, "luma://calendar/" + api_id) + body


def luma_event_page(l: Luma, tz, cal_api, cal_name, cal_slug, cal_desc, city):
    url = "https://luma.com/" + l.slug
    end = l.start + timedelta(minutes=l.minutes)
    if l.place:
        p = l.place
        loc = {"@type": "Place", "name": p["description"],
               "address": {"@type": "PostalAddress", "streetAddress": p["address"], "addressLocality": p["city"],
                           "addressRegion": p["region"], "postalCode": p["postal"],
                           "addressCountry": {"@type": "Country", "name": p["country_code"]}},
               "geo": {"@type": "GeoCoordinates", "latitude": p["lat"], "longitude": p["lon"]}}
        mode = "OfflineEventAttendanceMode"
    else:
        loc = {"@type": "VirtualLocation", "url": url}
        mode = "OnlineEventAttendanceMode"
    ld = {"@context": "https://schema.org", "@type": "Event", "name": l.name, "description": l.desc,
          "startDate": iso_offset(l.start.astimezone(ZoneInfo(tz))).replace(":00+", ":00.000+").replace(":00-", ":00.000-"),
          "endDate": iso_offset(end.astimezone(ZoneInfo(tz))).replace(":00+", ":00.000+").replace(":00-", ":00.000-"),
          "eventAttendanceMode": "https://schema.org/" + mode, "eventStatus": "https://schema.org/EventScheduled",
          "location": loc, "url": url + "?lm_source=calendar", "image": [luma_event_obj(l, tz)["cover_url"]],
          "organizer": [{"@type": "Organization", "name": cal_name, "url": "https://luma.com/" + cal_slug}],
          "offers": [{"@type": "Offer", "price": 0, "priceCurrency": "EUR", "availability": "https://schema.org/InStock",
                      "url": url}]}
    initial = {"kind": "event", "data": {"event": luma_event_obj(l, tz),
                                         "calendar": luma_calendar_obj(cal_api, cal_name, cal_slug, cal_desc, tz, city),
                                         "hosts": [{"api_id": "usr-" + det("host:" + cal_slug, 15, ALNUM), "name": "%s Team" % cal_name}],
                                         "guest_count": 9 + int(hashlib.md5(l.slug.encode()).hexdigest(), 16) % 60,
                                         "ticket_info": {"is_free": True, "is_sold_out": False},
                                         "description_mirror": {"type": "doc", "content": [{"type": "paragraph", "content": [
                                             {"type": "text", "text": l.desc}]}]}}}
    title = "%s · Luma" % l.name
    head = luma_head(title, l.name, l.desc.split("\n")[0], url, "luma://event/" + l.api_id) + ldscript(ld)
    body = ('</head><body><div id="__next"><div class="event-page"><h1>%s</h1></div></div>%s</body></html>\n') % (
        html.escape(l.name), luma_next("/[...path]", {"path": [l.slug]}, initial))
    return head + body


def luma_ics(cal_name, cal_desc, events, stamp_dt, seq_base):
    """luma's calendar ICS (§5). DTSTAMP is the request time, SEQUENCE a counter that moves on every request."""
    stamp = B.ics_utc(stamp_dt)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Luma//Luma Calendar//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "X-WR-CALNAME:" + B.ics_text(cal_name), "X-WR-CALDESC:" + B.ics_text(cal_desc)]
    for i, l in enumerate(sorted(events, key=lambda x: x.start)):
        link = "https://luma.com/" + l.slug
        if l.place:
            p = l.place
            full = "%s, %s, %s %s, %s" % (p["description"], p["address"], p["postal"], p["city"], p["country"])
            desc = "Get up-to-date information at: %s\n\nAddress:\n%s\n\n%s" % (link, full, l.desc)
            location = full
        else:
            desc = "Get up-to-date information at: %s\n\n%s" % (link, l.desc)
            location = l.online_url
        lines += ["BEGIN:VEVENT", "DTSTART:" + B.ics_utc(l.start), "DTEND:" + B.ics_utc(l.start + timedelta(minutes=l.minutes)),
                  "DTSTAMP:" + stamp, 'ORGANIZER;CN="%s":MAILTO:calendar-invite@lu.ma' % cal_name.replace('"', ""),
                  "UID:%s@events.lu.ma" % l.api_id, "SUMMARY:" + B.ics_text(l.name), "DESCRIPTION:" + B.ics_text(desc),
                  "LOCATION:" + B.ics_text(location)]
        if l.place:
            lines.append("GEO:%s;%s" % (l.place["lat"], l.place["lon"]))
        lines += ["SEQUENCE:%d" % (seq_base + i * 7), "STATUS:TENTATIVE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold_octets(ln) for ln in lines) + "\r\n"


GIRONA_DESC = "Comunitat de Rust a Girona: sessions setmanals en línia i Hack & Learn mensual. Rust community in Girona."
MELB_DESC = "Rust Melbourne: monthly meetups for Rustaceans in Melbourne, Victoria."


def girona_ics(stamp_dt):
    # SEQUENCE: luma's counter, derived from the request time (it changes on every request)
    return luma_ics(GIRONA_NAME, GIRONA_DESC, girona_history() + GIRONA_UPCOMING, stamp_dt,
                    int(stamp_dt.timestamp()) // 60 % 1000000)


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------


class Snap:
    def __init__(self):
        self.responses = []

    def add(self, url, body, ct, ext, status=200, redirected_to=None):
        assert all(r["url"] != url for r in self.responses), url
        entry = {"url": url, "status": status, "content_type": ct}
        if body is not None:
            host = url.split("/")[2]
            slug = B.slug(url)
            if "?" in url:
                slug = re.sub(r"[^A-Za-z0-9]+", "-", url.split("/", 3)[3]).strip("-").lower()
            rel = "responses/%s/%s.%s" % (host, slug, ext)
            assert all(r.get("file") != rel for r in self.responses), rel
            path = os.path.join(OUT, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(body)
            entry["file"] = rel
        if redirected_to:
            entry["redirected_to"] = redirected_to
        self.responses.append(entry)

    def finish(self):
        with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump({"recorded_at": REC.isoformat(), "responses": self.responses}, f, indent=2, ensure_ascii=False)
            f.write("\n")


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


SOURCE_GROUPS = ["dallasrust", RENAMED_FROM, GONE, "rust-berlin", UNREADABLE, "rust-paris", SILENT, "vancouver-rust",
                 "women-in-rust"]


def sources_toml():
    out = ["# Sources of snapshot 2026-09-16 (issue 8 cases). Generated by tools/snapshots/build_2026.py.", "",
           "[[source]]", 'kind = "ical"', "url = " + toml_str(B.CAL_URL), 'name = "Rust Community Calendar"', ""]
    for u in SOURCE_GROUPS:
        g = GROUPS.get(u if u != RENAMED_FROM else RENAMED_TO)
        note = {RENAMED_FROM: "# renamed: meetup redirects this page to /%s/events/" % RENAMED_TO,
                GONE: "# gone: the page answers 404",
                UNREADABLE: "# its page is a login/consent wall; its iCal feed and event pages carry it",
                NEXT_PAGE: "# lists 30 of its 46 upcoming events (hasNextPage)",
                SILENT: "# silent: no upcoming event; its last one was on 2023-03-23"}.get(u)
        if note:
            out.append(note)
        out += ["[[source]]", 'kind = "meetup"', "url = " + toml_str("https://www.meetup.com/%s/" % u)]
        if u == GONE:
            out.append('name = "Belgrade Rust Meetup Group"')
        elif u == RENAMED_FROM:
            out.append("name = " + toml_str(g.name))
        else:
            out.append("name = " + toml_str(g.name))
            if g.home:
                out.append("home = " + toml_str(g.home))
        out.append("")
    out += ["[[source]]", 'kind = "luma"', 'url = "https://luma.com/%s"' % GIRONA_SLUG, 'name = "Rust Girona"', 'home = "Girona, ES"', "",
            "[[source]]", 'kind = "luma"', 'url = "https://luma.com/%s"' % MELB_SLUG, 'name = "Rust Melbourne"',
            'home = "Melbourne, VIC, AU"', ""]
    return "\n".join(out)


def build():
    # EXPECTED.md is written by hand: keep it
    shutil.rmtree(os.path.join(OUT, "responses"), ignore_errors=True)
    os.makedirs(OUT, exist_ok=True)
    s = Snap()
    s.add(B.CAL_URL, build_calendar(), ICS_CT, "ics")
    # meetup group pages
    for u in SOURCE_GROUPS:
        url = "https://www.meetup.com/%s/events/" % u
        if u == GONE:
            s.add(url, None, "text/html; charset=utf-8", "html", status=404)
        elif u == RENAMED_FROM:
            s.add(url, group_page(GROUPS[RENAMED_TO]), HTML_CT, "html",
                  redirected_to="https://www.meetup.com/%s/events/" % RENAMED_TO)
        elif u == UNREADABLE:
            s.add(url, wall_page(GROUPS[u]), HTML_CT, "html")
            s.add("https://www.meetup.com/%s/events/ical/" % u, meetup_ical(GROUPS[u]), ICS_CT, "ics")
        else:
            s.add(url, group_page(GROUPS[u]), HTML_CT, "html")
    # meetup event pages: every one the calendar links, and the unreadable group's events in the window
    window_end = datetime(2026, 10, 15, tzinfo=UTC)
    for e in EVENTS:
        if e.cal or (e.group == UNREADABLE and REC <= local(e) < window_end):
            s.add(event_url(e), event_page(e), HTML_CT, "html")
    # luma
    s.add("https://luma.com/" + GIRONA_SLUG, luma_calendar_page(GIRONA_SLUG, GIRONA_CAL, GIRONA_NAME, GIRONA_DESC, GIRONA_TZ,
                                                                 "Girona", GIRONA_UPCOMING), HTML_CT, "html")
    s.add(LUMA_ICS % GIRONA_CAL, girona_ics(REC), LUMA_ICS_CT, "ics")
    for l in GIRONA_PAGES:
        s.add("https://luma.com/" + l.slug, luma_event_page(l, GIRONA_TZ, GIRONA_CAL, GIRONA_NAME, GIRONA_SLUG, GIRONA_DESC, "Girona"),
              HTML_CT, "html")
    s.add("https://luma.com/" + MELB_SLUG, luma_calendar_page(MELB_SLUG, MELB_CAL, MELB_NAME, MELB_DESC, MELB_TZ, "Melbourne",
                                                               MELB_UPCOMING), HTML_CT, "html")
    s.add(LUMA_ICS % MELB_CAL, None, "application/json; charset=utf-8", "ics", status=500)
    s.finish()
    with open(os.path.join(OUT, "sources.toml"), "w", encoding="utf-8") as f:
        f.write(sources_toml())
    # the fixture: the same ICS recorded twice, a minute apart
    os.makedirs(FIXTURES, exist_ok=True)
    for name, t in (("rust-girona-0900.ics", REC), ("rust-girona-0901.ics", REC + timedelta(minutes=1))):
        with open(os.path.join(FIXTURES, name), "w", encoding="utf-8", newline="") as f:
            f.write(girona_ics(t))


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def check_ics(name, raw, problems):
    text = raw.decode("utf-8")
    if b"\n" in raw.replace(b"\r\n", b""):
        problems.append("%s: bare LF" % name)
    if not text.endswith("\r\n"):
        problems.append("%s: no final CRLF" % name)
    google = "PRODID:-//Google Inc" in text
    for ln in text.split("\r\n"):
        if google:  # Google folds at 75 characters (see build.py)
            if len(ln) > 76 or (len(ln) > 75 and not ln.startswith(" ")):
                problems.append("%s: line too long: %r" % (name, ln[:40]))
        elif len(ln.encode()) > 75:
            problems.append("%s: line over 75 octets: %r" % (name, ln[:40]))
    lines = B.unfold(text).split("\r\n")
    stack = []
    for ln in lines:
        if ln.startswith("BEGIN:"):
            stack.append(ln[6:])
        elif ln.startswith("END:"):
            if not stack or stack.pop() != ln[4:]:
                problems.append("%s: unbalanced %s" % (name, ln))
    if stack:
        problems.append("%s: unclosed %s" % (name, stack))
    joined = "\n".join(lines)
    used = set(re.findall(r";TZID=([^:;]+)", joined))
    declared = set(re.findall(r"^TZID:(.+)$", joined, re.M))
    if used != declared:
        problems.append("%s: TZIDs used %s declared %s" % (name, sorted(used), sorted(declared)))
    vevents = re.findall(r"^BEGIN:VEVENT$(.*?)^END:VEVENT$", joined, re.M | re.S)
    if not vevents:
        problems.append("%s: no VEVENT" % name)
    if google:
        for u in re.findall(r"^UID:(.+)$", joined, re.M):
            if not re.fullmatch(r"[0-9a-v]{26}(_R\d{8}T\d{6})?@google\.com", u):
                problems.append("%s: odd UID %s" % (name, u))
    elif "-//Meetup//Meetup Calendar 1.0//EN" in joined:
        if len(vevents) > 10:
            problems.append("%s: meetup's feed holds at most 10 events" % name)
        for v in vevents:
            for want in (r"^UID:event_\d+@meetup\.com$", r"^URL;VALUE=URI:https://www\.meetup\.com/[^/]+/events/\d+/$",
                         r"^STATUS:CONFIRMED$", r"^DTSTART;TZID=", r"^DTSTAMP:"):
                if not re.search(want, v, re.M):
                    problems.append("%s: a VEVENT lacks %s" % (name, want))
            if re.search(r"^LOCATION", v, re.M):
                problems.append("%s: meetup's feed has no LOCATION" % name)
    elif "@events.lu.ma" in joined:
        for v in vevents:
            for want in (r"^UID:evt-[A-Za-z0-9]{15}@events\.lu\.ma$", r"^STATUS:TENTATIVE$", r"^DTSTART:\d{8}T\d{6}Z$",
                         r"^DTEND:\d{8}T\d{6}Z$", r"^DTSTAMP:\d{8}T\d{6}Z$", r"^SEQUENCE:\d+$",
                         r"^DESCRIPTION:Get up-to-date information at: https://luma\.com/[a-z0-9]{8}\\n", r"^LOCATION:."):
                if not re.search(want, v, re.M):
                    problems.append("%s: a VEVENT lacks %s" % (name, want))
            if re.search(r"^URL", v, re.M):
                problems.append("%s: luma's feed has no URL property" % name)
    else:
        problems.append("%s: unknown producer" % name)
    try:
        import icalendar  # optional: an independent parser
    except ImportError:
        return False
    try:
        cal = icalendar.Calendar.from_ical(raw)
        n = sum(1 for _ in cal.walk("VEVENT"))
        if n != len(vevents):
            problems.append("%s: icalendar sees %d VEVENTs, the check %d" % (name, n, len(vevents)))
        for v in cal.walk("VEVENT"):
            v.decoded("DTSTART")
    except Exception as e:  # noqa: BLE001 (any parser error is a finding)
        problems.append("%s: icalendar cannot parse it: %s" % (name, e))
    return True


def check_html(name, text, problems, expect_data=True):
    nd = re.findall(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', text, re.S)
    lds = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    for block in nd:
        try:
            json.loads(block)
        except ValueError as e:
            problems.append("%s: bad __NEXT_DATA__: %s" % (name, e))
    parsed_ld = []
    for block in lds:
        try:
            parsed_ld.append(json.loads(block))
        except ValueError as e:
            problems.append("%s: bad JSON-LD: %s" % (name, e))
    has_event = any((x.get("@type") in ("Event", "EducationEvent")) for blk in parsed_ld
                    for x in (blk if isinstance(blk, list) else [blk]))
    if expect_data and not nd:
        problems.append("%s: no __NEXT_DATA__" % name)
    if not expect_data and (nd or has_event):
        problems.append("%s: the unreadable page must have no __NEXT_DATA__ and no JSON-LD Event" % name)
    return nd, parsed_ld, has_event


def check():
    problems = []
    parsed_any = False
    man = json.load(open(os.path.join(OUT, "manifest.json"), encoding="utf-8"))
    if datetime.fromisoformat(man["recorded_at"]) != REC:
        problems.append("recorded_at is %s" % man["recorded_at"])
    listed = set()
    for r in man["responses"]:
        url, status, f = r["url"], r["status"], r.get("file")
        if set(r) - {"url", "status", "content_type", "file", "redirected_to"}:
            problems.append("%s: unknown manifest keys %s" % (url, set(r)))
        if not url.startswith("https://"):
            problems.append("%s: not https" % url)
        if "redirected_to" in r and not r["redirected_to"].startswith("https://"):
            problems.append("%s: bad redirected_to" % url)
        if 200 <= status < 300:
            if not f or not os.path.isfile(os.path.join(OUT, f)):
                problems.append("%s: status %d but file %r missing" % (url, status, f))
                continue
        elif f:
            problems.append("%s: a failed response (status %d) has a file" % (url, status))
            continue
        else:
            continue
        listed.add(f)
        raw = open(os.path.join(OUT, f), "rb").read()
        if r["content_type"].startswith("text/calendar"):
            parsed_any |= check_ics(f, raw, problems)
        else:
            text = raw.decode("utf-8")
            wall = url == "https://www.meetup.com/%s/events/" % UNREADABLE
            nd, ld, has_event = check_html(f, text, problems, expect_data=not wall)
            if url.startswith("https://luma.com/") and nd:
                data = json.loads(nd[0])["props"]["pageProps"]["initialData"]["data"]
                if "calendar" in data and "events" in data:
                    m = re.search(r'app-argument=luma://calendar/(cal-[A-Za-z0-9]+)"', text)
                    if not m or m.group(1) != data["calendar"]["api_id"]:
                        problems.append("%s: apple-itunes-app cal- id differs from __NEXT_DATA__" % f)
                elif not has_event:
                    problems.append("%s: luma event page without JSON-LD Event" % f)
            if "/events/" in url and url.rstrip("/").split("/")[-1].isdigit() and not has_event:
                problems.append("%s: meetup event page without JSON-LD Event" % f)
    on_disk = set()
    for dirpath, _, files in os.walk(os.path.join(OUT, "responses")):
        for n in files:
            on_disk.add(os.path.relpath(os.path.join(dirpath, n), OUT).replace(os.sep, "/"))
    for extra in sorted(on_disk - listed):
        problems.append("%s: recorded file not in the manifest" % extra)
    # the churn fixture: identical but for every DTSTAMP and SEQUENCE
    a = open(os.path.join(FIXTURES, "rust-girona-0900.ics"), encoding="utf-8", newline="").read().split("\r\n")
    b = open(os.path.join(FIXTURES, "rust-girona-0901.ics"), encoding="utf-8", newline="").read().split("\r\n")
    snap_ics = [r for r in man["responses"] if r["url"] == LUMA_ICS % GIRONA_CAL][0]
    if open(os.path.join(OUT, snap_ics["file"]), encoding="utf-8", newline="").read().split("\r\n") != a:
        problems.append("tests/fixtures/luma/rust-girona-0900.ics differs from the snapshot's ICS")
    if len(a) != len(b):
        problems.append("churn fixture: line counts differ")
    for x, y in zip(a, b):
        churn = x.startswith(("DTSTAMP:", "SEQUENCE:"))
        if churn and x == y:
            problems.append("churn fixture: %s unchanged" % x)
        if not churn and x != y:
            problems.append("churn fixture: %r changed" % x)
    parsed_any |= check_ics("tests/fixtures/luma/rust-girona-0901.ics", "\r\n".join(b).encode(), problems)
    print("checked snapshots/%s: %d responses, %d problems%s" % (
        DIR_NAME, len(man["responses"]), len(problems), "" if parsed_any else " (icalendar not installed: not parsed)"))
    for p in problems:
        print("  " + p)
    return not problems


def main():
    if "--check" not in sys.argv:
        build()
    sys.exit(0 if check() else 1)


if __name__ == "__main__":
    main()
