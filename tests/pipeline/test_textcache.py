"""Rendered text kept between runs: no template runs for an unchanged draft, and every kind of
input (clause, deal, playbook, reference .docx, engine version) still changes the next draft."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from generator import cache
from generator.pipeline import blockcache, render, textcache
from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library
from generator.writers.docx.reference import default_reference

RUN = render.run_template


@pytest.fixture()
def rendered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """An empty cache of the test's own; the template sources actually run are listed."""
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path / "own-cache"))
    ran: list[str] = []

    def counting(source: str, *args: Any) -> str:
        ran.append(source)
        return RUN(source, *args)

    monkeypatch.setattr(render, "run_template", counting)
    monkeypatch.setattr(textcache, "_SHARED", textcache.TextCache())
    monkeypatch.setattr(blockcache, "_SHARED", blockcache.BlockCache())
    return ran


def _draft(root: Path, reference: bytes | None = None) -> dict[str, bytes]:
    # As a new process would: nothing in memory, only what the cache folder holds.
    textcache._SHARED = textcache.TextCache()
    blockcache._SHARED = blockcache.BlockCache()
    lib = load_library(root)
    return make_draft(lib, root / "deals/small.yaml", ["md", "docx"], reference=reference).files


def test_an_unchanged_draft_runs_no_template(minilib: Path, rendered: list[str]) -> None:
    first = _draft(minilib)
    assert rendered
    rendered.clear()
    assert _draft(minilib) == first
    assert rendered == []


def test_a_changed_parameter_renders_again(minilib: Path, rendered: list[str]) -> None:
    _draft(minilib)
    deal = minilib / "deals/small.yaml"
    deal.write_text(deal.read_text().replace("cap_percent: 18", "cap_percent: 19"))
    rendered.clear()
    md = _draft(minilib)["small.md"].decode()
    assert "19%" in md or "19 per cent" in md or "nineteen" in md.lower()
    assert any("cap_percent" in src for src in rendered)


def _edit(path: Path, old: str, new: str) -> Callable[[], None]:
    def go() -> None:
        text = path.read_text()
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1))

    return go


@pytest.mark.parametrize("kind", ["clause", "deal", "playbook", "reference", "engine version"])
def test_every_kind_of_input_changes_the_next_draft(
    kind: str, minilib: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _draft(minilib)
    _draft(minilib)  # everything now comes from the cache
    reference = None
    if kind == "clause":
        _edit(minilib / "clauses/core/services.yaml", "The Supplier shall:", "The Supplier must:")()
    elif kind == "deal":
        _edit(minilib / "deals/small.yaml", "Small Services Agreement", "Tiny Services Agreement")()
    elif kind == "playbook":
        _edit(
            minilib / "playbooks/standard.yaml", "Services and Service Levels", "Service Delivery"
        )()
    elif kind == "reference":
        d = docx.Document(io.BytesIO(default_reference()))
        d.styles["Normal"].font.name = "Georgia"
        buf = io.BytesIO()
        d.save(buf)
        reference = buf.getvalue()
    else:
        monkeypatch.setattr(cache, "__version__", "999.0.0")
        monkeypatch.setattr("generator.writers.manifest.__version__", "999.0.0")
    after = _draft(minilib, reference)
    changed = {name for name in before if before[name] != after[name]}
    expected = {"small.docx", "small.manifest.json"}
    if kind in ("clause", "deal", "playbook"):
        expected.add("small.md")
    assert expected <= changed, (kind, changed)
    if kind == "clause":
        assert b"The Supplier must:" in after["small.md"]
    if kind == "deal":
        assert b"Tiny Services Agreement" in after["small.md"]
    if kind == "playbook":
        assert b"SERVICE DELIVERY" in after["small.md"].upper()


def test_engine_key_covers_the_template_code() -> None:
    key = textcache.engine_key()
    files = [
        Path(textcache.__file__).with_name(n)
        for n in ("templates.py", "sandbox.py", "words.py", "render.py", "textcache.py", "kept.py")
    ]
    assert all(f.exists() for f in files)
    assert len(key) == 64 and key != blockcache.engine_key()


def test_an_edited_deal_renders_only_the_templates_that_read_what_changed(
    minilib: Path, rendered: list[str]
) -> None:
    _draft(minilib)
    deal = minilib / "deals/small.yaml"
    deal.write_text(deal.read_text().replace("cap_percent: 18", "cap_percent: 17"))
    rendered.clear()
    md = _draft(minilib)["small.md"].decode()
    assert rendered and all("cap_percent" in src for src in rendered)  # one clause's texts
    assert "17" in md
    _edit(deal, "Small Services Agreement", "Tiny Services Agreement")()
    rendered.clear()
    assert b"Tiny Services Agreement" in _draft(minilib)["small.md"]
    assert all("deal" in src and "title" in src for src in rendered)


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("{{ deal.pricing.model }}", (("governing_law",), ("pricing",), ("pricing", "model"))),
        ("{{ deal['term_months'] }} {{ x }}", (("governing_law",), ("pricing",), ("term_months",))),
        ("{{ deal.delivery[key] }}", (("delivery",), ("governing_law",), ("pricing",))),
        ("{{ n | money }}", (("governing_law",), ("pricing",))),
        ("{{ deal }}", None),
        ("{{ deal[key] }}", None),
        ("{% for k, v in deal.items() %}{{ k }}{% endfor %}", None),
        ("{{ deal.pricing.get('model') }}", None),
        ("{% set deal = {} %}{{ deal }}", None),
        ("{{ deal.", None),  # does not parse: rendered, and failing, every time
    ],
)
def test_deal_reads(source: str, reads: object) -> None:
    assert textcache.deal_reads(source) == reads


def test_filters_that_read_the_context_are_the_known_ones() -> None:
    # A filter that takes the template context may read any deal field: CONTEXT_READS must name
    # what it reads, or an edited deal would be served a stale text.
    from generator.pipeline.templates import shared_env

    env = shared_env()
    takes_context = {
        name
        for name, f in {**env.filters, **env.globals}.items()
        if getattr(f, "jinja_pass_arg", None) is not None
    }
    assert takes_context == {"money", "longdate"}
    assert textcache.CONTEXT_READS == (("pricing",), ("governing_law",))
