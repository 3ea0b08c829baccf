from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.model import Para, Table
from generator.pipeline.render import parse_blocks
from generator.pipeline.templates import RenderFailure, run_template
from tests.helpers import document_for, write_deal

HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ 'a{0.__class__}'.format(1) }}",
    "{% set _ = items.append(1) %}",
    "{{ items.clear() }}",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_sandbox_refuses_escapes_and_mutation(source: str) -> None:
    items = [1, 2]
    with pytest.raises(RenderFailure):
        run_template(source, {"items": items})
    assert items == [1, 2]


def test_attr_filter_and_include_are_not_available() -> None:
    with pytest.raises(RenderFailure, match="No filter named 'attr'"):
        run_template("{{ x|attr('__class__') }}", {"x": 1})
    with pytest.raises(RenderFailure, match="not allowed in clause text"):
        run_template("{% include '../../etc/passwd' %}", {})


def test_strict_undefined_and_output_limit() -> None:
    with pytest.raises(RenderFailure, match="'nope' is undefined"):
        run_template("{{ nope }}", {})
    with pytest.raises(RenderFailure, match="exceeds the limit"):
        run_template("{{ 'x' * 2000000 }}", {})
    with pytest.raises(RenderFailure, match="Range too big"):
        run_template("{% for i in range(10**9) %}{% endfor %}", {})


def test_paragraphs_lists_and_tables_become_blocks() -> None:
    text = "Lead in:\n\n1. first;\n   1. nested\n2. second.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n<script>x</script>"
    blocks = parse_blocks(text, {})
    paras = [b for b in blocks if isinstance(b, Para)]
    assert [(p.label, p.list_level) for p in paras] == [
        (None, 0),
        ("(a)", 1),
        ("(i)", 2),
        ("(b)", 1),
        (None, 0),
    ]
    assert paras[-1].runs[0].text == "<script>x</script>"  # raw HTML stays text
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert [c[0].text for c in table.header] == ["A", "B"]


def test_clause_paragraphs_are_numbered_and_refs_resolved(minilib: Path) -> None:
    doc = document_for(minilib, "small-m4.yaml")
    services = doc.articles[1].clauses[0]
    numbers = [b.number for b in services.blocks if isinstance(b, Para) and b.number]
    assert numbers == ["2.1.1", "2.1.2"]
    refs = [r for b in services.blocks if isinstance(b, Para) for r in b.runs if r.ref]
    assert [(r.ref, r.text) for r in refs] == [
        ("sla-schedule", "Schedule 1"),
        ("gain-sharing", "Clause 3.1"),
    ]


def test_has_guards_optional_clause(minilib: Path) -> None:
    doc = document_for(minilib, "small.yaml")
    text = " ".join(
        r.text for b in doc.articles[1].clauses[0].blocks if isinstance(b, Para) for r in b.runs
    )
    assert "share gains" not in text


def test_definitions_only_used_terms_alphabetical(minilib: Path) -> None:
    doc = document_for(minilib, "small.yaml")
    assert [t for t, _ in doc.definitions] == ["Agreement", "Service Credit", "Services"]
    first = doc.definitions[0][1]
    assert (first[0].text, first[0].bold) == ("\u201cAgreement\u201d", True)


def test_ref_to_left_out_clause_is_an_error_with_clause_line(minilib: Path) -> None:
    path = minilib / "clauses/core/services.yaml"
    path.write_text(path.read_text().replace("{% if has('gain-sharing') %}", "{% if true %}"))
    with pytest.raises(ContentError) as info:
        document_for(minilib, "small.yaml")
    (d,) = info.value.diagnostics
    assert (d.path, d.line, d.rule) == ("clauses/core/services.yaml", 22, "render")
    assert "ref('gain-sharing') names a clause that is not in this draft" in d.message


def test_rendering_never_changes_the_deal(minilib: Path) -> None:
    write_deal(minilib, "m.yaml", maturity=4)
    from tests.helpers import selection_for

    sel = selection_for(minilib, "m.yaml")
    before = repr(sel.deal.data)
    from generator.pipeline.render import render_document

    render_document(sel)
    assert repr(sel.deal.data) == before
