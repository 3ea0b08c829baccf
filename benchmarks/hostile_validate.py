"""Validation of the whole library plus one hostile file of each kind: time and peak memory.

    python benchmarks/hostile_validate.py          # prints a Markdown table; exit 1 over budget

The budget (issue "hostile and broken input"): under 10 seconds and under 500 MB. Two runs of
`clausebook validate`, each in a fresh process with the cache off (the worst case, as in CI):

A. the repository's library with every hostile file added (YAML bombs, deep nesting, a 50 MB
   file, bad encodings, tags, links to /dev/zero, a FIFO, hostile templates...). Any error in
   the library stops validate before it drafts, so this run measures loading and checking;
B. the same library where hostile templates that pass the static checks replace the texts of
   clauses every sample deal uses, so validate renders them while drafting each deal in memory.

Both must finish, each with errors only (exit 1), and never exit 3 (internal error).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BUDGET_SECONDS, BUDGET_MB = 10.0, 500

CLAUSE = """id: {id}
title: Hostile
topic: hostile
version: 1.0.0
status: draft
owner: bench
summary: A hostile file.
variants:
  - id: client
    stance: client
    maturity: [1, 2, 3, 4]
    text: |
      {text}
    notes: n
    guidance: g
  - id: balanced
    stance: balanced
    maturity: [1, 2, 3, 4]
    text: Plain.
    notes: n
    guidance: g
"""

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, n in zip("abcdefg", "bcdefgh", strict=True)
)

# Templates that only fail when rendered (run B); each is a known hostile pattern.
RENDER_KINDS = {
    "string-times-huge": "{{ 'x' * 10**8 }}",
    "output-by-loop": "{% for i in range(100000) %}{{ 'clause text ' * 100 }}{% endfor %}",
    "range-loop": "{% for i in range(10**9) %}{% endfor %}",
    "power": "{{ 10 ** (10 ** 10) }}",
    "format-escape": "{{ 'a{0.__class__}'.format(deal) }}",
    "padding": "{{ 'x'.center(10**10) }}",
    "percent-width": "{{ '%0999999999d' % 1 }}",
    "recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "mutation": "{% set _ = deal.services.append('x') %}",
    "markdown-nesting": "> " * 25 + "a",
    "doubling": "{% set a = 'x' * 200000 %}" + "{% set a = a ~ a %}" * 12 + "{{ a | length }}",
    "pathological-markdown": "[" * 30000 + "a" + "]" * 30000,
    "busy-loop": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
}


def clause(cid: str, text: str) -> str:
    return CLAUSE.format(id=cid, text=text.replace("\n", "\n      "))


def add_hostile_files(lib: Path) -> list[str]:
    """Run A's files: one of each kind, as clause files and as deal files."""
    topic = lib / "clauses" / "hostile"
    topic.mkdir()
    deals = lib / "deals"
    base = next(iter(sorted(deals.glob("*.yaml")))).read_text("utf-8")
    files: dict[Path, str | bytes] = {
        topic / "alias-bomb.yaml": BOMB,
        topic / "deep-nesting.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n",
        topic / "huge-int.yaml": "a: " + "9" * 5000 + "\n",
        topic / "duplicate-key.yaml": clause("duplicate-key", "x") + "id: again\n",
        topic / "latin1.yaml": clause("latin1", "caf\u00e9").encode("latin-1"),
        topic / "utf16.yaml": clause("utf16", "x").encode("utf-16"),
        topic / "bom.yaml": b"\xef\xbb\xbf" + clause("bom", "x").encode(),
        topic / "python-tag.yaml": "a: !!python/object/apply:os.system ['id']\n",
        topic / "bidi.yaml": clause("bidi", "shall\u202e ton\u202c pay"),
        topic / "control-char.yaml": clause("control-char", "Party\x0bA"),
        topic / "ssti.yaml": clause("ssti", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        topic / "include.yaml": clause("include", "{% include '../../../etc/passwd' %}"),
        topic / "attr-filter.yaml": clause("attr-filter", "{{ deal|attr('format') }}"),
        topic / "nested-parens.yaml": clause(
            "nested-parens", "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"
        ),
        topic / "too-long.yaml": clause("too-long", "word " * 20000),
        topic / "near-limit.yaml": "a:\n" + ("  - " + "x" * 60 + "\n") * 15000,  # 1 MB
        topic / "aux.yaml": clause("aux", "x"),
        deals / "hostile-bomb.yaml": BOMB,
        deals / "hostile-dup.yaml": base + "governing_law: new-york\n",
        deals / "hostile-nul.yaml": base + 'notes_x: "a\\0b"\n',
    }
    for path, data in files.items():
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")
    with (topic / "fifty-mb.yaml").open("wb") as fh:
        fh.truncate(50 * 2**20)
    os.symlink("/dev/zero", topic / "dev-zero.yaml")
    os.symlink("/etc/passwd", topic / "passwd.yaml")
    os.mkfifo(topic / "fifo.yaml")
    return sorted(p.name for p in topic.iterdir()) + sorted(p.name for p in deals.glob("hostile-*"))


def inject_render_kinds(lib: Path) -> list[str]:
    """Run B: replace the texts of clauses that every sample deal draws on."""
    sys.path.insert(0, str(REPO))
    from generator.pipeline.build import open_library
    from generator.pipeline.deal import load_deal
    from generator.pipeline.select import select

    library = open_library(lib)
    common: set[str] | None = None
    for deal in sorted((lib / "deals").glob("*.yaml")):
        chosen = {s.clause.id for s in select(library, load_deal(library, deal)).all()}
        common = chosen if common is None else common & chosen
    # Every variant of a clause every deal includes gets the payload, whatever the stance.
    targets = sorted(common or ())[: len(RENDER_KINDS)]
    for cid, text in zip(targets, RENDER_KINDS.values(), strict=False):
        path = lib / library.clauses[cid].source.path
        data = yaml.safe_load(path.read_text("utf-8"))
        for variant in data["variants"]:
            variant["text"] = text
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return [f"{kind} -> {cid}" for cid, kind in zip(targets, RENDER_KINDS, strict=False)]


def run_validate(lib: Path) -> tuple[float, float, int, list[str]]:
    code = (
        "import resource, sys\n"
        "from generator.cli import main\n"
        "try:\n"
        "    main(['validate', '--library', sys.argv[1]])\n"
        "finally:\n"
        "    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    sys.stderr.write(f'\\nMAXRSS_KB {kb}\\n')\n"
    )
    env = {**os.environ, "CLAUSEBOOK_NO_CACHE": "1", "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, str(lib)], capture_output=True, text=True, env=env, timeout=120
    )
    seconds = time.perf_counter() - started
    lines = proc.stderr.splitlines()
    kb = next(int(ln.split()[1]) for ln in lines if ln.startswith("MAXRSS_KB"))
    problems = [ln for ln in lines if ": error[" in ln]
    return seconds, kb / 1024, proc.returncode, problems


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="clausebook-hostile-"))
    try:
        rows = []
        ok = True
        for name, prepare in (("A: library + hostile files", add_hostile_files),
                              ("B: hostile templates rendered", inject_render_kinds)):  # fmt: skip
            lib = tmp / name[0]
            for part in ("clauses", "playbooks", "deals", "schemas"):
                if (REPO / part).is_dir():
                    shutil.copytree(REPO / part, lib / part, symlinks=True)
            kinds = prepare(lib)
            seconds, mb, code, problems = run_validate(lib)
            within = seconds < BUDGET_SECONDS and mb < BUDGET_MB and code == 1
            ok = ok and within
            rows.append((name, len(kinds), len(problems), code, seconds, mb, within))
            print(f"<!-- {name}: {len(problems)} problems reported -->", file=sys.stderr)
            for ln in problems:
                print("    " + ln, file=sys.stderr)
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, cache off\n")
        print(
            "| run | hostile inputs | problems reported | exit | seconds | peak MB | within budget |"
        )
        print("|---|---|---|---|---|---|---|")
        for name, kinds, probs, code, seconds, mb, within in rows:
            print(
                f"| {name} | {kinds} | {probs} | {code} | {seconds:.2f} | {mb:.0f} | {'yes' if within else 'NO'} |"
            )
        print(
            f"\nBudget: each run under {BUDGET_SECONDS:g} s and {BUDGET_MB} MB, exit 1 (never 3)."
        )
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
