#!/usr/bin/env python3
"""Builds the recorded source snapshots under `snapshots/` from the data tables below.

Each snapshot is what the sources looked like when a seed newsletter issue was drafted:

* `snapshots/2023-01-04/` -> seed 476 (window 2023-01-04 - 2023-02-01)
* `snapshots/2023-02-01/` -> seed 480 (window 2023-02-01 - 2023-03-01)
* `snapshots/minimal/`    -> a calendar-only snapshot for quick tests

Every response file imitates the real format (see ../shared/formats.md): the Google Calendar
public feed (CRLF, Google's header and property order, Google-style folding, VTIMEZONEs, HTML
descriptions with `google.com/url` wrappers), meetup.com group and event pages (Next.js
`__NEXT_DATA__` with an Apollo cache, JSON-LD), a Mobilizon event page and a conference site
carrying schema.org JSON-LD.

Run from the repository root:  python3 tools/snapshots/build.py
It rewrites the three snapshot folders and then checks what it wrote (JSON validity, calendar
structure); `--check` only checks.  Python 3.11 standard library only.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "snapshots")

CAL_URL = (
    "https://calendar.google.com/calendar/ical/"
    "apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com/public/basic.ics"
)
SNAPS = {
    "476": {"dir": "2023-01-04", "recorded": datetime(2023, 1, 4, 9, 0, tzinfo=timezone.utc)},
    "480": {"dir": "2023-02-01", "recorded": datetime(2023, 2, 1, 9, 0, tzinfo=timezone.utc)},
}
BOTH = ("476", "480")

# --------------------------------------------------------------------------------------------
# Data: meetup groups
# --------------------------------------------------------------------------------------------


@dataclass
class Group:
    urlname: str  # as meetup spells it (case kept)
    id: str
    name: str  # the group's real name
    city: str
    state: str
    country: str  # lower case, as meetup serves it
    tz: str
    lat: float
    lon: float
    keywords: tuple = ()  # a "maybe Rust" group: the source gets keywords = [...]
    seed_url: str | None = None  # the source url when it differs from the lower-cased default
    snaps: tuple = BOTH  # snapshots whose sources.toml lists the group
    note: str = ""


G = {}


def group(*args, **kw):
    g = Group(*args, **kw)
    G[g.urlname.lower()] = g


# urlname, id, name, city, state, country, tz, lat, lon
group("wasm-rust-meetup", "35124838", "WebAssembly and Rust Meetup (Rustlang)", "Beijing", "", "cn", "Asia/Shanghai", 39.93, 116.39, keywords=("rust",))
group("opentechschool-berlin", "6624112", "OpenTechSchool Berlin", "Berlin", "", "de", "Europe/Berlin", 52.52, 13.4,
      note="480 prints 'Open Tech School Berlin' once (editor typo)")
group("buffalo-rust-meetup", "35213597", "Buffalo Rust Meetup", "Buffalo", "NY", "us", "America/New_York", 42.89, -78.88)
group("indyrs", "27164938", "Indy Rust", "Indianapolis", "IN", "us", "America/Indiana/Indianapolis", 39.77, -86.16)
group("Rust-Community-Stuttgart", "33794524", "Rust Community Stuttgart", "Stuttgart", "", "de", "Europe/Berlin", 48.78, 9.18)
group("charlottesville-rust-meetup", "35624129", "Charlottesville Rust Meetup", "Charlottesville", "VA", "us", "America/New_York", 38.03, -78.48)
group("Dallas-Rust", "21958613", "Dallas Rust", "Dallas", "TX", "us", "America/Chicago", 32.78, -96.8)
group("boulder-elixir-rust", "18931216", "Boulder Elixir and Rust", "Boulder", "CO", "us", "America/Denver", 40.02, -105.27)
group("microsoft-reactor-san-francisco", "26638417", "Microsoft Reactor San Francisco", "San Francisco", "CA", "us", "America/Los_Angeles", 37.78, -122.4, keywords=("rust",))
group("microsoft-reactor-new-york", "26638486", "Microsoft Reactor New York", "New York", "NY", "us", "America/New_York", 40.75, -73.99, keywords=("rust",),
      note="480 prints 'Microsoft Rector New York' five times (editor typo)")
group("microsoft-reactor-stockholm", "32816395", "Microsoft Reactor Stockholm", "Stockholm", "", "se", "Europe/Stockholm", 59.33, 18.06, keywords=("rust",))
group("microsoft-reactor-sao-paulo", "26638515", "Microsoft Reactor São Paulo", "São Paulo", "", "br", "America/Sao_Paulo", -23.55, -46.63, keywords=("rust",))
group("microsoft-reactor-redmond", "26638399", "Microsoft Reactor Redmond", "Redmond", "WA", "us", "America/Los_Angeles", 47.67, -122.12, keywords=("rust",))
group("rust-noris", "26729312", "Rust Nuremberg", "Nürnberg", "", "de", "Europe/Berlin", 49.45, 11.08)
group("rustdc", "18583462", "Rust DC", "Washington", "DC", "us", "America/New_York", 38.9, -77.03)
group("vancouver-rust", "28591345", "Vancouver Rust", "Vancouver", "BC", "ca", "America/Vancouver", 49.28, -123.12)
group("rust-tlv", "19960154", "Rust TLV", "Tel Aviv-Yafo", "", "il", "Asia/Jerusalem", 32.07, 34.78,
      note="meetup spells the city 'Tel Aviv-Yafo'; the newsletter prints 'Tel Aviv'")
group("dutch-rust-meetup", "21226735", "Dutch Rust Meetup", "Amsterdam", "", "nl", "Europe/Amsterdam", 52.37, 4.89)
group("rust-paris", "18347413", "Rust Paris", "Paris", "", "fr", "Europe/Paris", 48.86, 2.34)
group("rust-atx", "27403613", "Rust ATX", "Austin", "TX", "us", "America/Chicago", 30.27, -97.74)
group("utah-rust", "26357813", "Utah Rust", "Lehi", "UT", "us", "America/Denver", 40.39, -111.85)
group("minneapolis-rust-meetup", "35916370", "Minneapolis Rust Meetup", "Minneapolis", "MN", "us", "America/Chicago", 44.98, -93.27)
group("san-francisco-rust-study-group", "26836416", "San Francisco Rust Study Group", "San Francisco", "CA", "us", "America/Los_Angeles", 37.78, -122.42)
# groups only in the 480 seed
group("rust-and-c-plus-plus-in-cardiff", "36208853", "Rust and C++ Cardiff", "Cardiff", "K5", "gb", "Europe/London", 51.48, -3.18, snaps=("480",))
group("rust-saar", "31385217", "Rust-Saar", "Saarbrücken", "", "de", "Europe/Berlin", 49.23, 6.99, snaps=("480",))
group("java-user-group-hessen-jugh", "19582947", "Java User Group Hessen", "Kassel", "", "de", "Europe/Berlin", 51.31, 9.48, keywords=("rust",), snaps=("480",))
group("kansai-rust", "35751834", "Kansai Rust", "Kyoto", "", "jp", "Asia/Tokyo", 35.01, 135.77, snaps=("480",))
group("prenzlauer-berg-software-engineers", "36693413", "Prenzlauer Berg Software Engineers", "Berlin", "", "de", "Europe/Berlin", 52.54, 13.42, keywords=("rust",), snaps=("480",))
group("rust-meetup-hamburg", "23513474", "Rust Meetup Hamburg", "Hamburg", "", "de", "Europe/Berlin", 53.55, 10.0, snaps=("480",))
group("meetup-group-zgphbyet", "36454521", "Rust Lille", "Lille", "", "fr", "Europe/Paris", 50.63, 3.06, snaps=("480",))
group("rust-london-user-group", "18546962", "Rust London User Group", "London", "17", "gb", "Europe/London", 51.51, -0.13, snaps=("480",))
group("rust-trondheim", "34923418", "Rust Trondheim", "Trondheim", "", "no", "Europe/Oslo", 63.43, 10.39, snaps=("480",))
group("rust-zurich", "18966524", "Rust Zurich", "Zürich", "", "ch", "Europe/Zurich", 47.38, 8.54, snaps=("480",))
group("copenhagen-rust-community", "29221233", "Copenhagen Rust Community", "Copenhagen", "", "dk", "Europe/Copenhagen", 55.68, 12.57, snaps=("480",))
group("rust-study-group", "26364716", "Mountain View Rust Study Group", "Mountain View", "CA", "us", "America/Los_Angeles", 37.39, -122.08, snaps=("480",))
group("rust-nyc", "18233962", "Rust NYC", "New York", "NY", "us", "America/New_York", 40.73, -73.99, snaps=("480",))
group("rust-canberra", "35482133", "Canberra Rust User Group", "Canberra", "ACT", "au", "Australia/Sydney", -35.28, 149.13, snaps=("480",))
group("rust-sydney", "19957735", "Rust Sydney", "Sydney", "NSW", "au", "Australia/Sydney", -33.87, 151.21, snaps=("480",))
# not sources: their events reach the tool only through the calendar and their event pages
NOT_SOURCES = {
    "rustcologne": ("21498366", "Rust Cologne", "Köln", "", "de", "Europe/Berlin"),
    "rust-munich": ("22015812", "Rust Munich", "München", "", "de", "Europe/Berlin"),
    "chicago-rust-meetup": ("26622184", "Chicago Rust Meetup", "Chicago", "IL", "us", "America/Chicago"),
    "rust-linz": ("26754893", "Rust Linz", "Linz", "", "at", "Europe/Vienna"),
}

# Venues: key -> id, name, address, city, state, country, lat, lon
V = {
    "online": ("26906060", "Online event", "", "", "", "", -8.521147, 179.1962),
    "tlv": ("27536541", "Google for Startups Campus", "Yigal Alon St 98", "Tel Aviv", "", "il", 32.0707, 34.7946),
    "enschede": ("27012447", "The Gallery", "Hengelosestraat 500", "Enschede", "", "nl", 52.2398, 6.8502),
    "stuttgart": ("26950921", "codecentric AG", "Heßbrühlstraße 7", "Stuttgart", "", "de", 48.7305, 9.1107),
    "paris": ("27634018", "Theodo", "48 Boulevard des Batignolles", "Paris", "", "fr", 48.8823, 2.3197),
    "atx": ("26671402", "Central Market North Lamar", "4001 N Lamar Blvd", "Austin", "TX", "us", 30.3072, -97.7398),
    "lehi": ("27398865", "Podium", "1650 W Digital Dr", "Lehi", "UT", "us", 40.4296, -111.8949),
    "mpls": ("27589911", "Bauhaus Brew Labs", "1315 Tyler St NE", "Minneapolis", "MN", "us", 45.0033, -93.2489),
    "sf": ("26960102", "Clever Real Estate", "1 Letterman Dr", "San Francisco", "CA", "us", 37.7989, -122.4496),
    "kyoto": ("27784400", "Impact Hub Kyoto", "Kamigyo Ward, Genbu-cho 60", "Kyoto", "", "jp", 35.0296, 135.7563),
    "pberg": ("27801123", "Kiezraum", "Schönhauser Allee 36", "Berlin", "", "de", 52.5405, 13.4127),
    "hamburg": ("26540298", "Mindmatters", "Neuer Kamp 30", "Hamburg", "", "de", 53.5571, 9.9655),
    "lille": ("27799004", "EuraTechnologies", "165 Avenue de Bretagne", "Lille", "", "fr", 50.6335, 3.0203),
    "london-cf": ("27803551", "Cloudflare London", "County Hall, Westminster Bridge Rd", "London", "SE1 7", "gb", 51.5014, -0.1188),
    "london-rb": ("27390187", "Red Badger", "The Tea Building, 56 Shoreditch High St", "London", "E1 6", "gb", 51.5237, -0.0772),
    "trondheim": ("27700214", "Kantega", "Kjøpmannsgata 35", "Trondheim", "", "no", 63.4322, 10.4036),
    "zurich": ("27801966", "Impact Hub Zürich - Colab", "Sihlquai 131", "Zurich", "", "ch", 47.3853, 8.5322),
    "cph": ("27401833", "Trifork", "Borgergade 24B", "Copenhagen", "", "dk", 55.6847, 12.5866),
    "mv": ("25971120", "Hacker Dojo", "855 Maude Ave", "Mountain View", "CA", "us", 37.4003, -122.0466),
    "nyc": ("27798811", "Warp", "632 Broadway", "New York", "NY", "us", 40.7255, -73.9958),
    "cbr": ("27377045", "Canberra Innovation Network", "1 Moore St", "Canberra", "ACT", "au", -35.2791, 149.1301),
    "syd": ("26868125", "Canva", "110 Kippax St", "Sydney", "NSW", "au", -33.8843, 151.2087),
    "cologne": ("26615903", "Startplatz", "Im Mediapark 5", "Köln", "", "de", 50.9485, 6.9443),
    "munich": ("27455802", "TNG Technology Consulting", "Beta-Straße 13a", "Unterföhring", "", "de", 48.1876, 11.6442),
    "chicago": ("26822013", "Braintree", "222 W Merchandise Mart Plaza", "Chicago", "IL", "us", 41.8885, -87.6354),
    "linz": ("26889701", "Dynatrace", "Freistädter Straße 313", "Linz", "", "at", 48.3263, 14.3082),
}

# --------------------------------------------------------------------------------------------
# Data: meetup events (group page rows; calendar one-offs hang off them)
# --------------------------------------------------------------------------------------------


@dataclass
class Cal:
    """How a calendar one-off for a meetup event is written."""

    link: str = "a"  # a | wrap | wrap_pct | wrap_utm | text | de | noslash
    loc: str | None = None  # None: derived from the venue; "" empty LOCATION
    shift_days: int = 0  # calendar date differs from the page (the page wins)
    snaps: tuple | None = None  # default: the event's snapshots
    summary: str | None = None
    extra: str = ""  # extra HTML appended to the description
    meet: bool = False  # Google Meet conference attached
    alarm: bool = False  # stray VALARM
    dup: bool = False  # a second, duplicate calendar entry for the same event


@dataclass
class Ev:
    snaps: tuple  # snapshots whose group page lists it (if still upcoming)
    group: str
    id: str
    title: str
    start: str  # local "YYYY-MM-DD HH:MM" in the group's (or venue's) time zone
    minutes: int
    venue: str
    desc: str
    cal: Cal | None = None
    status: str = "ACTIVE"  # ACTIVE | CANCELLED
    secs: bool = False  # dateTime with seconds
    jsonld_type: str = "Event"
    on_page: bool = True  # listed on the group page at all


EVENTS: list[Ev] = []


def ev(*a, **k):
    EVENTS.append(Ev(*a, **k))


ONLINE = "online"
R_EN = "Join us online. Rust, hands-on."

# ---- 476 seed (window 2023-01-04 - 2023-02-01), and what its sources also held
ev(BOTH, "wasm-rust-meetup", "mbmxvsyfccbfb", "Monthly WasmEdge Community Meeting, a CNCF sandbox WebAssembly runtime", "2023-01-03 23:00", 60, ONLINE,
   "Monthly community call of WasmEdge, the lightweight WebAssembly runtime written in C++ and Rust. Agenda: Rust SDK updates, wasmedge-quickjs.",
   Cal(link="wrap"))
ev(BOTH, "opentechschool-berlin", "289581074", "Rust Hack and Learn", "2023-01-03 19:00", 120, ONLINE,
   "Rust Hack and Learn is a mentored coding evening for anyone interested in Rust. We meet online.")
ev(BOTH, "buffalo-rust-meetup", "lsjbbtyfccbfb", "Buffalo Rust User Group, First Tuesdays", "2023-01-03 19:00", 60, ONLINE,
   "Monthly get-together of Rustaceans in and around Buffalo, online.", Cal(link="a", loc="Online"))
ev(BOTH, "indyrs", "qwtdjsyfccbgb", "Indy.rs - with Social Distancing", "2023-01-04 19:00", 120, ONLINE, "Indy.rs monthly Rust meetup, online.")
ev(BOTH, "Rust-Community-Stuttgart", "dvvtvsyfccbgb", "Rust-Meetup", "2023-01-04 19:00", 120, ONLINE,
   "Unser monatliches Rust-Meetup, online.", Cal(link="a", loc="Online"), secs=True)
ev(BOTH, "charlottesville-rust-meetup", "290122605", "Part 2: Exploring USB with Rust", "2023-01-05 19:00", 90, ONLINE,
   "Part 2 of our USB series: writing a USB device driver in Rust.", Cal(link="wrap", loc="", dup=True))
ev(BOTH, "Dallas-Rust", "vndgwsyfccbnb", "Second Tuesday", "2023-01-10 19:00", 120, ONLINE, "Dallas Rust second Tuesday meetup, online.")
ev(BOTH, "boulder-elixir-rust", "290277662", "Monthly Meetup", "2023-01-11 18:00", 120, ONLINE, "Monthly meetup of the Boulder Elixir and Rust group.")
ev(BOTH, "rust-noris", "hlvbvsyfccbqb", "Rust Nürnberg online", "2023-01-12 18:30", 120, ONLINE, "Rust Nürnberg trifft sich online.")
ev(BOTH, "dutch-rust-meetup", "289021643", "Rust Meetup - Subject TBA", "2023-01-12 18:00", 180, "enschede",
   "Our next Dutch Rust meetup, hosted in Enschede. Subject to be announced.", Cal(link="a", loc=None))
ev(BOTH, "Rust-Community-Stuttgart", "zmppzsyfccbbc", "OnSite Meeting", "2023-01-20 18:30", 180, "stuttgart",
   "Wir treffen uns vor Ort bei codecentric.", Cal(link="wrap_pct"))
ev(BOTH, "rust-paris", "290100223", "Rust Paris meetup #55", "2023-01-25 19:00", 180, "paris",
   "Rust Paris meetup #55, talks in French and English.", Cal(link="a", shift_days=1))
ev(BOTH, "rust-atx", "290335198", "Rust Lunch", "2022-12-28 12:00", 60, "atx", "Rust Lunch at Central Market.", Cal(link="wrap_utm"))
ev(BOTH, "rust-tlv", "290156141", "December Edition - xtask, macros and low level features", "2022-12-29 18:30", 180, "tlv",
   "December edition of Rust TLV.", Cal(link="a"))
ev(BOTH, "utah-rust", "dsbpxsydcqbdc", "Lightning Talks 'n' Chill (a.k.a. Show & Tell), with Pizza!", "2023-01-05 19:00", 120, "lehi",
   "Bring a Rust project to show. Pizza provided.")  # calendar: moved instance of a series, see SERIES
ev(BOTH, "minneapolis-rust-meetup", "289768841", "Happy Hour and Beginner Embedded Rust Hacking Session (#2!)", "2023-01-09 17:30", 150, "mpls",
   "Happy hour, then embedded Rust hacking for beginners.", Cal(link="a", loc="Bauhaus Brew Labs, 1315 Tyler St NE, Minneapolis, MN 55413, USA"))
ev(BOTH, "san-francisco-rust-study-group", "rwvwzsyfccbwb", "Rust Hacking in Person", "2023-01-17 18:00", 150, "sf", "Hack on Rust together, in person.")
ev(BOTH, "rustdc", "289015967", "Mid-month Rustful", "2023-01-17 18:00", 120, ONLINE, "Mid-month Rustful: Rust DC's online gathering.")
ev(BOTH, "opentechschool-berlin", "289581080", "Rust Hack and Learn", "2023-01-17 19:00", 120, ONLINE,
   "Rust Hack and Learn is a mentored coding evening for anyone interested in Rust. We meet online.")
ev(BOTH, "vancouver-rust", "tqvhxsyfccbxb", "Rust Study/Hack/Hang-out", "2023-01-18 18:00", 120, ONLINE, "Study, hack or hang out with Vancouver Rust.")

# Microsoft Reactor sessions: one row per group, same title and instant (mirrors)
REACTOR_DESC = ("Serie de sesiones en español: Primeros pasos con Rust. Aprende Rust desde cero con Microsoft Reactor. "
                "This event is delivered online in Spanish.")
CRACK_DESC = "Crack code interview problems in Rust: a live coding series solving interview problems in Rust."


def reactor(snaps, session_title, start_pst, ids, desc, primary, cal=True):
    """ids: {urlname: id}; start_pst: local time in America/Los_Angeles."""
    for urlname, eid in ids.items():
        g = G[urlname]
        local = datetime.strptime(start_pst, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("America/Los_Angeles"))
        local = local.astimezone(ZoneInfo(g.tz)).strftime("%Y-%m-%d %H:%M")
        c = Cal(link="a", loc="Online") if (cal and urlname == primary) else None
        ev(snaps, urlname, eid, session_title, local, 60, ONLINE, desc, c, secs=True, jsonld_type="EducationEvent")


SF, NY, SP, STO, RED = ("microsoft-reactor-san-francisco", "microsoft-reactor-new-york", "microsoft-reactor-sao-paulo",
                        "microsoft-reactor-stockholm", "microsoft-reactor-redmond")
reactor(BOTH, "Crack code interview problems in Rust - Ep. 1", "2023-01-12 09:00",
        {SF: "290071417", STO: "290071415", NY: "290071420"}, CRACK_DESC, SF)
reactor(BOTH, "Primeros pasos con Rust - Qué es y Configuración el entorno de desarrollo", "2023-01-16 12:00",
        {SF: "290224512", SP: "290224516", NY: "290224515"}, REACTOR_DESC, SF)
reactor(BOTH, "Primeros pasos con Rust - Creación del primer programa de Rust", "2023-01-17 12:00",
        {SF: "290224517", SP: "290224521", NY: "290224518"}, REACTOR_DESC, SF)
reactor(BOTH, "Primeros pasos con Rust: QA y horas de comunidad", "2023-01-18 12:00",
        {SF: "290224523", SP: "290224522", NY: "290224525"}, REACTOR_DESC, SF)
# ---- 480 seed (window 2023-02-01 - 2023-03-01)
reactor(("480",), "Primeros pasos con Rust: QA y horas de comunidad", "2023-02-01 12:00",
        {RED: "290224566", NY: "290224570", SF: "290224568"}, REACTOR_DESC, RED)
reactor(BOTH, "Primeros pasos con Rust - Implementación de tipos y rasgos genéricos", "2023-02-06 12:00",
        {RED: "290224576", NY: "290224572", SF: "290224573"}, REACTOR_DESC, RED)
reactor(BOTH, "Primeros pasos con Rust - Módulos, paquetes y contenedores de terceros", "2023-02-07 12:00",
        {RED: "290224578", NY: "290224577", SF: "290224579"}, REACTOR_DESC, RED)
reactor(BOTH, "Primeros pasos con Rust: QA y horas de comunidad", "2023-02-08 12:00",
        {RED: "290224584", NY: "290224583", SF: "290224585"}, REACTOR_DESC, RED)
reactor(BOTH, "Primeros pasos con Rust - Escritura de pruebas automatizadas", "2023-02-13 12:00",
        {RED: "290224610", NY: "290224608", SF: "290224609"}, REACTOR_DESC, RED)
reactor(BOTH, "Primeros pasos con Rust - Creamos un programa de ToDos en la línea de comandos", "2023-02-14 12:00",
        {RED: "290224616", SF: "290224613", NY: "290224617"}, REACTOR_DESC, RED)
# the seed's "San Francisco Mirror" for this one links Redmond's event; San Francisco's own is 290224625
reactor(BOTH, "Primeros pasos con Rust: QA y horas de comunidad", "2023-02-15 12:00",
        {RED: "290224624", SF: "290224625", NY: "290224621", SP: "290224623"}, REACTOR_DESC, RED)

ev(("480",), "rust-and-c-plus-plus-in-cardiff", "291184911", "New Year Virtual Social + Share", "2023-02-01 19:00", 120, ONLINE,
   "A virtual social for Rust and C++ developers: share what you are working on.", Cal(link="a", loc="Online"))
ev(("480",), "indyrs", "qwtdjsyfcdbcb", "Indy.rs - with Social Distancing", "2023-02-01 19:00", 120, ONLINE, "Indy.rs monthly Rust meetup, online.")
ev(BOTH, "indyrs", "qwtdjsyfcfbcb", "Indy.rs - with Social Distancing", "2023-03-01 19:00", 120, ONLINE, "Indy.rs monthly Rust meetup, online.")
ev(("480",), "Rust-Community-Stuttgart", "dvvtvsyfcdbcb", "Rust-Meetup", "2023-02-01 19:00", 120, ONLINE,
   "Unser monatliches Rust-Meetup, online.", Cal(link="wrap", loc="Online"), secs=True)
ev(BOTH, "wasm-rust-meetup", "290609896", "Monthly WasmEdge Community Meeting, a CNCF sandbox WebAssembly runtime", "2023-02-07 23:00", 60, ONLINE,
   "Monthly community call of WasmEdge, the lightweight WebAssembly runtime written in C++ and Rust.", Cal(link="a", snaps=("480",)))
ev(BOTH, "buffalo-rust-meetup", "lsjbbtyfcdbkb", "Buffalo Rust User Group, First Tuesdays", "2023-02-07 19:00", 60, ONLINE,
   "Monthly get-together of Rustaceans in and around Buffalo, online.", Cal(link="a", loc="Online"))
ev(BOTH, "boulder-elixir-rust", "zvxcsryfcdblb", "Monthly Meetup", "2023-02-08 18:00", 120, ONLINE, "Monthly meetup of the Boulder Elixir and Rust group.")
ev(BOTH, "rust-noris", "hlvbvsyfcdbmb", "Rust Nürnberg online", "2023-02-09 18:30", 120, ONLINE, "Rust Nürnberg trifft sich online.")
ev(BOTH, "opentechschool-berlin", "zdrzpsyfcdbsb", "Rust Hack and Learn", "2023-02-14 19:00", 120, ONLINE,
   "Rust Hack and Learn is a mentored coding evening for anyone interested in Rust. We meet online.")
ev(BOTH, "Dallas-Rust", "vndgwsyfcdbsb", "Second Tuesday", "2023-02-14 19:00", 120, ONLINE, "Dallas Rust second Tuesday meetup, online.")
ev(BOTH, "rust-saar", "290040138", "Meetup: 26u16", "2023-02-14 19:00", 120, ONLINE,
   "Das 26. Treffen von Rust-Saar (26u16), online.", Cal(link="a", loc="", meet=True))
ev(BOTH, "vancouver-rust", "tqvhxsyfcdbtb", "Rust Study/Hack/Hang-out", "2023-02-15 18:30", 120, ONLINE, "Study, hack or hang out with Vancouver Rust.")
ev(BOTH, "rustdc", "vdhxgsyfcdbcc", "Mid-month Rustful", "2023-02-21 18:00", 120, ONLINE, "Mid-month Rustful: Rust DC's online gathering.")
ev(("480",), "charlottesville-rust-meetup", "291248593", "Tock, a Rust based Embedded Operating System", "2023-02-23 19:00", 90, ONLINE,
   "An introduction to Tock, the embedded operating system written in Rust.", Cal(link="wrap", loc="Online"))
ev(BOTH, "java-user-group-hessen-jugh", "290346591", "Eine Einführung in Rust (Stefan Baumgartner)", "2023-02-23 18:30", 120, ONLINE,
   "Stefan Baumgartner gibt eine Einführung in die Programmiersprache Rust.")
ev(("480",), "opentechschool-berlin", "290852327", "Rust Hack and Learn", "2023-02-28 19:00", 120, ONLINE,
   "Rust Hack and Learn is a mentored coding evening for anyone interested in Rust. We meet online.")
ev(BOTH, "Dallas-Rust", "qndgwsyfcdblc", "Last Tuesday", "2023-02-28 19:00", 120, ONLINE, "Dallas Rust last Tuesday meetup, online.")
ev(("480",), "kansai-rust", "291020672", "Rust talk: How to implement Iterator on tuples... kind of", "2023-02-01 19:00", 120, "kyoto",
   "A talk on implementing Iterator on tuples.", Cal(link="noslash"))
ev(("480",), "rust-tlv", "291182881", "February Edition - Redis and BioCatch talking Rust!", "2023-02-20 18:30", 180, "tlv",
   "February edition of Rust TLV: Redis and BioCatch talk Rust.", Cal(link="a", shift_days=1))
ev(("480",), "prenzlauer-berg-software-engineers", "290513923",
   "PBerg engineers - inaugural meetup; Lukas: Serverless APIs using Rust and Azure functions (Fee)", "2023-02-02 19:00", 150, "pberg",
   "Our first meetup. Lukas talks about serverless APIs with Rust and Azure Functions.", Cal(link="a"))
ev(("480",), "rust-meetup-hamburg", "290824576", "Rust Hack & Learn February 2023", "2023-02-02 19:00", 180, "hamburg",
   "Rust Hack & Learn in Hamburg.", Cal(link="wrap", dup=True))
ev(("480",), "meetup-group-zgphbyet", "291046592", "Rust Lille #2", "2023-02-09 19:00", 150, "lille", "Deuxième meetup Rust à Lille.")
ev(("480",), "rust-london-user-group", "290903823", "Rust Nation Pre-Conference Reception with The Rust Foundation", "2023-02-15 18:30", 180, "london-cf",
   "The evening before Rust Nation UK: a reception with the Rust Foundation.", Cal(link="a"))
ev(("480",), "rust-trondheim", "290889889", "Rust New Year's Resolution Bug Hunt", "2023-02-15 17:00", 180, "trondheim",
   "Let's fix bugs in open-source Rust projects together.")
ev(("480",), "rust-london-user-group", "291297886", "Post-Conference Rust in Enterprise Brunch Hosted at Red Badger", "2023-02-18 10:30", 180, "london-rb",
   "Brunch after Rust Nation UK, about Rust in the enterprise.", Cal(link="wrap"))
ev(("480",), "rust-zurich", "290915075", "Practical Cryptography - February Meetup (Registration opens 7 Feb 2023)", "2023-02-21 18:00", 150, "zurich",
   "Practical cryptography in Rust.", Cal(link="de"))
ev(("480",), "copenhagen-rust-community", "291288154", "Rust metup #33", "2023-02-23 18:00", 180, "cph", "Rust meetup #33 at Trifork.")
ev(("480",), "rust-study-group", "291190532", "Rust Study Group at Hacker Dojo", "2023-02-09 18:30", 120, "mv",
   "Rust study group at Hacker Dojo.", Cal(link="a", loc="Hacker Dojo, 855 Maude Ave, Mountain View, CA 94043, USA"))
ev(("480",), "rust-nyc", "291239545", "A Night of Interop: Rust in React Native & Rust in Golang (two talks)", "2023-02-09 19:00", 150, "nyc",
   "Two talks on interop: Rust in React Native, and Rust in Go.", Cal(link="wrap_utm"))
ev(("480",), "minneapolis-rust-meetup", "291299604", "Happy Hour and Beginner Embedded Rust Hacking Session (#3!)", "2023-02-13 17:30", 150, "mpls",
   "Happy hour, then embedded Rust hacking for beginners.", Cal(link="a", loc="Bauhaus Brew Labs, 1315 Tyler St NE, Minneapolis, MN 55413, USA"))
ev(BOTH, "san-francisco-rust-study-group", "rwvwzsyfcdbcc", "Rust Hacking in Person", "2023-02-21 18:00", 150, "sf", "Hack on Rust together, in person.")
ev(BOTH, "utah-rust", "dsbpxsyfcdbfc", "Upcoming Event", "2023-02-23 19:00", 120, "lehi", "Details to come.",
   Cal(link="a", loc="Podium, 1650 W Digital Dr, Lehi, UT 84043, USA", snaps=("480",)))
ev(("480",), "rust-canberra", "291278417", "February Meetup", "2023-02-28 18:00", 120, "cbr", "Canberra Rust User Group, February.", Cal(link="a"))
ev(("480",), "rust-sydney", "291265163", "🦀 Lightning Talks - We are back!", "2023-03-01 18:00", 150, "syd",
   "Lightning talks, and we are back!", Cal(link="a", alarm=True))

# ---- noise: beyond the windows, cancelled, traps
ev(BOTH, "Dallas-Rust", "vndgwsyfcfbsb", "Second Tuesday", "2023-03-14 19:00", 120, ONLINE, "Dallas Rust second Tuesday meetup, online.")
ev(BOTH, "rust-noris", "hlvbvsyfcfbmb", "Rust Nürnberg online", "2023-03-09 18:30", 120, ONLINE, "Rust Nürnberg trifft sich online.")
ev(BOTH, "vancouver-rust", "tqvhxsyfcfbtb", "Rust Study/Hack/Hang-out", "2023-03-15 18:00", 120, ONLINE, "Study, hack or hang out with Vancouver Rust.")
ev(BOTH, "rustdc", "vdhxgsyfcfbcc", "Rust+Tell Lightning Talks", "2023-03-21 18:00", 120, ONLINE, "Lightning talks, online.")
ev(("480",), "boulder-elixir-rust", "zvxcsryfcfblb", "Monthly Meetup", "2023-03-08 18:00", 120, ONLINE, "Monthly meetup of the Boulder Elixir and Rust group.")
ev(("480",), "buffalo-rust-meetup", "lsjbbtyfcfbkb", "Buffalo Rust User Group, First Tuesdays", "2023-03-07 19:00", 60, ONLINE,
   "Monthly get-together of Rustaceans in and around Buffalo, online.")
ev(("480",), "rust-and-c-plus-plus-in-cardiff", "291354288", "Injecting Rust Hooks into a 1999 game binary (unsafe)", "2023-03-15 19:00", 120, ONLINE,
   "Reverse engineering an old game and hooking it with Rust.")
ev(("480",), "kansai-rust", "291614614", "Fn vs FnMut vs FnOnce", "2023-03-04 15:00", 120, "kyoto", "Closures and their traits.")
ev(("480",), "rust-and-c-plus-plus-in-cardiff", "291892487", "Writing your own rust 'book' with mdBook", "2023-03-29 19:00", 120, ONLINE, "mdBook.")
ev(("480",), "rust-study-group", "291612220", "Rust Study Group at Hacker Dojo", "2023-03-09 18:30", 120, "mv", "Rust study group at Hacker Dojo.")
ev(("480",), "microsoft-reactor-redmond", "291676352", "Crack code interview problems in Rust: S2 Ep1", "2023-03-14 09:00", 60, ONLINE, CRACK_DESC, secs=True)
# non-Rust events on "maybe" groups (the keyword filter drops them)
ev(BOTH, "microsoft-reactor-san-francisco", "290388194", "Build intelligent apps with Azure OpenAI", "2023-01-24 10:00", 60, ONLINE,
   "Learn to build intelligent applications with Azure OpenAI Service.", secs=True)
ev(BOTH, "microsoft-reactor-new-york", "290388311", "Python for Beginners: Data types and loops", "2023-01-25 12:00", 60, ONLINE,
   "Episode 3 of the Python for Beginners series.", secs=True)
ev(BOTH, "microsoft-reactor-sao-paulo", "290402270", "Introdução ao GitHub Copilot", "2023-01-26 15:00", 60, ONLINE,
   "Conheça o GitHub Copilot.", secs=True)
ev(BOTH, "microsoft-reactor-stockholm", "290188760", "Azure Fundamentals study group", "2023-01-19 17:00", 60, ONLINE,
   "Prepare for AZ-900 together.", secs=True)
ev(BOTH, "microsoft-reactor-redmond", "290409917", "Intro to Power Apps", "2023-02-02 10:00", 60, ONLINE, "Low-code apps with Power Apps.", secs=True)
ev(("480",), "microsoft-reactor-redmond", "291007345", "Learn Live: Build a web app with Blazor", "2023-02-22 10:00", 60, ONLINE,
   "Build your first Blazor web app.", secs=True)
ev(("480",), "java-user-group-hessen-jugh", "290346512", "Spring Boot 3 und Java 17 in der Praxis", "2023-02-09 18:30", 120, ONLINE,
   "Ein Abend zu Spring Boot 3.")
ev(BOTH, "wasm-rust-meetup", "290716341", "WasmEdge Office Hours: Kubernetes integration", "2023-01-24 15:00", 60, ONLINE,
   "Office hours on running WasmEdge workloads with containerd and Kubernetes.")
ev(("480",), "prenzlauer-berg-software-engineers", "291601245", "PBerg engineers #2: Platform teams without the buzzwords", "2023-03-02 19:00", 150, "pberg",
   "Second meetup: platform engineering.")
# cancelled: the calendar still shows it, the event page says EventCancelled
ev(("476",), "rustcologne", "290458712", "Rust Cologne: January Meetup", "2023-01-18 19:00", 120, "cologne",
   "Leider müssen wir das Januar-Treffen absagen.", Cal(link="a"), status="CANCELLED", on_page=False)
ev(("480",), "rust-munich", "291120384", "Rust Munich Meetup #12", "2023-02-22 18:30", 180, "munich",
   "CANCELLED - we will announce a new date soon.", Cal(link="wrap"), status="CANCELLED", on_page=False)
# trap: a US evening on 2023-01-31 is 2023-02-01 in UTC (outside the 480 window by local date)
ev(("480",), "chicago-rust-meetup", "291093702", "Chicago Rust Meetup: January Hack Night", "2023-01-31 19:00", 150, "chicago",
   "Hack night.", Cal(link="a", loc="Braintree, 222 W Merchandise Mart Plaza, Chicago, IL 60654, USA"), on_page=False)
# beyond the 480 window (2023-03-02 in Linz)
ev(("480",), "rust-linz", "291483339", "Rust Meetup Linz - 30th Edition", "2023-03-02 19:00", 150, "linz",
   "30th edition of Rust Linz, online and on-site.", Cal(link="a"), on_page=False)

# --------------------------------------------------------------------------------------------
# Data: calendar-only entries and recurring series
# --------------------------------------------------------------------------------------------


@dataclass
class Series:
    key: str
    summary: str
    tz: str
    start: str  # local "YYYY-MM-DD HH:MM" of the first instance (DTSTART)
    minutes: int
    rrule: str
    desc: str
    loc: str = ""
    exdates: tuple = ()  # local "YYYY-MM-DD HH:MM"
    exdate_snaps: tuple = BOTH
    snaps: tuple = BOTH
    created: str = "20220815T101500Z"
    modified: str = "20221201T080000Z"
    uid_key: str | None = None  # reuse another series' UID (split series)
    uid_suffix: str = ""  # "_R20230201T010000"
    overrides: list = field(default_factory=list)  # (recurrence-id local, new start local, minutes, summary, desc, snaps)


def a(url, text=None, junk=False):
    attrs = ' id="ow%d" __is_owner="true"' % (int(hashlib.md5(url.encode()).hexdigest(), 16) % 900 + 100) if junk else ""
    return '<a href="%s"%s>%s</a>' % (url, attrs, text or url)


SERIES = [
    Series("ots-hack-learn", "Rust Hack and Learn", "Europe/Berlin", "2022-11-08 19:00", 120, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
           "Rust Hack and Learn by OpenTechSchool Berlin.<br>Mentored hacking evening, online.<br><br>"
           + a("https://www.meetup.com/opentechschool-berlin/", junk=True),
           loc="Online", exdates=("2023-01-31 19:00",)),
    Series("dallas-2tu", "Dallas Rust: Second Tuesday", "America/Chicago", "2022-09-13 19:00", 120, "FREQ=MONTHLY;BYDAY=2TU",
           "Dallas Rust meets online on the second Tuesday of the month.<br>"
           + a("https://www.meetup.com/Dallas-Rust/"), loc="Online"),
    # "this and following" split: the old series stops before the 2023-01-31 instance,
    # the new one (UID <old>_R20230201T010000) starts 2023-02-28
    Series("dallas-last", "Dallas Rust: Last Tuesday", "America/Chicago", "2022-09-27 19:00", 120,
           "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20230201T005959Z",
           "Dallas Rust meets online on the last Tuesday of the month.<br>" + a("https://www.meetup.com/Dallas-Rust/"),
           loc="Online", modified="20230103T172233Z"),
    Series("dallas-last-2", "Dallas Rust: Last Tuesday", "America/Chicago", "2023-02-28 19:00", 120, "FREQ=MONTHLY;BYDAY=-1TU",
           "Dallas Rust meets online on the last Tuesday of the month.<br>" + a("https://www.meetup.com/Dallas-Rust/"),
           loc="Online", uid_key="dallas-last", uid_suffix="_R20230201T010000", created="20230103T172233Z", modified="20230103T172233Z"),
    # the 476 draft has no 2023-02-01 Indy.rs entry: that calendar still had the instance deleted
    Series("indy", "Indy.rs - with Social Distancing", "America/Indiana/Indianapolis", "2022-09-07 19:00", 120, "FREQ=MONTHLY;BYDAY=1WE",
           "Indy.rs, online. Details and RSVP: " + a("https://www.meetup.com/indyrs/"),
           loc="Online", exdates=("2023-02-01 19:00",), exdate_snaps=("476",)),
    Series("noris", "Rust Nürnberg online", "Europe/Berlin", "2022-10-13 18:30", 120, "FREQ=MONTHLY;BYDAY=2TH",
           "Rust Nuremberg meets online every second Thursday.&nbsp;" + a("https://www.meetup.com/rust-noris/"), loc="Online"),
    Series("vancouver", "Vancouver Rust: Rust Study/Hack/Hang-out", "America/Vancouver", "2022-10-19 18:00", 120, "FREQ=MONTHLY;BYDAY=3WE",
           "Study, hack or hang out. " + a("https://www.meetup.com/vancouver-rust/"), loc="Online",
           overrides=[("2023-02-15 18:00", "2023-02-15 18:30", 120, "Vancouver Rust: Rust Study/Hack/Hang-out",
                       "Starts half an hour later this month.<br>" + a("https://www.meetup.com/vancouver-rust/events/tqvhxsyfcdbtb/"), ("480",))]),
    # the old Utah Rust series ended in December; its last instance was moved to 2023-01-05
    Series("utah-old", "Utah Rust", "America/Denver", "2022-09-22 19:00", 120, "FREQ=MONTHLY;BYDAY=4TH;UNTIL=20221223T020000Z",
           "Utah Rust monthly meetup. " + a("https://www.meetup.com/utah-rust/"),
           loc="Podium, 1650 W Digital Dr, Lehi, UT 84043, USA",
           overrides=[("2022-12-22 19:00", "2023-01-05 19:00", 120, "Utah Rust: Lightning Talks 'n' Chill (a.k.a. Show & Tell), with Pizza!",
                       "Moved to January! " + a("https://www.meetup.com/utah-rust/events/dsbpxsydcqbdc/"), BOTH)]),
    Series("rustdc", "Rust DC: Mid-month Rustful", "America/New_York", "2022-09-20 18:00", 120, "FREQ=MONTHLY;BYDAY=3TU",
           a("https://www.meetup.com/rustdc/"), loc="Online"),
    Series("boulder", "Boulder Elixir and Rust: Monthly Meetup", "America/Denver", "2022-10-12 18:00", 120, "FREQ=MONTHLY;BYDAY=2WE",
           "Monthly meetup, online.<br>" + a("https://www.meetup.com/boulder-elixir-rust/"), loc=""),
    Series("sf-study", "Rust Hacking in Person", "America/Los_Angeles", "2022-10-18 18:00", 150, "FREQ=MONTHLY;BYDAY=3TU",
           "San Francisco Rust Study Group. " + a("https://www.meetup.com/san-francisco-rust-study-group/"),
           loc="Clever Real Estate, 1 Letterman Dr, San Francisco, CA 94129, USA"),
    Series("gamedev", "Rust GameDev Monthly Meetup", "Europe/London", "2022-09-10 16:00", 120, "FREQ=MONTHLY;BYDAY=2SA",
           "Monthly meetup of the Rust GameDev community (" + a("https://gamedev.rs/") + "), on Discord: "
           + '<a href="https://www.google.com/url?q=https%3A%2F%2Fdiscord.gg%2FyNtPTb2&amp;sa=D&amp;ust=1666661760000000&amp;usg=AOvVaw13uHY9m-8bJJwgeP58VS8l">https://discord.gg/yNtPTb2</a>',
           loc=""),
    # far in the past: a weekly series that ended in 2021
    Series("old-weekly", "Rust Berlin Rust and Tell", "Europe/Berlin", "2021-03-02 19:00", 120, "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20211130T175959Z",
           "Rust and Tell Berlin, online during the pandemic.", loc="Online", created="20210215T120000Z", modified="20211115T093000Z"),
]


@dataclass
class OneOff:
    snaps: tuple
    summary: str
    start: str  # "YYYY-MM-DD HH:MM" local in tz, or "YYYY-MM-DD" for all-day
    end: str  # same form; all-day: inclusive last day (written exclusive)
    tz: str | None
    desc: str
    loc: str = ""
    created: str = "20221110T120000Z"


ONE_OFFS = [
    OneOff(BOTH, "Rust Café Freiburg", "2022-12-29 19:00", "2022-12-29 22:00", "Europe/Berlin",
           "Rust Café by the " + a("https://arso.xyz/", "Arso Collective") + ". Details: " + a("https://tacker.fr/node/10951"),
           "Arso Collective, Freiburg im Breisgau, Germany"),
    OneOff(BOTH, "FOSDEM 2023 Conference: Rust devroom", "2023-02-04", "2023-02-04", None,
           "The Rust devroom at FOSDEM 2023: " + a("https://fosdem.org/2023/schedule/track/rust/"), "ULB Solbosch Campus, Brussels, Belgium"),
    OneOff(BOTH, "Rust Nation '23", "2023-02-16", "2023-02-17", None,
           "<b>Rust Nation UK</b><br>Two days of Rust in London.<br>"
           + '<a href="https://www.google.com/url?q=https://www.rustnationuk.com/&amp;sa=D&amp;source=calendar&amp;usd=2&amp;usg=AOvVaw0TkZqjJ5rP3l1wz2bEJb7x" target="_blank">https://www.rustnationuk.com/</a>',
           "The Brewery, 52 Chiswell St, London EC1Y 4SD, UK"),
    OneOff(("480",), "Rust Lyon meetup #01", "2023-02-02 18:30", "2023-02-02 21:00", "Europe/Paris",
           "Premier meetup Rust à Lyon ! " + a("https://mobilizon.fr/events/b8577678-d072-4d9a-9562-974715f1dfbb"), "Lyon, France",
           created="20230118T091000Z"),
    # far in the past
    OneOff(BOTH, "RustConf 2022", "2022-08-04", "2022-08-05", None, a("https://rustconf.com/"), "Portland, OR, USA", created="20220401T120000Z"),
    OneOff(BOTH, "EuroRust 2022", "2022-10-13", "2022-10-14", None, a("https://eurorust.eu/"), "Berlin, Germany", created="20220601T120000Z"),
]

# --------------------------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------------------------


def det(key, alphabet, n):
    h = hashlib.sha256(key.encode()).digest()
    out = ""
    i = 0
    while len(out) < n:
        out += alphabet[h[i % len(h)] % len(alphabet)]
        i += 1
        if i % len(h) == 0:
            h = hashlib.sha256(h).digest()
    return out


def uid(key):
    return det("uid:" + key, "0123456789abcdefghijklmnopqrstuv", 26) + "@google.com"


def usg(key):
    return "AOvVaw" + det("usg:" + key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 22)


def local_dt(s, tz):
    return datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz))


def ics_utc(dt):
    return dt.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def ics_local(dt):
    return dt.strftime("%Y%m%dT%H%M%S")


def ics_text(s):
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line):
    """Google folds at 75 characters (not octets): first line 75, continuations ' ' + 75."""
    out = [line[:75]]
    rest = line[75:]
    while rest:
        out.append(" " + rest[:75])
        rest = rest[75:]
    return "\r\n".join(out)


def event_tz(e: Ev):
    if e.group.lower() in G:
        return G[e.group.lower()].tz
    return NOT_SOURCES[e.group][5]


def event_url(e: Ev):
    """eventUrl as meetup serves it: lower-case urlname (the group's `urlname` keeps its case)."""
    return "https://www.meetup.com/%s/events/%s/" % (e.group.lower(), e.id)


def event_url_seed(e: Ev):
    """The event URL as the seed prints it (lower-case urlname)."""
    return "https://www.meetup.com/%s/events/%s/" % (e.group.lower(), e.id)


def cal_link(e: Ev, c: Cal):
    """(html, cleaned url) for a calendar description."""
    url = event_url_seed(e)
    k = e.id
    if c.link == "a":
        return a(url), url
    if c.link == "text":
        return url, url
    if c.link == "noslash":
        return a(url.rstrip("/")), url.rstrip("/")
    if c.link == "de":
        u = "https://www.meetup.com/de-DE/%s/events/%s/" % (e.group.lower(), e.id)
        return a(u), u
    if c.link == "wrap":
        w = "https://www.google.com/url?q=%s&amp;sa=D&amp;source=calendar&amp;usd=2&amp;usg=%s" % (url, usg(k))
        return '<a href="%s" target="_blank">%s</a>' % (w, url), url
    if c.link == "wrap_pct":
        w = "https://www.google.com/url?q=%s&amp;sa=D&amp;source=calendar&amp;ust=1672740000000000&amp;usg=%s" % (quote(url, safe=""), usg(k))
        return '<a href="%s" target="_blank">%s</a>' % (w, url), url
    if c.link == "wrap_utm":
        inner = url + "?utm_medium%3Dreferral%26utm_campaign%3Dshare-btn_savedevents_share_modal%26utm_source%3Dlink"
        w = "https://www.google.com/url?q=%s&amp;sa=D&amp;source=calendar&amp;usd=2&amp;usg=%s" % (inner, usg(k))
        shown = url + "?utm_medium=referral&amp;utm_campaign=share-btn_savedevents_share_modal&amp;utm_source=link"
        return '<a href="%s" target="_blank">%s</a>' % (w, shown), url
    raise ValueError(c.link)


def venue_location(e: Ev):
    v = V[e.venue]
    if e.venue == ONLINE:
        return "Online"
    country = {"us": "USA", "de": "Germany", "fr": "France", "nl": "Netherlands", "il": "Israel", "jp": "Japan",
               "gb": "UK", "no": "Norway", "ch": "Switzerland", "dk": "Denmark", "au": "Australia", "at": "Austria"}[v[5]]
    parts = [v[1], v[2], v[3] + (" " + v[4] if v[4] else ""), country]
    return ", ".join(p for p in parts if p)


MEET_BOILER = (
    "\n\n-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\n"
    "Join with Google Meet: https://meet.google.com/%s\n\n"
    "Learn more about Meet at: https://support.google.com/a/users/answer/9282720\n\n"
    "Please do not edit this section.\n"
    "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
)

# VTIMEZONE data (Google writes the 1970 rule form)
US_TZ = {"America/New_York": (-5, "EST", "EDT"), "America/Indiana/Indianapolis": (-5, "EST", "EDT"),
         "America/Chicago": (-6, "CST", "CDT"), "America/Denver": (-7, "MST", "MDT"),
         "America/Los_Angeles": (-8, "PST", "PDT"), "America/Vancouver": (-8, "PST", "PDT")}
EU_TZ = {"Europe/Berlin": (1, "CET", "CEST"), "Europe/Paris": (1, "CET", "CEST"), "Europe/London": (0, "GMT", "BST")}


def off(h):
    return "%s%02d00" % ("-" if h < 0 else "+", abs(h))


def vtimezone(tz):
    if tz in US_TZ:
        s, sn, dn = US_TZ[tz]
        d, dmon, dday, sdate, smon, sday = "19700308T020000", 3, "2SU", "19701101T020000", 11, "1SU"
    else:
        s, sn, dn = EU_TZ[tz]
        d, dmon, dday, sdate, smon, sday = ("19700329T%02d0000" % (s + 1 if s else 1), 3, "-1SU",
                                            "19701025T%02d0000" % (s + 2), 10, "-1SU")
    return [
        "BEGIN:VTIMEZONE", "TZID:" + tz, "X-LIC-LOCATION:" + tz,
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:" + off(s), "TZOFFSETTO:" + off(s + 1), "TZNAME:" + dn, "DTSTART:" + d,
        "RRULE:FREQ=YEARLY;BYMONTH=%d;BYDAY=%s" % (dmon, dday), "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:" + off(s + 1), "TZOFFSETTO:" + off(s), "TZNAME:" + sn, "DTSTART:" + sdate,
        "RRULE:FREQ=YEARLY;BYMONTH=%d;BYDAY=%s" % (smon, sday), "END:STANDARD", "END:VTIMEZONE",
    ]


def vevent(p):
    """p: dict of property -> value (already formatted); emitted in Google's order."""
    order = ["DTSTART", "DTEND", "RRULE", "EXDATE", "DTSTAMP", "UID", "RECURRENCE-ID", "CREATED", "DESCRIPTION",
             "LAST-MODIFIED", "LOCATION", "SEQUENCE", "STATUS", "SUMMARY", "TRANSP", "X-GOOGLE-CONFERENCE"]
    lines = ["BEGIN:VEVENT"]
    for k in order:
        for name, val in p.get(k, []):
            lines.append(fold("%s:%s" % (name, val)))
    if p.get("VALARM"):
        lines += ["BEGIN:VALARM", "ACTION:NONE", "TRIGGER;VALUE=DATE-TIME:19760401T005545Z", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def P(**kw):
    return kw


def calendar(events_lines, tzs, name="Rust Community", desc="Community events in the Rust ecosystem. Ask the Rust Community Team to add yours."):
    head = ["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + name, "X-WR-TIMEZONE:America/Los_Angeles", fold("X-WR-CALDESC:" + ics_text(desc))]
    body = []
    for tz in tzs:
        body += vtimezone(tz)
    return "\r\n".join(head + body + events_lines + ["END:VCALENDAR"]) + "\r\n"


def build_calendar(snap):
    rec = SNAPS[snap]["recorded"]
    stamp = ics_utc(rec)
    blocks = []  # (sort key, lines)
    tzs = []

    def use_tz(tz):
        if tz not in tzs:
            tzs.append(tz)

    # one-offs for meetup events
    for e in EVENTS:
        c = e.cal
        if c is None or snap not in (c.snaps or e.snaps):
            continue
        tz = event_tz(e)
        start = local_dt(e.start, tz) + timedelta(days=c.shift_days)
        end = start + timedelta(minutes=e.minutes)
        link_html, _ = cal_link(e, c)
        title = c.summary or ("%s: %s" % (org_name(e), e.title))
        desc = ics_text(e.desc + "<br><br>" + link_html + c.extra)
        props = P(DTSTART=[("DTSTART", ics_utc(start))], DTEND=[("DTEND", ics_utc(end))], DTSTAMP=[("DTSTAMP", stamp)],
                  UID=[("UID", uid("ev:" + e.id))], CREATED=[("CREATED", ics_utc(start - timedelta(days=20, hours=3, minutes=17)))],
                  DESCRIPTION=[("DESCRIPTION", desc)],
                  **{"LAST-MODIFIED": [("LAST-MODIFIED", ics_utc(min(rec - timedelta(days=2), start - timedelta(days=9))))]},
                  LOCATION=[("LOCATION", ics_text(venue_location(e) if c.loc is None else c.loc))],
                  SEQUENCE=[("SEQUENCE", "1" if c.shift_days else "0")], STATUS=[("STATUS", "CONFIRMED")],
                  SUMMARY=[("SUMMARY", ics_text(title))], TRANSP=[("TRANSP", "OPAQUE")])
        if c.meet:
            code = det("meet:" + e.id, "abcdefghijklmnopqrstuvwxyz", 10)
            code = "%s-%s-%s" % (code[:3], code[3:7], code[7:])
            props["DESCRIPTION"] = [("DESCRIPTION", ics_text(e.desc + "<br><br>" + link_html + MEET_BOILER % code))]
            props["X-GOOGLE-CONFERENCE"] = [("X-GOOGLE-CONFERENCE", "https://meet.google.com/" + code)]
        if c.alarm:
            props["VALARM"] = True
        blocks.append((e.id, vevent(props)))
        if c.dup:
            # a second editor added the same event again, with a plain link
            p2 = dict(props)
            p2["UID"] = [("UID", uid("dup:" + e.id))]
            p2["DESCRIPTION"] = [("DESCRIPTION", ics_text(a(event_url_seed(e))))]
            p2["SUMMARY"] = [("SUMMARY", ics_text(e.title))]
            blocks.append((e.id + "~dup", vevent(p2)))

    for o in ONE_OFFS:
        if snap not in o.snaps:
            continue
        if o.tz is None:
            d0 = datetime.strptime(o.start, "%Y-%m-%d").date()
            d1 = datetime.strptime(o.end, "%Y-%m-%d").date() + timedelta(days=1)
            dts = [("DTSTART;VALUE=DATE", d0.strftime("%Y%m%d"))]
            dte = [("DTEND;VALUE=DATE", d1.strftime("%Y%m%d"))]
            transp = "TRANSPARENT"
        else:
            dts = [("DTSTART", ics_utc(local_dt(o.start, o.tz)))]
            dte = [("DTEND", ics_utc(local_dt(o.end, o.tz)))]
            transp = "OPAQUE"
        props = P(DTSTART=dts, DTEND=dte, DTSTAMP=[("DTSTAMP", stamp)], UID=[("UID", uid("oneoff:" + o.summary))],
                  CREATED=[("CREATED", o.created)], DESCRIPTION=[("DESCRIPTION", ics_text(o.desc))],
                  **{"LAST-MODIFIED": [("LAST-MODIFIED", o.created)]}, LOCATION=[("LOCATION", ics_text(o.loc))],
                  SEQUENCE=[("SEQUENCE", "0")], STATUS=[("STATUS", "CONFIRMED")], SUMMARY=[("SUMMARY", ics_text(o.summary))],
                  TRANSP=[("TRANSP", transp)])
        blocks.append(("oneoff:" + o.summary, vevent(props)))

    for s in SERIES:
        if snap not in s.snaps:
            continue
        use_tz(s.tz)
        the_uid = uid("series:" + (s.uid_key or s.key)).replace("@google.com", s.uid_suffix + "@google.com")
        start = local_dt(s.start, s.tz)
        lines = []
        for rid, new_start, minutes, summary, desc, osnaps in s.overrides:
            if snap not in osnaps:
                continue
            ns = local_dt(new_start, s.tz)
            lines += vevent(P(DTSTART=[("DTSTART;TZID=" + s.tz, ics_local(ns))],
                              DTEND=[("DTEND;TZID=" + s.tz, ics_local(ns + timedelta(minutes=minutes)))],
                              DTSTAMP=[("DTSTAMP", stamp)], UID=[("UID", the_uid)],
                              **{"RECURRENCE-ID": [("RECURRENCE-ID;TZID=" + s.tz, ics_local(local_dt(rid, s.tz)))]},
                              CREATED=[("CREATED", s.created)], DESCRIPTION=[("DESCRIPTION", ics_text(desc))],
                              **{"LAST-MODIFIED": [("LAST-MODIFIED", "20221215T193012Z")]},
                              LOCATION=[("LOCATION", ics_text(s.loc))], SEQUENCE=[("SEQUENCE", "2")],
                              STATUS=[("STATUS", "CONFIRMED")], SUMMARY=[("SUMMARY", ics_text(summary))],
                              TRANSP=[("TRANSP", "OPAQUE")]))
        ex = [("EXDATE;TZID=" + s.tz, ics_local(local_dt(x, s.tz))) for x in s.exdates] if snap in s.exdate_snaps else []
        lines += vevent(P(DTSTART=[("DTSTART;TZID=" + s.tz, ics_local(start))],
                          DTEND=[("DTEND;TZID=" + s.tz, ics_local(start + timedelta(minutes=s.minutes)))],
                          RRULE=[("RRULE", s.rrule)], EXDATE=ex, DTSTAMP=[("DTSTAMP", stamp)], UID=[("UID", the_uid)],
                          CREATED=[("CREATED", s.created)], DESCRIPTION=[("DESCRIPTION", ics_text(s.desc))],
                          **{"LAST-MODIFIED": [("LAST-MODIFIED", s.modified)]}, LOCATION=[("LOCATION", ics_text(s.loc))],
                          SEQUENCE=[("SEQUENCE", "0")], STATUS=[("STATUS", "CONFIRMED")], SUMMARY=[("SUMMARY", ics_text(s.summary))],
                          TRANSP=[("TRANSP", "OPAQUE")]))
        blocks.append(("series:" + s.key, lines))

    # Google's order looks random: order by UID
    blocks.sort(key=lambda b: uid(b[0]))
    out = []
    for _, lines in blocks:
        out += lines
    return calendar(out, tzs)


def org_name(e: Ev):
    if e.group.lower() in G:
        return G[e.group.lower()].name
    return NOT_SOURCES[e.group][1]


# --------------------------------------------------------------------------------------------
# meetup.com pages
# --------------------------------------------------------------------------------------------


def next_json(obj):
    """JSON as Next.js embeds it in __NEXT_DATA__ (HTML-sensitive characters escaped)."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def iso_local(e: Ev, tz=None):
    dt = local_dt(e.start, tz or event_tz(e))
    fmt = "%Y-%m-%dT%H:%M:%S" if e.secs else "%Y-%m-%dT%H:%M"
    o = dt.strftime("%z")
    return dt.strftime(fmt) + o[:3] + ":" + o[3:], dt


def iso_end(e: Ev):
    dt = local_dt(e.start, event_tz(e)) + timedelta(minutes=e.minutes)
    fmt = "%Y-%m-%dT%H:%M:%S" if e.secs else "%Y-%m-%dT%H:%M"
    o = dt.strftime("%z")
    return dt.strftime(fmt) + o[:3] + ":" + o[3:]


def venue_obj(key):
    vid, name, addr, city, state, country, lat, lon = V[key]
    return {"__typename": "Venue", "id": vid, "name": name, "address": addr, "city": city, "state": state,
            "country": country, "lat": lat, "lon": lon}


def group_info(urlname):
    if urlname.lower() in G:
        g = G[urlname.lower()]
        return {"__typename": "Group", "id": g.id, "name": g.name, "urlname": g.urlname, "city": g.city, "state": g.state,
                "country": g.country, "timezone": g.tz, "isPrivate": False, "link": "https://www.meetup.com/%s/" % g.urlname}
    gid, name, city, state, country, tz = NOT_SOURCES[urlname]
    return {"__typename": "Group", "id": gid, "name": name, "urlname": urlname, "city": city, "state": state,
            "country": country, "timezone": tz, "isPrivate": False, "link": "https://www.meetup.com/%s/" % urlname}


def jsonld_event(e: Ev, with_status=True):
    start, _ = iso_local(e)
    v = V[e.venue]
    if e.venue == ONLINE:
        loc = {"@type": "VirtualLocation", "url": event_url_seed(e)}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        loc = {"@type": "Place", "name": v[1], "address": {"@type": "PostalAddress", "addressLocality": v[3],
               "addressRegion": v[4], "addressCountry": v[5], "streetAddress": v[2]},
               "geo": {"@type": "GeoCoordinates", "latitude": v[6], "longitude": v[7]}}
        mode = "https://schema.org/OfflineEventAttendanceMode"
    gi = group_info(e.group)
    d = {"@context": "https://schema.org", "@type": e.jsonld_type, "name": e.title, "url": event_url_seed(e),
         "description": e.desc, "startDate": start, "endDate": iso_end(e), "location": loc,
         "organizer": {"@type": "Organization", "name": gi["name"], "url": gi["link"]}}
    if with_status:
        d["eventStatus"] = "https://schema.org/EventCancelled" if e.status == "CANCELLED" else "https://schema.org/EventScheduled"
        d["eventAttendanceMode"] = mode
    return d


def page(title, head_extra, next_data, body_text):
    return (
        '<!DOCTYPE html><html lang="en-US"><head><meta charSet="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        "<title>%s</title>"
        '<link rel="preload" href="https://www.meetup.com/mu_static/en-US/_next/static/css/4d3b4ea0c7e9f1a2.css" as="style"/>'
        "%s"
        '<script src="https://www.meetup.com/mu_static/en-US/_next/static/chunks/webpack-7a3f2c1d2b5e8f90.js" defer=""></script>'
        "</head><body><div id=\"__next\"><div class=\"flex min-h-screen flex-col\">%s</div></div>"
        '<script id="__NEXT_DATA__" type="application/json">%s</script>'
        "</body></html>\n"
    ) % (html.escape(title), head_extra, body_text, next_json(next_data))


def ldscript(obj):
    return '<script type="application/ld+json">%s</script>' % json.dumps(obj, ensure_ascii=False)


BUILD_ID = "_o5UjKd2rWnl1Fv3zWq9x"


def group_page(g: Group, snap):
    rec = SNAPS[snap]["recorded"]
    apollo = {}
    gkey = "Group:" + g.id
    apollo[gkey] = group_info(g.urlname)
    refs = []
    shown = []
    for e in EVENTS:
        if e.group.lower() != g.urlname.lower() or snap not in e.snaps or not e.on_page:
            continue
        start, dt = iso_local(e)
        if dt < rec:
            continue
        shown.append(e)
    shown.sort(key=lambda e: iso_local(e)[1])
    for e in shown:
        start, _ = iso_local(e)
        vkey = "Venue:" + V[e.venue][0]
        apollo[vkey] = venue_obj(e.venue)
        obj = {"__typename": "Event", "id": e.id, "title": e.title, "eventUrl": event_url(e), "description": e.desc,
               "dateTime": start, "endTime": iso_end(e), "eventType": "ONLINE" if e.venue == ONLINE else "PHYSICAL",
               "isOnline": e.venue == ONLINE, "venue": {"__ref": vkey}, "group": {"__ref": gkey},
               "going": 10 + int(e.id[-2:], 36) % 40}
        if e.secs:
            obj["status"] = e.status
        apollo["Event:" + e.id] = obj
        refs.append({"__ref": "Event:" + e.id})
    # a partial reference, as the Apollo cache holds for events linked from elsewhere on the page
    apollo["Event:%s" % det("partial:" + g.urlname, "123456789", 9)] = {"__typename": "Event", "id": det("partial:" + g.urlname, "123456789", 9),
                                                                         "title": "Past event", "eventUrl": None}
    apollo["ROOT_QUERY"] = {"__typename": "Query",
                            'groupByUrlname({"urlname":"%s"})' % g.urlname: {"__ref": gkey}}
    apollo[gkey]["upcomingEvents({\"first\":20})"] = {"__typename": "GroupUpcomingEventsConnection", "count": len(refs),
                                                       "edges": [{"__typename": "GroupUpcomingEventEdge", "node": r} for r in refs]}
    data = {"props": {"pageProps": {"__APOLLO_STATE__": apollo, "groupUrlname": g.urlname, "_sentryTraceData": "",
                                    "isMobile": False}, "__N_SSP": True},
            "page": "/[urlname]/events", "query": {"urlname": g.urlname}, "buildId": BUILD_ID, "assetPrefix": "https://www.meetup.com/mu_static/en-US",
            "isFallback": False, "gssp": True, "locale": "en-US", "locales": ["en-US", "de-DE", "fr-FR"], "defaultLocale": "en-US",
            "scriptLoader": []}
    ld = [{"@context": "https://schema.org", "@type": "Organization", "name": g.name, "url": "https://www.meetup.com/%s/" % g.urlname,
           "location": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": g.city,
                                                      "addressRegion": g.state, "addressCountry": g.country}}}]
    events_ld = [jsonld_event(e, with_status=False) for e in shown]
    head = ldscript(ld) + (ldscript(events_ld) if events_ld else "")
    body = "<main><h1>%s</h1><ul>%s</ul></main>" % (html.escape(g.name), "".join(
        "<li><a href=\"%s\">%s</a></li>" % (html.escape(event_url(e)), html.escape(e.title)) for e in shown))
    return page("Events | %s | Meetup" % g.name, head, data, body)


def event_page(e: Ev, url, snap):
    gi = group_info(e.group)
    start, _ = iso_local(e)
    tz = event_tz(e)
    venue = None if e.venue == ONLINE else {k: v for k, v in venue_obj(e.venue).items() if k != "__typename"}
    ev_obj = {"id": e.id, "title": e.title, "description": e.desc, "dateTime": start, "endTime": iso_end(e), "timezone": tz,
              "eventUrl": event_url(e), "isOnline": e.venue == ONLINE, "eventType": "ONLINE" if e.venue == ONLINE else "PHYSICAL",
              "status": e.status, "venue": venue,
              "group": {k: v for k, v in gi.items() if k != "__typename"},
              "eventHosts": [{"memberId": int(det("host:" + e.group, "123456789", 9)), "name": det("hn:" + e.group, "ABCDEFGHIJKLMNOPRSTW", 1) + "."}],
              "rsvpSettings": {"rsvpsClosed": e.status == "CANCELLED"}}
    data = {"props": {"pageProps": {"event": ev_obj, "eventId": e.id, "groupUrlname": e.group, "isMobile": False}, "__N_SSP": True},
            "page": "/[urlname]/events/[eventId]", "query": {"urlname": e.group, "eventId": e.id}, "buildId": BUILD_ID,
            "assetPrefix": "https://www.meetup.com/mu_static/en-US", "isFallback": False, "gssp": True, "locale": "en-US",
            "locales": ["en-US", "de-DE", "fr-FR"], "defaultLocale": "en-US", "scriptLoader": []}
    # Some pages carry no eventStatus/eventAttendanceMode in their JSON-LD (both forms are seen)
    with_status = e.status == "CANCELLED" or int(e.id[-1], 36) % 3 != 0
    head = ldscript(jsonld_event(e, with_status=with_status))
    body = "<main><h1>%s</h1>%s</main>" % (html.escape(e.title), "<p>Cancelled</p>" if e.status == "CANCELLED" else "")
    return page("%s, %s | Meetup" % (e.title, local_dt(e.start, tz).strftime("%a, %b %-d, %Y, %-I:%M %p")), head, data, body)


# --------------------------------------------------------------------------------------------
# JSON-LD pages (not meetup)
# --------------------------------------------------------------------------------------------

RUST_NATION_URL = "https://www.rustnationuk.com/"
LYON_URL = "https://mobilizon.fr/events/b8577678-d072-4d9a-9562-974715f1dfbb"


def rust_nation_page():
    ld = {"@context": "https://schema.org", "@type": "Event", "name": "Rust Nation UK 2023",
          "description": "Rust Nation UK: the UK's first dedicated Rust conference. Two days of talks and workshops.",
          "startDate": "2023-02-16", "endDate": "2023-02-17", "eventStatus": "https://schema.org/EventScheduled",
          "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode", "url": RUST_NATION_URL,
          "location": {"@type": "Place", "name": "The Brewery",
                       "address": {"@type": "PostalAddress", "streetAddress": "52 Chiswell Street", "addressLocality": "London",
                                   "postalCode": "EC1Y 4SD", "addressCountry": "GB"}},
          "organizer": {"@type": "Organization", "name": "Rust Nation UK", "url": RUST_NATION_URL},
          "offers": {"@type": "Offer", "url": "https://www.rustnationuk.com/tickets", "priceCurrency": "GBP", "price": "295",
                     "availability": "https://schema.org/InStock", "validFrom": "2022-10-01"}}
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Rust Nation UK 2023 | 16-17 February, London</title>\n"
            "<meta name=\"description\" content=\"The UK's first dedicated Rust conference. 16-17 February 2023, The Brewery, London.\">\n"
            "<meta property=\"og:title\" content=\"Rust Nation UK\">\n"
            + ldscript(ld) + "\n</head>\n<body>\n<header><h1>Rust Nation UK</h1><p>16 &amp; 17 February 2023 &middot; The Brewery, London</p></header>\n"
            "<main><section id=\"speakers\"><h2>Speakers</h2></section><section id=\"tickets\"><a href=\"/tickets\">Get tickets</a></section></main>\n"
            "</body>\n</html>\n")


def lyon_page():
    ld = {"@context": "https://schema.org", "@type": "Event", "name": "Rust Lyon meetup #01",
          "description": "<p>Premier meetup de la communauté Rust à Lyon !</p>",
          "startDate": "2023-02-02T18:30:00+01:00", "endDate": "2023-02-02T21:00:00+01:00",
          "eventStatus": "https://schema.org/EventScheduled", "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
          "url": LYON_URL, "image": ["https://mobilizon.fr/media/4b1c1e1f0d6a.png"],
          "organizer": {"@type": "Person", "name": "Rust Lyon", "url": "https://mobilizon.fr/@rust_lyon"},
          "location": {"@type": "Place", "name": "La Cordée Valmy",
                       "address": {"@type": "PostalAddress", "streetAddress": "7 Place Valmy", "addressLocality": "Lyon",
                                   "postalCode": "69009", "addressRegion": "Auvergne-Rhône-Alpes", "addressCountry": "France"},
                       "geo": {"@type": "GeoCoordinates", "latitude": 45.7745, "longitude": 4.8056}}}
    return ('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1.0">\n'
            '<title>Rust Lyon meetup #01 - Mobilizon</title>\n'
            '<meta property="og:title" content="Rust Lyon meetup #01">\n<meta property="og:url" content="%s">\n'
            '<meta property="og:type" content="website">\n<link rel="alternate" type="application/activity+json" href="%s">\n'
            '%s\n<script type="module" crossorigin src="/assets/index-2f6c7e1b.js"></script>\n</head>\n'
            '<body>\n<noscript><strong>We\'re sorry but Mobilizon doesn\'t work properly without JavaScript enabled. Please enable it to continue.</strong></noscript>\n'
            '<div id="app"></div>\n</body>\n</html>\n') % (LYON_URL, LYON_URL, ldscript(ld))


# --------------------------------------------------------------------------------------------
# Snapshot assembly
# --------------------------------------------------------------------------------------------


def slug(url):
    path = url.split("://", 1)[1].split("/", 1)[1] if "/" in url.split("://", 1)[1] else ""
    path = re.sub(r"\.ics$", "", path)
    s = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-").lower()
    return s or "index"


class Snapshot:
    def __init__(self, dir_name, recorded):
        self.dir = os.path.join(OUT, dir_name)
        self.recorded = recorded
        self.responses = []
        self.urls = set()

    def add(self, url, body, content_type, ext):
        if url in self.urls:
            return
        self.urls.add(url)
        host = url.split("/")[2]
        rel = "responses/%s/%s.%s" % (host, slug(url), ext)
        if any(r["file"] == rel for r in self.responses):
            raise SystemExit("two URLs map to %s" % rel)
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(body)
        self.responses.append({"url": url, "status": 200, "content_type": content_type, "file": rel})

    def finish(self, sources_toml):
        with open(os.path.join(self.dir, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump({"recorded_at": self.recorded.isoformat(), "responses": self.responses}, f, indent=2, ensure_ascii=False)
            f.write("\n")
        with open(os.path.join(self.dir, "sources.toml"), "w", encoding="utf-8") as f:
            f.write(sources_toml)


HTML = "text/html; charset=utf-8"
ICS = "text/calendar; charset=UTF-8"


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def sources_toml(snap):
    out = ["# Sources of snapshot %s (seed %s). Generated by tools/snapshots/build.py." % (SNAPS[snap]["dir"], snap), ""]
    out += ["[[source]]", 'kind = "ical"', "url = " + toml_str(CAL_URL), 'name = "Rust Community Calendar"', ""]
    for g in sorted(G.values(), key=lambda g: g.urlname.lower()):
        if snap not in g.snaps:
            continue
        out += ["[[source]]", 'kind = "meetup"', "url = " + toml_str("https://www.meetup.com/%s/" % g.urlname),
                "name = " + toml_str(g.name)]
        if g.keywords:
            out.append("keywords = [%s]" % ", ".join(toml_str(k) for k in g.keywords))
        out.append("")
    out += ["[[source]]", 'kind = "jsonld"', "url = " + toml_str(RUST_NATION_URL), 'name = "Rust Nation UK"', 'home = "London, UK"', ""]
    if snap == "480":
        out += ["[[source]]", 'kind = "jsonld"', "url = " + toml_str(LYON_URL), 'name = "Rust Lyon"', 'home = "Lyon, FR"', ""]
    out += ["# Organizers of calendar-only events", ""]
    out += ["[[organizer]]", 'url = "https://discord.gg/yNtPTb2"', 'name = "Rust GameDev"', ""]
    out += ["[[organizer]]", 'url = "https://fosdem.org/"', 'name = "FOSDEM"', 'home = "Brussels, BE"', ""]
    out += ["[[organizer]]", 'url = "https://arso.xyz/"', 'name = "Arso Collective"', 'home = "Freiburg, DE"', ""]
    return "\n".join(out)


def build_snapshot(snap):
    d = os.path.join(OUT, SNAPS[snap]["dir"])
    if os.path.isdir(d):
        shutil.rmtree(d)
    s = Snapshot(SNAPS[snap]["dir"], SNAPS[snap]["recorded"])
    s.add(CAL_URL, build_calendar(snap), ICS, "ics")
    for g in sorted(G.values(), key=lambda g: g.urlname.lower()):
        if snap in g.snaps:
            s.add("https://www.meetup.com/%s/events/" % g.urlname, group_page(g, snap), HTML, "html")
    # event pages for every calendar entry linking a meetup event (at the cleaned URL)
    for e in EVENTS:
        if e.cal and snap in (e.cal.snaps or e.snaps):
            _, url = cal_link(e, e.cal)
            s.add(url, event_page(e, url, snap), HTML, "html")
            if e.cal.dup:
                s.add(event_url_seed(e), event_page(e, event_url_seed(e), snap), HTML, "html")
    for srs in SERIES:
        for _, _, _, _, desc, osnaps in srs.overrides:
            if snap in osnaps and snap in srs.snaps:
                for m in re.finditer(r'href="(https://www\.meetup\.com/([^/]+)/events/([^/]+)/)"', desc):
                    e = next(x for x in EVENTS if x.id == m.group(3))
                    s.add(m.group(1), event_page(e, m.group(1), snap), HTML, "html")
    s.add(RUST_NATION_URL, rust_nation_page(), HTML, "html")
    if snap == "480":
        s.add(LYON_URL, lyon_page(), HTML, "html")
    s.finish(sources_toml(snap))


# --------------------------------------------------------------------------------------------
# The minimal snapshot: only the calendar feed
# --------------------------------------------------------------------------------------------


def build_minimal():
    d = os.path.join(OUT, "minimal")
    if os.path.isdir(d):
        shutil.rmtree(d)
    rec = datetime(2023, 2, 1, 9, 0, tzinfo=timezone.utc)
    stamp = ics_utc(rec)
    blocks = []
    base = dict(DTSTAMP=[("DTSTAMP", stamp)], SEQUENCE=[("SEQUENCE", "0")], STATUS=[("STATUS", "CONFIRMED")])

    def ev_lines(key, **kw):
        p = dict(base)
        p["UID"] = [("UID", kw.pop("uid", uid("min:" + key)))]
        p.update(kw)
        return vevent(p)

    # 1. one-off US evening event, written in UTC: 2023-02-09 19:00 EST = 2023-02-10T00:00Z
    blocks += ev_lines("nyc", DTSTART=[("DTSTART", "20230210T000000Z")], DTEND=[("DTEND", "20230210T023000Z")],
                       CREATED=[("CREATED", "20230118T151200Z")],
                       DESCRIPTION=[("DESCRIPTION", ics_text("Two talks on interop.<br>" + a("https://rust-nyc.example.org/2023-02", junk=True)))],
                       **{"LAST-MODIFIED": [("LAST-MODIFIED", "20230118T151200Z")]},
                       LOCATION=[("LOCATION", ics_text("Warp, 632 Broadway, New York, NY 10012, USA"))],
                       SUMMARY=[("SUMMARY", "Rust NYC: A Night of Interop")], TRANSP=[("TRANSP", "OPAQUE")])
    # 2. weekly series in Europe/Berlin, one instance deleted (EXDATE), one cancelled (override), one moved
    sid = uid("min:weekly")
    tz = "Europe/Berlin"
    blocks += ev_lines("weekly-moved", uid=sid, DTSTART=[("DTSTART;TZID=" + tz, "20230222T190000")], DTEND=[("DTEND;TZID=" + tz, "20230222T210000")],
                       **{"RECURRENCE-ID": [("RECURRENCE-ID;TZID=" + tz, "20230221T190000")],
                          "LAST-MODIFIED": [("LAST-MODIFIED", "20230130T101010Z")]},
                       CREATED=[("CREATED", "20221020T080000Z")],
                       DESCRIPTION=[("DESCRIPTION", ics_text("Moved to Wednesday this week. " + a("https://hackandlearn.example.org/")))],
                       LOCATION=[("LOCATION", "Online")], SUMMARY=[("SUMMARY", "Rust Hack and Learn")], TRANSP=[("TRANSP", "OPAQUE")])
    blocks += ev_lines("weekly-cancelled", uid=sid, DTSTART=[("DTSTART;TZID=" + tz, "20230214T190000")], DTEND=[("DTEND;TZID=" + tz, "20230214T210000")],
                       **{"RECURRENCE-ID": [("RECURRENCE-ID;TZID=" + tz, "20230214T190000")],
                          "LAST-MODIFIED": [("LAST-MODIFIED", "20230130T101010Z")]},
                       CREATED=[("CREATED", "20221020T080000Z")], DESCRIPTION=[("DESCRIPTION", "")],
                       LOCATION=[("LOCATION", "Online")], STATUS=[("STATUS", "CANCELLED")],
                       SUMMARY=[("SUMMARY", "Rust Hack and Learn")], TRANSP=[("TRANSP", "OPAQUE")])
    blocks += ev_lines("weekly", uid=sid, DTSTART=[("DTSTART;TZID=" + tz, "20221101T190000")], DTEND=[("DTEND;TZID=" + tz, "20221101T210000")],
                       RRULE=[("RRULE", "FREQ=WEEKLY;BYDAY=TU")], EXDATE=[("EXDATE;TZID=" + tz, "20230207T190000")],
                       CREATED=[("CREATED", "20221020T080000Z")],
                       DESCRIPTION=[("DESCRIPTION", ics_text("Weekly Rust Hack and Learn, online. " + a("https://hackandlearn.example.org/")))],
                       **{"LAST-MODIFIED": [("LAST-MODIFIED", "20230130T101010Z")]},
                       LOCATION=[("LOCATION", "Online")], SUMMARY=[("SUMMARY", "Rust Hack and Learn")], TRANSP=[("TRANSP", "OPAQUE")])
    # 3. two-day all-day event, exclusive DTEND
    blocks += ev_lines("nation", DTSTART=[("DTSTART;VALUE=DATE", "20230216")], DTEND=[("DTEND;VALUE=DATE", "20230218")],
                       CREATED=[("CREATED", "20221101T120000Z")],
                       DESCRIPTION=[("DESCRIPTION", ics_text("<b>Rust Nation UK</b><br>" + a("https://www.rustnationuk.com/")))],
                       **{"LAST-MODIFIED": [("LAST-MODIFIED", "20221101T120000Z")]},
                       LOCATION=[("LOCATION", ics_text("The Brewery, 52 Chiswell St, London EC1Y 4SD, UK"))],
                       SUMMARY=[("SUMMARY", "Rust Nation '23")], TRANSP=[("TRANSP", "TRANSPARENT")])
    # 4. a European one-off, UTC
    blocks += ev_lines("zurich", DTSTART=[("DTSTART", "20230221T170000Z")], DTEND=[("DTEND", "20230221T193000Z")],
                       CREATED=[("CREATED", "20230125T081500Z")],
                       DESCRIPTION=[("DESCRIPTION", ics_text("Practical cryptography. " + a(
                           "https://www.google.com/url?q=https://rust-zurich.example.org/2023-02/&amp;sa=D&amp;source=calendar&amp;usd=2&amp;usg=" + usg("min-zh"))))],
                       **{"LAST-MODIFIED": [("LAST-MODIFIED", "20230125T081500Z")]},
                       LOCATION=[("LOCATION", ics_text("Sihlquai 131, 8005 Zürich, Switzerland"))],
                       SUMMARY=[("SUMMARY", "Rust Zurich: Practical Cryptography")], TRANSP=[("TRANSP", "OPAQUE")])
    # 5. online event of a calendar-only organizer (see [[organizer]])
    blocks += ev_lines("gamedev", DTSTART=[("DTSTART", "20230211T160000Z")], DTEND=[("DTEND", "20230211T180000Z")],
                       CREATED=[("CREATED", "20230105T200000Z")],
                       DESCRIPTION=[("DESCRIPTION", ics_text("Monthly meetup on Discord: " + a("https://discord.gg/yNtPTb2")))],
                       **{"LAST-MODIFIED": [("LAST-MODIFIED", "20230105T200000Z")]},
                       LOCATION=[("LOCATION", "")], SUMMARY=[("SUMMARY", "Rust GameDev Monthly Meetup")], TRANSP=[("TRANSP", "OPAQUE")])
    # 6. far in the past
    blocks += ev_lines("past", DTSTART=[("DTSTART", "20211014T160000Z")], DTEND=[("DTEND", "20211014T180000Z")],
                       CREATED=[("CREATED", "20210901T100000Z")], DESCRIPTION=[("DESCRIPTION", "")],
                       **{"LAST-MODIFIED": [("LAST-MODIFIED", "20210901T100000Z")]},
                       LOCATION=[("LOCATION", "")], SUMMARY=[("SUMMARY", "Rust Online Meetup (2021)")], TRANSP=[("TRANSP", "OPAQUE")])
    s = Snapshot("minimal", rec)
    s.add(CAL_URL, calendar(blocks, ["Europe/Berlin"]), ICS, "ics")
    s.finish("\n".join([
        "# Minimal snapshot: the calendar feed only. Generated by tools/snapshots/build.py.", "",
        "[[source]]", 'kind = "ical"', "url = " + toml_str(CAL_URL), 'name = "Rust Community Calendar"', "",
        "[[organizer]]", 'url = "https://rust-nyc.example.org/"', 'name = "Rust NYC"', 'home = "New York, NY, US"', "",
        "[[organizer]]", 'url = "https://hackandlearn.example.org/"', 'name = "Rust Hack and Learn"', 'home = "Berlin, DE"', "",
        "[[organizer]]", 'url = "https://www.rustnationuk.com/"', 'name = "Rust Nation UK"', 'home = "London, UK"', "",
        "[[organizer]]", 'url = "https://rust-zurich.example.org/"', 'name = "Rust Zurich"', 'home = "Zurich, CH"', "",
        "[[organizer]]", 'url = "https://discord.gg/yNtPTb2"', 'name = "Rust GameDev"', "",
    ]))


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def unfold(text):
    return re.sub(r"\r\n[ \t]", "", text)


def check_dir(d):
    problems = []
    man = json.load(open(os.path.join(d, "manifest.json"), encoding="utf-8"))
    datetime.fromisoformat(man["recorded_at"])
    for r in man["responses"]:
        path = os.path.join(d, r["file"])
        raw = open(path, "rb").read()
        text = raw.decode("utf-8")
        if r["content_type"].startswith("text/calendar"):
            if b"\n" in raw.replace(b"\r\n", b""):
                problems.append("%s: bare LF" % r["file"])
            for ln in text.split("\r\n"):
                if len(ln) > 76 or (len(ln) > 75 and not ln.startswith(" ")):
                    problems.append("%s: line too long: %r" % (r["file"], ln[:40]))
            lines = unfold(text).split("\r\n")
            stack = []
            for ln in lines:
                if ln.startswith("BEGIN:"):
                    stack.append(ln[6:])
                elif ln.startswith("END:"):
                    if not stack or stack.pop() != ln[4:]:
                        problems.append("%s: unbalanced %s" % (r["file"], ln))
            if stack:
                problems.append("%s: unclosed %s" % (r["file"], stack))
            used = set(re.findall(r";TZID=([^:;]+)", "\n".join(lines)))
            declared = set(re.findall(r"^TZID:(.+)$", "\n".join(lines), re.M))
            if used != declared:
                problems.append("%s: TZIDs used %s declared %s" % (r["file"], sorted(used), sorted(declared)))
            for u in re.findall(r"^UID:(.+)$", "\n".join(lines), re.M):
                if not re.fullmatch(r"[0-9a-v]{26}(_R\d{8}T\d{6})?@google\.com", u):
                    problems.append("%s: odd UID %s" % (r["file"], u))
            if len(set(re.findall(r"^DTSTAMP:(.+)$", "\n".join(lines), re.M))) > 1:
                problems.append("%s: DTSTAMP differs between events" % r["file"])
        else:
            for m in re.finditer(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', text, re.S):
                try:
                    json.loads(m.group(1))
                except ValueError as e:
                    problems.append("%s: bad __NEXT_DATA__: %s" % (r["file"], e))
            for m in re.finditer(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
                try:
                    json.loads(m.group(1))
                except ValueError as e:
                    problems.append("%s: bad JSON-LD: %s" % (r["file"], e))
            if "ld+json" not in text:
                problems.append("%s: no JSON-LD" % r["file"])
    return problems, len(man["responses"])


def check_all():
    bad = []
    for name in ("2023-01-04", "2023-02-01", "minimal"):
        p, n = check_dir(os.path.join(OUT, name))
        print("checked snapshots/%s: %d responses, %d problems" % (name, n, len(p)))
        bad += p
    for p in bad:
        print("  " + p)
    return not bad


def main():
    if "--check" not in sys.argv:
        for snap in SNAPS:
            build_snapshot(snap)
        build_minimal()
    sys.exit(0 if check_all() else 1)


if __name__ == "__main__":
    main()
