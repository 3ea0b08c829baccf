"""Deal-supplied figures: a price, fee, volume or forecast the deal does not state is never
printed from a library default as if it had been agreed.

Whether a variant prints a parameter depends on the deal (a branch for outcome pricing, a
table used only when the deal gives no volumes), so the test is made on the rendered text: the
clause is rendered again with the figure changed, and if the text changes, the figure is printed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import Diagnostic
from ..model import Deal, Parameter, Selected

# Renders a clause text with the given parameter values; None when the template fails.
Renderer = Callable[[Mapping[str, Any]], str | None]


def unstated(s: Selected) -> list[Parameter]:
    """Deal-supplied parameters of ``s`` whose value does not come from the deal."""
    source = {v.name: v.source for v in s.values}
    return [
        p for p in s.clause.parameters if p.deal_supplied and source.get(p.name) != "deal override"
    ]


def perturbed(value: Any) -> Any:
    """A value of the same shape that prints differently wherever the original is printed."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, float):
        return value + 0.37
    if isinstance(value, str):
        return value + " (changed)"
    if isinstance(value, list):
        return [perturbed(x) for x in value] + [perturbed(x) for x in value[:1]]
    if isinstance(value, dict):
        return {k: perturbed(x) for k, x in value.items()}
    return value


def printed_figures(s: Selected, baseline: str, render: Renderer) -> list[Parameter]:
    """The unstated deal-supplied parameters that ``baseline`` (the clause as rendered) prints."""
    return [p for p, _ in printed_with_changes(s, baseline, render)]


def printed_with_changes(
    s: Selected, baseline: str, render: Renderer
) -> list[tuple[Parameter, str]]:
    """Each printed unstated figure with the text as rendered with that figure changed."""
    out: list[tuple[Parameter, str]] = []
    params = s.params
    for p in unstated(s):
        if params.get(p.name) is None:
            continue
        changed = render({**params, p.name: perturbed(params[p.name])})
        if changed is not None and changed != baseline:
            out.append((p, changed))
    return out


def with_placeholders(s: Selected, baseline: str, render: Renderer) -> tuple[str, list[Parameter]]:
    """``baseline`` with every printed unstated figure as a placeholder (`draft --placeholders`),
    and the figures whose place in the text could not be found (still errors)."""
    from .placeholders import figure_spans, filled, placeholder

    marks: list[tuple[tuple[int, int], str]] = []
    lost: list[Parameter] = []
    for p, changed in printed_with_changes(s, baseline, render):
        spans = figure_spans(baseline, changed, s.params[p.name])
        marks += [(span, placeholder(p)) for span in spans]
        if not spans:
            lost.append(p)
    return filled(baseline, marks), lost


def figure_diagnostic(deal: Deal, s: Selected, p: Parameter) -> Diagnostic:
    """Points at the deal: its overrides for the clause, its overrides, or its first line."""
    src = deal.source
    ptr: tuple[str | int, ...] = ()
    if "overrides" in src.data:
        ptr = ("overrides", s.clause.id) if s.clause.id in src.data["overrides"] else ("overrides",)
    what = f" ({p.description})" if p.description else ""
    line, col = src.where(ptr, key=bool(ptr))
    return Diagnostic(
        src.path,
        line,
        col,
        "deal-figure",
        f"'{s.clause.id}' (variant '{s.variant.id}') prints '{p.name}'{what}, a figure only the "
        f"deal can state: set it under overrides: {s.clause.id}: {p.name}",
    )
