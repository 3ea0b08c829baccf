"""The .docx written from a kept skeleton (no python-docx) is the python-docx path's, byte for
byte, and a skeleton is only ever used for the deal, reference and options it was made for."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.model import Document
from generator.writers.docx import DocxOptions, direct, render_docx, writer
from generator.writers.docx.reference import default_reference
from tests.helpers import document_for

PROPS = (("Clausebook deal", "small"), ("Clausebook inputs sha256", "0" * 64))
OPTS = DocxOptions(properties=PROPS, manifest=b'{"deal": "small"}')


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Any]:
    """Calls of the python-docx path that could keep a skeleton (a cache of this test's own)."""
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    calls: list[Any] = []
    real = writer._with_python_docx

    def spy(*args: Any) -> bytes:
        if args[3]:  # the key: empty when the cache is off
            calls.append(args)
        return real(*args)

    monkeypatch.setattr(writer, "_with_python_docx", spy)
    return calls


def _uncached(doc: Document, opts: DocxOptions, monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as m:
        m.setenv("CLAUSEBOOK_NO_CACHE", "1")
        return render_docx(doc, options=opts)


def test_second_draft_skips_python_docx_and_gives_the_same_bytes(
    minilib: Path, counted: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document_for(minilib, "small-m4.yaml")
    first = render_docx(doc, options=OPTS)
    second = render_docx(doc, options=OPTS)
    assert len(counted) == 1
    assert second == first == _uncached(doc, OPTS, monkeypatch)
    # a changed body, properties' values and manifest: still the skeleton, still the same bytes
    edited = dataclasses.replace(doc, articles=doc.articles[:-1])
    other = dataclasses.replace(
        OPTS,
        properties=(("Clausebook deal", "small"), ("Clausebook inputs sha256", "1" * 64)),
        manifest=b'{"deal": "small", "x": "<&>"}',
        toc_pages=(("_Toc_article_1", 3),),
    )
    assert render_docx(edited, options=other) == _uncached(edited, other, monkeypatch)
    assert len(counted) == 1
    names = zipfile.ZipFile(io.BytesIO(render_docx(edited, options=other))).namelist()
    assert "docProps/custom.xml" in names


def test_an_unchanged_draft_reuses_the_last_package(
    minilib: Path, counted: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document_for(minilib, "small-m4.yaml")
    first = render_docx(doc, options=OPTS)
    render_docx(doc, options=OPTS)  # from the skeleton: kept as the last package
    zipped: list[int] = []
    real = writer.zip_members
    monkeypatch.setattr(writer, "zip_members", lambda m, w: zipped.append(1) or real(m, w))
    assert render_docx(doc, options=OPTS) == first
    assert zipped == []
    other = dataclasses.replace(OPTS, manifest=b'{"deal": "other"}')
    assert render_docx(doc, options=other) == _uncached(doc, other, monkeypatch)
    assert zipped  # another manifest: made again


@pytest.mark.parametrize(
    "change",
    [
        "title",
        "banner",
        "customer",
        "language",
        "reference",
        "update_fields",
        "property names",
        "no manifest",
        "notes",
    ],
)
def test_what_the_other_parts_depend_on_is_in_the_key(
    change: str, minilib: Path, counted: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document_for(minilib, "small-m4.yaml")
    render_docx(doc, options=OPTS)
    opts = OPTS
    if change == "title":
        doc = dataclasses.replace(doc, title="A Different Agreement")
    elif change == "banner":
        doc = dataclasses.replace(doc, draft_banner="DRAFT 9 \u2014 FOR DISCUSSION")
    elif change == "customer":
        deal = dict(doc.deal, customer={**doc.deal["customer"], "name": "Other Customer plc"})
        doc = dataclasses.replace(doc, deal=deal)
    elif change == "language":
        doc = dataclasses.replace(doc, deal=dict(doc.deal, governing_law="new-york"))
    elif change == "reference":
        opts = dataclasses.replace(OPTS, reference=_restyled(default_reference()))
    elif change == "update_fields":
        opts = dataclasses.replace(OPTS, update_fields=True)
    elif change == "property names":
        opts = dataclasses.replace(OPTS, properties=PROPS[:1])
    elif change == "no manifest":
        opts = dataclasses.replace(OPTS, manifest=b"")
    else:
        opts = dataclasses.replace(OPTS, notes=True)
    assert render_docx(doc, options=opts) == _uncached(doc, opts, monkeypatch)
    # a new key: python-docx again, never the first skeleton (a copy with notes keeps none)
    assert len(counted) == (1 if change == "notes" else 2)


def test_a_skeleton_for_another_key_is_never_served(
    minilib: Path, counted: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = document_for(minilib, "small-m4.yaml")
    ref = default_reference()
    key = direct.skeleton_key(doc, ref, False, PROPS, True)
    assert key == direct.skeleton_key(doc, ref, False, PROPS, True)
    renamed = dataclasses.replace(doc, title="Renamed")
    assert direct.skeleton_key(renamed, ref, False, PROPS, True) != key
    monkeypatch.setenv("CLAUSEBOOK_NO_CACHE", "1")
    monkeypatch.setattr(direct, "load", lambda *a: pytest.fail("cache read with the cache off"))
    render_docx(doc, options=OPTS)
    assert counted == []  # no cache: python-docx, keeping nothing


def _restyled(reference: bytes) -> bytes:
    """The default reference with its Normal font size changed."""
    src = zipfile.ZipFile(io.BytesIO(reference))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/styles.xml":
                data = data.replace(b'<w:sz w:val="20"/>', b'<w:sz w:val="22"/>', 1)
            dst.writestr(name, data)
    return out.getvalue()


def test_editing_a_deal_replaces_its_kept_package_instead_of_adding_one(
    minilib: Path, counted: list[Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    doc = document_for(minilib, "small-m4.yaml")
    for name in ("One plc", "Two plc", "Three plc"):
        deal = dict(doc.deal, customer={**doc.deal["customer"], "name": name})
        edited = dataclasses.replace(doc, deal=deal)
        render_docx(edited, options=OPTS)
        assert render_docx(edited, options=OPTS) == _uncached(edited, OPTS, monkeypatch)
    kept = sorted(p.name.split("-")[1] for p in (tmp_path / "cache").glob("docx-*.bin"))
    assert kept == ["last", "skeleton"]
    assert len(counted) == 3  # each edit a new key: python-docx once, then the skeleton
