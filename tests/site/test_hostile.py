"""Everything on the site comes from pull requests: markup in clause text, notes, guidance,
summaries, definitions, playbook guidance, deal titles and commit messages must reach the
pages as text, never as markup."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.site.support import hostile_build

OURS = {"assets/site.js", "../assets/site.js", "assets/search.js", "assets/search-index.js"}


class Markup(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            v = (value or "").strip().lower()
            if key.startswith("on") or v.startswith(("javascript:", "data:", "vbscript:")):
                self.bad.append(f"<{tag} {key}={value!r}>")
        if tag == "script" and dict(attrs).get("src") not in OURS:
            self.bad.append(f"<script {attrs}>")
        if tag in ("img", "iframe", "object", "embed", "base"):
            self.bad.append(f"<{tag}>")


@pytest.fixture()
def hostile_site(tmp_path: Path) -> dict[str, str]:
    built = hostile_build(tmp_path)
    return {n: d.decode("utf-8") for n, d in built.files.items() if n.endswith((".html", ".js"))}


def test_no_payload_reaches_any_page_as_markup(hostile_site: dict[str, str]) -> None:
    bad = []
    for name, text in hostile_site.items():
        if name.endswith(".html"):
            p = Markup()
            p.feed(text)
            bad.extend(f"{name}: {b}" for b in p.bad)
    assert bad == []


def test_the_payloads_are_shown_as_text(hostile_site: dict[str, str]) -> None:
    page = hostile_site["clauses/services.html"]
    shown = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert page.count(shown) >= 6  # title, summary, text, notes, guidance, definition, history
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page
    assert "[click me](javascript:alert(3))" in page  # plain text: no link was made
    history = page[page.index('id="history"') :]
    assert f"Services {shown}" in history  # the commit message
    assert shown in hostile_site["deals/small.html"] and shown in hostile_site["index.html"]
    notes = hostile_site["clauses/service-credits.html"]
    notes = notes[notes.index('id="notes"') :]
    assert f"{shown} Ltd" in notes and "[click me](javascript:alert(3))" in notes


def test_the_search_index_cannot_close_a_script_element(hostile_site: dict[str, str]) -> None:
    index = hostile_site["assets/search-index.js"]
    assert "alert(1)" in index and "<" not in index and ">" not in index


def test_templates_never_turn_escaping_off() -> None:
    folder = Path(__file__).resolve().parents[2] / "generator" / "site" / "templates"
    for t in folder.glob("*.html"):
        text = t.read_text()
        assert "|safe" not in text.replace(" ", "") and "autoescape" not in text, t.name
