"""sla-incomplete: a service-level row without a target, window, data source or consequence."""

from __future__ import annotations

from typing import Any

from ....source import Pointer
from ..clausefile import ClauseFile, Finding, finding
from ..config import Context

# SLA/KPI tables: a list of records with a field naming the metric. Each row must say what
# is measured against what target, over which window, from which data and with what effect.
_METRIC_FIELDS = frozenset({"metric", "kpi", "indicator", "service_level"})


_SLA_NEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("target", "target", ("target",)),
    ("window", "measurement window", ("window", "period", "frequency")),
    ("source", "data source", ("source",)),
    (
        "consequence",
        "consequence",
        ("consequence", "credit", "allocation", "category", "remedy", "weight", "share", "bonus"),
    ),
)


def check_sla(cf: ClauseFile) -> list[Finding]:
    out: list[Finding] = []
    for name, spec in cf.parameters().items():
        fields = spec.get("fields")
        if spec.get("type") != "list" or not isinstance(fields, dict):
            continue
        if not set(fields) & _METRIC_FIELDS:
            continue
        have: dict[str, list[str]] = {}
        for key, what, needles in _SLA_NEEDS:
            have[key] = [f for f in fields if any(n in f for n in needles)]
            if not have[key]:
                out.append(
                    finding(
                        cf,
                        ("parameters", name),
                        "sla-incomplete",
                        f"service level table '{name}' has no field for the {what} (fields: {', '.join(fields)})",
                        key=True,
                    )
                )
        rows: list[tuple[Pointer, Any]] = []
        default = spec.get("default")
        if isinstance(default, list):
            rows += [(("parameters", name, "default", i), r) for i, r in enumerate(default)]
        for i, v in cf.variants():
            vp = v.get("parameters")
            if isinstance(vp, dict) and isinstance(vp.get(name), list):
                rows += [
                    (("variants", i, "parameters", name, j), r) for j, r in enumerate(vp[name])
                ]
        for ptr, row in rows:
            if not isinstance(row, dict):
                continue
            label = row.get("metric") or row.get("kpi") or row.get("indicator") or "row"
            for key, what, _ in _SLA_NEEDS:
                cols = have[key]
                if cols and all(row.get(c) in (None, "") for c in cols):
                    out.append(
                        finding(
                            cf,
                            ptr,
                            "sla-incomplete",
                            f"'{label}' has no {what} ({' / '.join(cols)} is empty)",
                        )
                    )
    return out


IDS = ("sla-incomplete",)


def check(ctx: Context) -> list[Finding]:
    return [f for cf in ctx.files for f in check_sla(cf)]
