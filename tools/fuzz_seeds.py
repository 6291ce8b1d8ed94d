#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora: fuzz_seeds.py OUT_DIR (one folder per target).

From the repository: snapshots, page fixtures, sources files, the seeds' blocks, and the
committed regression inputs. From ../shared when present: the real Google Calendar exports cut
into calendars of a few VEVENTs each (small inputs keep the fuzzer fast), and a sample of the
published sections."""
import glob, os, re, sys

out = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.path.join(root, "..", "shared")


def put(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, re.sub(r"[^A-Za-z0-9._-]", "_", name)), "wb") as f:
        f.write(data)


def read(p):
    with open(p, "rb") as f:
        return f.read()


for p in glob.glob(f"{root}/snapshots/*/responses/**/*", recursive=True):
    if os.path.isfile(p):
        data = read(p)
        name = os.path.relpath(p, root)
        if p.endswith(".ics"):
            put("ical", name, data)
        elif b"__NEXT_DATA__" in data and b"meetup" in data:
            put("meetup", name, data[:16384])
        else:
            put("jsonld", name, data[:16384])
for p in glob.glob(f"{root}/tests/fixtures/pages/*.html"):
    put("meetup" if "meetup" in p else "jsonld", os.path.basename(p), read(p))
    if "luma" in p:
        put("luma", os.path.basename(p), read(p))
for p in glob.glob(f"{root}/snapshots/*/responses/**/*", recursive=True) + glob.glob(
    f"{root}/tests/fixtures/luma/*"
):
    if os.path.isfile(p) and ("lu.ma" in p or "luma" in p):
        put("luma", os.path.relpath(p, root), read(p)[:16384])
for p in glob.glob(f"{root}/snapshots/*/manifest.json"):
    put("manifest", os.path.relpath(p, root), read(p))
for p in glob.glob(f"{root}/snapshots/*/sources.toml") + [f"{root}/sources.example.toml"]:
    put("sources_toml", os.path.relpath(p, root), read(p)[:8192])
for p in glob.glob(f"{root}/tests/fixtures/seeds/*.md"):
    put("draft", os.path.basename(p), read(p))

for cal in glob.glob(f"{shared}/data/real-calendars/*.ics"):
    text = read(cal)
    head = text.split(b"BEGIN:VEVENT", 1)[0]
    events = re.findall(rb"BEGIN:VEVENT.*?END:VEVENT\r?\n", text, re.S)
    for i in range(0, min(len(events), 2000), 5):
        body = head + b"".join(events[i : i + 5]) + b"END:VCALENDAR\r\n"
        put("ical", f"{os.path.basename(cal)}-{i}", body[:16384])
for p in sorted(glob.glob(f"{shared}/twir-corpus/*.md"))[::10]:
    put("draft", "corpus-" + os.path.basename(p), read(p)[:8192])
for p in sorted(glob.glob(f"{shared}/seeds/*")):
    if os.path.isfile(p):
        put("draft", "seed-" + os.path.basename(p), read(p)[:8192])
