"""What must hold on every machine: file names Windows can hold, and reproducible timestamps."""

from __future__ import annotations

import datetime as dt
import os

# Device names Windows reserves, with or without an extension (a library must check out there).
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}
)


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a naive UTC datetime, or None when it is unset or not a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
