"""What kind of document a draft is, as its cover and execution page say it.

The Agreement is "this Agreement"; a Statement of Work drafted under it is "this Statement of
Work" and says on its title page which Agreement it is made under. The kind travels in the
document's settings (``deal["document"]``: ``instrument`` and ``made_under``, set by
pipeline/sowdoc.py); a document without them is an Agreement, worded exactly as before. Both
writers take the wording from here so the Word and Markdown copies never differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _settings(deal: Mapping[str, Any]) -> Mapping[str, Any]:
    return deal.get("document") or {}


def instrument(deal: Mapping[str, Any]) -> str:
    """'Agreement', or 'Statement of Work' for an SOW."""
    return str(_settings(deal).get("instrument") or "Agreement")


def made_under(deal: Mapping[str, Any]) -> str:
    """'Made under the … Agreement dated …' for an SOW's title; '' for the Agreement."""
    return str(_settings(deal).get("made_under") or "")


def attestation(deal: Mapping[str, Any], deed: bool) -> str:
    """The sentence that opens the execution page."""
    kind = instrument(deal)
    if deed:
        return (
            f"This {kind} has been executed as a deed and is delivered and takes effect on the "
            "date stated at the beginning of it."
        )
    return f"This {kind} has been entered into on the date stated at the beginning of it."
