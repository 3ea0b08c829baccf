"""vague-language: a vague phrase (or "material") in a sentence that gives no measure."""

from __future__ import annotations

import re

from ..clausefile import (
    ClauseFile,
    Finding,
    finding,
    has_measure,
    locate,
    mask,
    numeric_params,
    sentence_span,
)
from ..config import Context, LintConfig
from ..termindex import term_index


def _phrase_rx(phrase: str) -> str:
    return r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"(?![\w-])"


def check_vague(cf: ClauseFile, cfg: LintConfig) -> list[Finding]:
    pats = [(p, re.compile(_phrase_rx(p), re.I)) for p in cfg.phrases]
    material = re.compile(r"(?<![\w-])material(?:ly)?(?![\w-])", re.I) if cfg.material else None
    defined = term_index(cf.defines())
    numeric = numeric_params(cf)
    out: list[Finding] = []
    for pointer, value in cf.texts():
        m = mask(value, numeric)
        hits: list[tuple[int, int, str]] = []
        for phrase, rx in pats:
            hits.extend((h.start(), h.end(), phrase) for h in rx.finditer(m.text))
        if material is not None:
            inside_terms = [(s, e) for _, s, e in defined.finditer(m.text)]
            for h in material.finditer(m.text):
                if not any(s <= h.start() < e for s, e in inside_terms) and h.group()[0].islower():
                    hits.append((h.start(), h.end(), h.group().lower()))
        for start, end, phrase in sorted(hits):
            s0, s1 = sentence_span(m.text, start)
            if has_measure(m, s0, s1):
                continue
            shown = " ".join(value[start:end].split())
            if phrase.startswith("material"):
                msg = f"'{shown}' without a number in the sentence: say what amount, share or effect makes it material, or use a defined term"
            else:
                msg = f"'{shown}' promises nothing measurable: give a period, number or measure in the same sentence"
            out.append(
                finding(
                    cf,
                    pointer,
                    "vague-language",
                    msg,
                    locate(cf, pointer, value, start, end - start),
                )
            )
    return out


IDS = ("vague-language",)


def check(ctx: Context) -> list[Finding]:
    return [f for cf in ctx.files for f in check_vague(cf, ctx.config)]
