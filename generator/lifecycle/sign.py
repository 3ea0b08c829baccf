"""Signing a deal: draft it in memory exactly as `clausebook draft` would, then freeze it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Diagnostic
from ..model import Library
from ..pipeline.build import Gate, make_draft
from ..writers.output import atomic_write
from .lock import build_lock, dumps, lock_path


@dataclass(frozen=True)
class SignResult:
    lock: Path
    clauses: int
    written: bool  # False: an identical lock was already there


def sign_deal(
    lib: Library, deal_path: Path, signed_on: dt.date, force: bool, gate: Gate | None = None
) -> SignResult:
    draft = make_draft(lib, deal_path, ["md"], gate=gate)
    name = next(n for n in draft.files if n.endswith(".manifest.json"))
    manifest = json.loads(draft.files[name])
    positions = draft.selection.playbook.positions.positions
    lock = build_lock(draft.document, manifest, draft.deal.data, signed_on, positions)
    data = dumps(lock)
    target = lock_path(deal_path)
    count = len(lock["clauses"])
    if target.is_file() and not target.is_symlink():
        if target.read_bytes() == data:
            return SignResult(target, count, False)
        if not force:
            # A lock records a signature: replacing it silently would rewrite history.
            raise ContentError(
                [
                    Diagnostic(
                        target.as_posix(),
                        1,
                        1,
                        "already-signed",
                        "this deal already has a signed record; amend it with `clausebook "
                        "amend`, or sign again with --force if the earlier record was a mistake",
                    )
                ]
            )
    atomic_write(target, data)
    return SignResult(target, count, True)
