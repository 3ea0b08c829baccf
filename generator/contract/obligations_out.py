"""The obligations register as CSV, JSON (obligations.schema.json) or iCalendar."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .obligations import Register

COLUMNS = (
    "clause",
    "party",
    "what",
    "when",
    "first_due",
    "recurrence",
    "dates",
    "measure",
    "consequence",
    "parameter",
    "source",
)


def as_data(reg: Register) -> dict[str, Any]:
    return {
        "deal": reg.deal,
        "title": reg.title,
        "effective_date": reg.effective.isoformat(),
        "term_end": reg.end.isoformat(),
        "obligations": [
            {
                "id": o.id,
                "clause": o.clause,
                "clause_id": o.clause_id,
                "party": o.party,
                "what": o.what,
                "when": o.when,
                "dates": [d.isoformat() for d in o.dates],
                "recurrence": o.recurrence,
                "measure": o.measure,
                "consequence": o.consequence,
                "parameter": o.parameter,
                "source": o.source,
            }
            for o in reg.obligations
        ],
    }


def as_json(reg: Register) -> str:
    return json.dumps(as_data(reg), indent=2, ensure_ascii=False) + "\n"


def as_csv(reg: Register) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for o in reg.obligations:
        first = o.dates[0].isoformat() if o.dates else ""
        dates = " ".join(d.isoformat() for d in o.dates)
        w.writerow(
            [
                o.clause,
                o.party,
                o.what,
                o.when,
                first,
                o.recurrence or "",
                dates,
                o.measure,
                o.consequence,
                o.parameter or "",
                o.source,
            ]
        )
    return out.getvalue()


def as_ics(reg: Register) -> bytes:
    """One all-day event per dated obligation; a recurring one carries every further due date
    as RDATE (the business-day offsets are exact dates, which an RRULE cannot express)."""
    import datetime as dt

    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Clausebook//obligations register//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{reg.title or reg.deal}: obligations")
    stamp = dt.datetime.combine(reg.effective, dt.time(0, 0), tzinfo=dt.UTC)
    for o in reg.obligations:
        if not o.dates:
            continue
        ev = Event()
        ev.add("uid", f"{reg.deal}-{o.clause_id}-{o.id}@clausebook")
        ev.add("dtstamp", stamp)  # fixed, so the same deal gives the same file
        ev.add("summary", f"{o.party}: {o.what} ({o.clause})")
        ev.add("dtstart", o.dates[0])
        ev.add("dtend", o.dates[0] + dt.timedelta(days=1))
        ev.add(
            "description",
            "\n".join(
                x
                for x in (
                    f"When: {o.when}",
                    o.measure and f"Measure: {o.measure}",
                    o.consequence and f"Consequence: {o.consequence}",
                    o.parameter and f"Parameter: {o.parameter}",
                    f"Declared at {o.source}",
                )
                if x
            ),
        )
        if len(o.dates) > 1:
            ev.add("rdate", list(o.dates[1:]))
        cal.add_component(ev)
    return bytes(cal.to_ical())
