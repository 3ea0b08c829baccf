"""Clausebook speed and memory, side by side with pandoc on the same Markdown.

    python benchmarks/bench.py            # all measurements; prints a Markdown table
    python benchmarks/bench.py --quick    # fewer repeats, a 200-deal batch instead of 1,000

It builds synthetic libraries (≈10,000 and ≈100,000 words) in a temporary folder, times
`clausebook draft` (whole process: start-up, load, validate, select, render, Markdown + .docx,
manifest) against `pandoc draft.md -o draft.docx` on the Markdown clausebook produced, measures
peak memory of the draft process, `clausebook --help` start-up, and a batch of drafts with --jobs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

SENTENCES = [
    "The Supplier shall deliver the {n} report to the Customer within {d} Business Days after the end of each Month.",
    "Each Service Level is measured from the Customer's ticketing system over a Measurement Period of one (1) Month.",
    "If the Supplier misses the target in {d} consecutive Months, the Customer may require a Remediation Plan.",
    "The Charges for the element numbered {n} are fixed for the first twenty-four (24) Months after the Effective Date.",
    "The Supplier shall keep records of each Resolution for seven (7) years and give the Customer access within {d} days.",
    "Any Dispute about the measurement of clause {n} is referred to the Expert, who decides within {d} days.",
]


def write_library(root: Path, clauses: int, words_per_clause: int) -> Path:
    """A synthetic library with real structure: articles, parameters, refs, a schedule table."""
    (root / "clauses" / "synthetic").mkdir(parents=True)
    (root / "playbooks").mkdir()
    (root / "deals").mkdir()
    ids = [f"clause-{i:03d}" for i in range(clauses)]
    for i, cid in enumerate(ids):
        paras = []
        words = 0
        k = 0
        while words < words_per_clause:
            para = " ".join(
                SENTENCES[(i + k + j) % len(SENTENCES)].format(n=i + j, d="{{ notice_days | words }}")
                for j in range(4)
            )
            if k % 3 == 1:
                para += f" See {{{{ ref('{ids[(i + 1) % clauses]}') }}}}."
            paras.append(para)
            words += len(para.split())
            k += 1
        body = "\n\n".join(paras)
        text = textwrap.indent(body, "      ")
        (root / "clauses" / "synthetic" / f"{cid}.yaml").write_text(
            f"""id: {cid}
title: Synthetic Clause {i}
topic: synthetic
version: 1.0.0
status: approved
owner: bench
summary: Synthetic clause for benchmarks.
parameters:
  notice_days: {{type: integer, unit: days, default: {10 + i % 20}, minimum: 1, maximum: 90}}
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
    text: |
{text}
    notes: n
    guidance: g
"""
        )
    per_article = 8
    structure = "\n".join(
        f"  - article: Article {a + 1}\n    clauses: [{', '.join(ids[a * per_article:(a + 1) * per_article])}]"
        for a in range((clauses + per_article - 1) // per_article)
    )
    (root / "playbooks" / "standard.yaml").write_text(
        f"id: standard\ntitle: Benchmark playbook\nstructure:\n{structure}\n"
    )
    deal = """id: bench
title: Benchmark Services Agreement
customer: {name: Acme Retail plc, jurisdiction: England and Wales}
supplier: {name: Northwind Services Ltd, jurisdiction: India}
effective_date: 2027-01-01
term_months: 36
governing_law: england-wales
disputes: {forum: arbitration, seat: London, rules: LCIA}
services: [customer-service]
maturity: 2
stance: client
pricing: {model: fixed, currency: GBP}
"""
    (root / "deals" / "bench.yaml").write_text(deal)
    return root / "deals" / "bench.yaml"


def timed(cmd: list[str], cwd: Path, repeats: int) -> tuple[float, int]:
    """Median wall time over repeats, and the peak RSS (KiB) of the child processes."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return statistics.median(times), peak


def measure_size(label: str, clauses: int, words: int, repeats: int, work: Path) -> dict[str, str]:
    root = work / label
    deal = write_library(root, clauses, words)
    out = root / "out"
    cb = [sys.executable, "-m", "generator", "draft", str(deal), "-o", str(out), "--force"]
    # Warm the OS cache and any library cache, as a drafter's second run would be.
    subprocess.run(cb, cwd=root, check=True, capture_output=True)
    md = out / "bench.md"
    word_count = len(md.read_text().split())
    t_cb, _ = timed(cb, root, repeats)
    peak = peak_rss(cb, root)
    t_pandoc, _ = timed(["pandoc", str(md), "-o", str(work / f"{label}-pandoc.docx")], root, repeats)
    return {
        "case": label,
        "words": f"{word_count:,}",
        "clausebook (md+docx)": f"{t_cb:.3f} s",
        "pandoc md->docx": f"{t_pandoc:.3f} s",
        "ratio": f"{t_cb / t_pandoc:.2f}x",
        "peak memory": f"{peak / 1024:.0f} MB",
    }


def peak_rss(cmd: list[str], cwd: Path) -> int:
    """Peak RSS (KiB) of one run, measured in a fresh child so earlier runs do not count."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=cwd, check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def measure_help(repeats: int) -> float:
    exe = shutil.which("clausebook")
    cmd = [exe, "--help"] if exe else [sys.executable, "-m", "generator", "--help"]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_batch(n: int, jobs: int, work: Path) -> float:
    root = work / "batch"
    deal = write_library(root, 40, 250)
    for i in range(n):
        shutil.copy(deal, root / "deals" / f"deal-{i:04d}.yaml")
    deal.unlink()
    deals = sorted(str(p) for p in (root / "deals").glob("*.yaml"))
    cmd = [sys.executable, "-m", "generator", "draft", *deals, "-o", str(root / "out"), "--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=root, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    repeats = 3 if args.quick else 7
    if not shutil.which("pandoc"):
        sys.exit("pandoc is needed for the comparison: apt-get install pandoc")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1798761600")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = [
            measure_size("10k words", 50, 200, repeats, work),
            measure_size("100k words", 100, 1000, max(3, repeats // 2), work),
        ]
        help_s = measure_help(repeats * 2)
        n = 200 if args.quick else 1000
        batch_s = measure_batch(n, os.cpu_count() or 2, work)
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(r[c] for c in cols) + " |")
    print()
    print(f"- `clausebook --help`: {help_s * 1000:.0f} ms (median of {repeats * 2})")
    print(f"- batch of {n} drafts (md + docx) with --jobs {os.cpu_count()}: {batch_s:.1f} s")


if __name__ == "__main__":
    main()
