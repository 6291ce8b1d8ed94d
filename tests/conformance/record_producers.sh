#!/bin/sh
# Records Python's answers (icalendar + recurring-ical-events, through finos_occurrences.py)
# for the producer calendars in tests/fixtures/ical-producers/, one TSV per calendar and
# window: tests/conformance/producers/<calendar>_<FROM>_<TO>.tsv. tests/ical.rs compares.
set -eu
cd "$(dirname "$0")/../.."
fix=tests/fixtures/ical-producers
out=tests/conformance/producers
while read -r name from to; do
  python3 tests/conformance/finos_occurrences.py "$fix/$name.ics" "$from" "$to" \
    > "$out/${name}_${from}_${to}.tsv"
done <<'WINDOWS'
exchange_eastern_standard_time 2024-10-20 2024-11-17
custom_utc_plus_11 2017-02-20 2017-03-20
outlook_windows_zones 2024-09-01 2024-11-30
google_lisbon_declared 2024-10-01 2024-10-29
apple_icloud 2024-09-01 2024-12-31
nextcloud_thisandfuture 2024-09-25 2024-12-31
malformed_lines 2011-08-01 2011-08-15
dst_gap 2024-03-27 2024-04-03
apple_ical_allday_moved 2003-06-01 2003-06-30
exchange_allday_moved 2024-10-01 2024-10-29
ios_structured_location 2025-10-01 2025-10-31
zimbra_two_rrules 2024-10-01 2024-11-30
rrule_junk 2024-09-01 2024-09-29
lotus_notes_zones 2024-10-20 2024-11-17
exchange_customized_zone 2020-06-01 2020-06-30
exchange_customized_zone 2005-01-01 2020-12-31
truncated_berlin 2016-06-01 2016-06-29
truncated_berlin 2018-10-15 2018-11-12
outlook_display_names 2024-10-20 2024-11-17
WINDOWS
