"""Clause text is a Jinja template from a pull request: it must never run code, read files,
change deal data, hang or exhaust memory. Each case puts the payload into a clause and runs
`clausebook validate`, which checks every template and drafts the sample deals in memory.

The sandbox itself is also tested below the CLI in tests/test_render.py (HOSTILE list), so a
payload that validate catches statically is still known to fail at render time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from .support import TEXT_LINE, at, draft, refused, set_clause_text, validate

SANDBOX = "unsafe template operation refused: access to attribute"

# (case id, template, rule, message); each payload is on line 3 of the clause text.
CASES = [
    (
        "ssti-subclasses",  # threat 1: walk from a string to every class in the process
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "template-unsafe",
        "private attributes are not allowed: __class__, __mro__, __subclasses__",
    ),
    (
        "ssti-cycler-globals",  # threat 1: Jinja's default globals are all removed
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "template-unsafe",
        "private attributes are not allowed: __globals__, __init__",
    ),
    (
        "ssti-template-reference",  # threat 1: the template's own context
        "{{ self._TemplateReference__context }}",
        "template-unsafe",
        "private attributes are not allowed: _TemplateReference__context",
    ),
    (
        "str-format-escape",  # threat 2: CVE-2016-10745 / CVE-2019-10906
        "{{ 'a{0.__class__.__init__.__globals__}'.format(deal) }}",
        "render",
        f"{SANDBOX} 'format' of 'str' object is unsafe.",
    ),
    (
        "indirect-format-reference",  # threat 3: CVE-2024-56326
        "{% set f = 'x{0.__init__.__globals__}'.format %}{{ f(deal) }}",
        "render",
        f"{SANDBOX} 'format' of 'str' object is unsafe.",
    ),
    (
        "attr-filter",  # threat 3: CVE-2025-27516; only the product's filters exist
        "{{ deal|attr('format') }}",
        "template-syntax",
        "template syntax error: No filter named 'attr'.",
    ),
    (
        "mutate-deal-data",  # threat 5: the plain sandbox would let this change the deal
        "{% set _ = deal.services.append('Mallory') %}",
        "render",
        f"{SANDBOX} 'append' of 'list' object is unsafe.",
    ),
    (
        "include-outside-library",  # threat 9
        "{% include '../../../etc/passwd' %}",
        "template-unsafe",
        "{% include %}, {% import %} and {% extends %} are not allowed in clause text",
    ),
    (
        "import-absolute-path",  # threat 9
        "{% from '/etc/passwd' import x %}",
        "template-unsafe",
        "{% include %}, {% import %} and {% extends %} are not allowed in clause text",
    ),
    (
        "string-times-huge",  # threat 6: one expression, 100 MB
        "{{ 'x' * 10**8 }}",
        "render",
        "text made by '*' exceeds the limit of 262,144 characters",
    ),
    (
        "output-amplified-by-loop",  # threat 6: many small chunks
        "{% for i in range(100000) %}{{ 'clause text ' * 100 }}{% endfor %}",
        "render",
        "rendered text exceeds the limit of 262,144 characters",
    ),
    (
        "range-loop",  # time budget: the sandbox caps range()
        "{% for i in range(10**9) %}{% endfor %}",
        "render",
        "number too large: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
    ),
    (
        "huge-power",  # 10 ** 10 ** 10 would take minutes and gigabytes
        "{{ 10 ** (10 ** 10) }}",
        "render",
        "number too large: the result would have more than 3,000 digits",
    ),
    (
        "padding-method",  # one call, 10 GB
        "{{ 'x'.center(10**10) }}",
        "render",
        f"{SANDBOX} 'center' of 'str' object is unsafe.",
    ),
    (
        "percent-format-width",  # one operator, 1 GB
        "{{ '%0999999999d' % 1 }}",
        "render",
        "string formatting with '%' is not allowed in clause text; "
        "use the filters (number, money, percent, words)",
    ),
    (
        "macro-recursion",  # threat 7
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
        "render",
        "template recursion too deep",
    ),
    (
        "nested-parentheses",  # the Jinja parser itself recurses
        "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
        "template-syntax",
        "template syntax error: expressions nested too deeply",
    ),
]


# Reported at the first line of the text: no template line is known for these.
WHOLE_TEXT = {"output-amplified-by-loop", "nested-parentheses"}
ALSO = {
    "ssti-cycler-globals": (
        "undefined-variable",
        "'cycler' is not defined by the clause's parameters or the deal",
    )
}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_template_is_refused_with_its_line(
    minilib: Path, case: tuple[str, str, str, str]
) -> None:
    name, template, rule, message = case
    set_clause_text(minilib, "Plain first line.\n\n" + template)
    line = TEXT_LINE if name in WHOLE_TEXT else TEXT_LINE + 2
    expected = [at(line, rule, message)]
    if name in ALSO:
        expected.append(at(line, *ALSO[name]))
    refused(validate(minilib), *expected)


def test_loop_that_writes_nothing_is_stopped_by_the_timer(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without output, the check between output chunks never runs: only the timer stops this.
    monkeypatch.setenv("CLAUSEBOOK_RENDER_SECONDS", "0.5")
    set_clause_text(
        minilib, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    refused(validate(minilib), at(TEXT_LINE, "render", "rendering took longer than 0.5 seconds"))
    assert time.monotonic() - started < 5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap is Linux-only")
def test_doubling_a_string_is_stopped_by_the_memory_cap(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # '~' cannot be checked before it runs; twelve doublings of 200 kB would need 800 MB.
    monkeypatch.setenv("CLAUSEBOOK_RENDER_MEMORY_MB", "64")
    double = "{% set a = a ~ a %}" * 12
    set_clause_text(minilib, "{% set a = 'x' * 200000 %}" + double + "{{ a | length }}")
    refused(validate(minilib), at(TEXT_LINE, "render", "template used too much memory"))


def test_hostile_text_in_a_definition_is_refused_too(minilib: Path) -> None:
    path = minilib / "clauses/core/services.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "a credit calculated under {{ ref('service-credits') }}",
            "a credit {{ deal.customer.name.center(10**10) }}",
        ),
        "utf-8",
    )
    refused(
        validate(minilib), at(9, "render", f"{SANDBOX} 'center' of 'str' object is unsafe.", col=19)
    )


def test_timer_also_stops_a_render_in_a_batch_worker(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --jobs runs drafts in worker processes; each renders in its own main thread, so the
    # SIGALRM timer works there as well.
    monkeypatch.setenv("CLAUSEBOOK_RENDER_SECONDS", "0.5")
    set_clause_text(
        minilib, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    outcome = draft(minilib, tmp_path / "out", "small.yaml", "small-m4.yaml", extra=("--jobs", "2"))
    refused(outcome, at(TEXT_LINE, "render", "rendering took longer than 0.5 seconds"))
    assert time.monotonic() - started < 10
