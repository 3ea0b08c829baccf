"""Clausebook speed and memory, side by side with pandoc (and the docxtpl peer) on the same words.

    python benchmarks/bench.py                 # every case; prints Markdown tables (≈ 10 minutes)
    python benchmarks/bench.py --quick         # fewer runs, a 200-deal batch, no 5,000-clause scale
    python benchmarks/bench.py --cases samples,edited-deal --runs 9
    python benchmarks/bench.py --peer          # also docxtpl, installed in the benchmark's own venv

What a drafter runs is what is timed: the installed `clausebook` script as a whole process
(start-up, load, validate or cache hit, select, render, Markdown + .docx, manifest, atomic writes),
against `pandoc draft.md -o draft.docx` on the Markdown that Clausebook produced. The package is
byte-compiled first (`python -m compileall`), as a normal install is: an editable install under
PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every run.

The machine may be shared, so each case runs in pairs, alternating (A B A B ...), and reports the
median time of each side and the median of the pair-by-pair ratios, on CPU time (user + sys of the
child, what the machine's load disturbs least) and on wall time.

Cases (names for --cases):
  warm-10k, warm-100k  synthetic libraries, nothing changed since the last draft
  samples              each real sample deal of this repository, nothing changed
  edited-deal          10k words; before each draft the deal gets a new title and an override
                       that changes one clause's text
  edited-clause        10k words; before each draft one clause file of the library changes
  validate             `clausebook validate` of this repository: cold cache, and after one edit
  help                 `clausebook --help`
  batch                1,000 drafts of the real sample deals with --jobs 2 (200 with --quick)
  scale                1,000 and 5,000 synthetic clauses: validate (cold) and draft (warm) time,
                       peak memory, and the slope per 1,000 clauses
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALL_CASES = (
    "warm-10k",
    "warm-100k",
    "samples",
    "edited-deal",
    "edited-clause",
    "validate",
    "help",
    "batch",
    "scale",
)

SENTENCES = [
    "The Supplier shall deliver the {n} report to the Customer within {d} Business Days after the end of each Month.",
    "Each Service Level is measured from the Customer's ticketing system over a Measurement Period of one (1) Month.",
    "If the Supplier misses the target in {d} consecutive Months, the Customer may require a Remediation Plan.",
    "The Charges for the element numbered {n} are fixed for the first twenty-four (24) Months after the Effective Date.",
    "The Supplier shall keep records of each Resolution for seven (7) years and give the Customer access within {d} days.",
    "Any Dispute about the measurement of clause {n} is referred to the Expert, who decides within {d} days.",
]

DEAL = """id: bench
title: {title}
customer: {{name: Acme Retail plc, jurisdiction: England and Wales}}
supplier: {{name: Northwind Services Ltd, jurisdiction: India}}
effective_date: 2027-01-01
term_months: 36
governing_law: england-wales
disputes: {{forum: arbitration, seat: London, rules: LCIA}}
services: [customer-service]
maturity: 2
stance: client
pricing: {{model: fixed, currency: GBP}}
{overrides}"""


# ---- synthetic libraries ------------------------------------------------------------------


def clause_yaml(i: int, cid: str, next_id: str, words_per_clause: int) -> str:
    paras = []
    words = k = 0
    while words < words_per_clause:
        para = " ".join(
            SENTENCES[(i + k + j) % len(SENTENCES)].format(n=i + j, d="{{ notice_days | words }}")
            for j in range(4)
        )
        if k % 3 == 1:
            para += f" See {{{{ ref('{next_id}') }}}}."
        paras.append(para)
        words += len(para.split())
        k += 1
    text = textwrap.indent("\n\n".join(paras), "      ")
    variants = "".join(
        f"""  - id: {v}
    stance: {v}
    maturity: [1, 2, 3, 4]
    text: |
{text}
    notes: n
    guidance: g
"""
        for v in ("client", "balanced")
    )
    return f"""id: {cid}
title: Synthetic Clause {i}
topic: synthetic
version: 1.0.0
status: approved
owner: bench
summary: Synthetic clause for benchmarks.
parameters:
  notice_days: {{type: integer, unit: days, default: {10 + i % 20}, minimum: 1, maximum: 90}}
variants:
{variants}"""


def write_library(root: Path, clauses: int, words_per_clause: int) -> Path:
    """A synthetic library with real structure: articles, parameters, refs. Returns the deal."""
    (root / "clauses" / "synthetic").mkdir(parents=True)
    (root / "playbooks").mkdir()
    (root / "deals").mkdir()
    ids = [f"clause-{i:04d}" for i in range(clauses)]
    for i, cid in enumerate(ids):
        body = clause_yaml(i, cid, ids[(i + 1) % clauses], words_per_clause)
        (root / "clauses" / "synthetic" / f"{cid}.yaml").write_text(body)
    per_article = 8
    structure = "\n".join(
        f"  - article: Article {a + 1}\n    clauses: [{', '.join(ids[a * per_article:(a + 1) * per_article])}]"
        for a in range((clauses + per_article - 1) // per_article)
    )
    (root / "playbooks" / "standard.yaml").write_text(
        f"id: standard\ntitle: Benchmark playbook\nstructure:\n{structure}\n"
    )
    deal = root / "deals" / "bench.yaml"
    deal.write_text(DEAL.format(title="Benchmark Services Agreement", overrides=""))
    return deal


def copy_repo_library(dest: Path) -> Path:
    """The repository's library (clauses, playbooks, deals, settings), outside any git tree."""
    dest.mkdir(parents=True)
    for name in ("clauses", "playbooks", "deals"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "clausebook.toml", dest / "clausebook.toml")
    return dest


# ---- running and timing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + sys of the child
    rss_mb: float  # the child's peak resident memory


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@dataclass(frozen=True)
class Pair:
    a: list[Run]
    b: list[Run]

    def med(self, side: str, field: str) -> float:
        return statistics.median(getattr(r, field) for r in getattr(self, side))

    def ratio(self, field: str) -> float:
        """Median of the pair-by-pair ratios A/B."""
        return statistics.median(getattr(x, field) / getattr(y, field) for x, y in zip(self.a, self.b, strict=True))


def pair(
    a: Callable[[], Run], b: Callable[[], Run], runs: int, before_a: Callable[[int], None] | None = None
) -> Pair:
    """A and B in turn, `runs` times each, after one warm-up of each (not counted)."""
    if before_a:
        before_a(-1)
    a(), b()
    ra, rb = [], []
    for i in range(runs):
        if before_a:
            before_a(i)
        ra.append(a())
        rb.append(b())
    return Pair(ra, rb)


class Bench:
    def __init__(self, work: Path, runs: int, exe: str = "") -> None:
        self.work = work
        self.runs = runs
        installed = Path(sys.executable).with_name("clausebook")
        self.cb = exe or (str(installed) if installed.exists() else shutil.which("clausebook") or "")
        if not self.cb:
            sys.exit("the clausebook script is not installed next to this Python: pip install -e .")
        self.env = dict(os.environ, SOURCE_DATE_EPOCH="1798761600")
        self.env.pop("CLAUSEBOOK_NO_CACHE", None)
        self.env["CLAUSEBOOK_CACHE_DIR"] = str(work / "cache")
        self.rows: list[dict[str, str]] = []
        self.notes: list[str] = []
        self.peer: str | None = None

    def draft_cmd(self, deal: Path, out: Path, *extra: str) -> list[str]:
        return [self.cb, "draft", str(deal), "-o", str(out), "--force", *extra]

    def vs_pandoc(
        self,
        label: str,
        root: Path,
        deal: Path,
        before: Callable[[int], None] | None = None,
        target: str = "",
    ) -> None:
        out = root / "out"
        cmd = self.draft_cmd(deal, out)
        run(cmd, root, self.env)  # fills the cache, as a drafter's first draft does
        md = out / f"{deal.stem}.md"
        # pandoc converts a fixed copy of the Markdown, so both sides see the same words.
        fixed = root / f"{deal.stem}-pandoc-input.md"
        shutil.copy(md, fixed)
        words = len(fixed.read_text().split())
        pandoc = ["pandoc", str(fixed), "-o", str(root / "pandoc.docx")]
        p = pair(lambda: run(cmd, root, self.env), lambda: run(pandoc, root), self.runs, before)
        row = {
            "case": label,
            "words": f"{words:,}",
            "clausebook": f"{p.med('a', 'wall'):.3f} s",
            "pandoc": f"{p.med('b', 'wall'):.3f} s",
            "ratio cpu": f"{p.ratio('cpu'):.2f}x",
            "ratio wall": f"{p.ratio('wall'):.2f}x",
            "peak MB": f"{max(r.rss_mb for r in p.a):.0f}",
            "target": target,
        }
        if self.peer:
            row["vs docxtpl cpu"] = self.vs_peer(root, fixed, cmd)
        self.rows.append(row)
        print(f"  {label}: {row}", file=sys.stderr)

    def vs_peer(self, root: Path, md: Path, draft: list[str]) -> str:
        """docxtpl rendering a loop template of the same paragraphs: no validation, numbering,
        cross-references or definitions; the Python peer a drafter might pick instead."""
        assert self.peer is not None
        script = root / "peer.py"
        script.write_text(PEER_SCRIPT)
        paras = [p for p in md.read_text().split("\n\n") if p.strip()]
        (root / "peer-input.txt").write_text("\0".join(paras))
        cmd = [self.peer, str(script), str(root / "peer-input.txt"), str(root / "peer.docx")]
        p = pair(lambda: run(draft, root, self.env), lambda: run(cmd, root), self.runs)
        return f"{p.ratio('cpu'):.2f}x"


PEER_SCRIPT = """
import sys
from docx import Document
from docxtpl import DocxTemplate

paras = open(sys.argv[1], encoding="utf-8").read().split("\\0")
tpl = sys.argv[2] + ".tpl.docx"
d = Document()
d.add_paragraph("{%p for p in paras %}")
d.add_paragraph("{{ p }}")
d.add_paragraph("{%p endfor %}")
d.save(tpl)
t = DocxTemplate(tpl)
t.render({"paras": paras})
t.save(sys.argv[2])
"""


# ---- the cases -------------------------------------------------------------------------------


def case_warm(b: Bench, label: str, clauses: int, words: int, target: str) -> None:
    root = b.work / label
    deal = write_library(root, clauses, words)
    b.vs_pandoc(label, root, deal, target=target)


def case_samples(b: Bench) -> None:
    lib = copy_repo_library(b.work / "samples")
    for deal in sorted((lib / "deals").glob("*.yaml")):
        b.vs_pandoc(f"sample {deal.stem}", lib, deal, target="<= 0.35x")


def case_edited_deal(b: Bench) -> None:
    root = b.work / "edited-deal"
    deal = write_library(root, 50, 200)

    def edit(i: int) -> None:
        # A new title and one clause's parameter changed: that clause's text changes.
        override = f"overrides:\n  clause-0007: {{notice_days: {20 + (i + 2) % 40}}}\n"
        deal.write_text(DEAL.format(title=f"Benchmark Services Agreement {i + 2}", overrides=override))

    b.vs_pandoc("deal edited (10k)", root, deal, before=edit, target="<= 0.6x")


def case_edited_clause(b: Bench) -> None:
    root = b.work / "edited-clause"
    deal = write_library(root, 50, 200)
    clause = root / "clauses" / "synthetic" / "clause-0011.yaml"
    original = clause.read_text()

    def edit(i: int) -> None:
        clause.write_text(original.replace("Synthetic clause for benchmarks.", f"Edited {i + 2}."))

    b.vs_pandoc("clause edited (10k)", root, deal, before=edit, target="<= 1.0x")


def case_validate(b: Bench) -> None:
    lib = copy_repo_library(b.work / "validate")
    cmd = [b.cb, "validate", "--library", str(lib)]
    cold, edited = [], []
    clause = sorted((lib / "clauses").rglob("*.yaml"))[0]
    original = clause.read_text()
    for i in range(b.runs):
        env = dict(b.env, CLAUSEBOOK_CACHE_DIR=str(b.work / f"validate-cache-{i}"))
        cold.append(run(cmd, lib, env))
        # one file edited (a comment line: the bytes change, the content does not)
        clause.write_text(original + f"\n# edit {i}\n")
        edited.append(run(cmd, lib, env))
    b.notes.append(
        f"- `clausebook validate` of this repository's library, cold cache: "
        f"{statistics.median(r.wall for r in cold):.2f} s wall, "
        f"{statistics.median(r.cpu for r in cold):.2f} s CPU (target <= 1.5 s); "
        f"after one file edit: {statistics.median(r.wall for r in edited):.2f} s wall, "
        f"{statistics.median(r.cpu for r in edited):.2f} s CPU (target <= 0.3 s); "
        f"peak {max(r.rss_mb for r in cold + edited):.0f} MB (median of {b.runs})"
    )


def case_help(b: Bench) -> None:
    runs = [run([b.cb, "--help"], b.work, b.env) for _ in range(b.runs * 2)]
    b.notes.append(
        f"- `clausebook --help`: {statistics.median(r.wall for r in runs) * 1000:.0f} ms wall "
        f"(median of {len(runs)}; target < 60 ms)"
    )


def case_batch(b: Bench, n: int) -> None:
    lib = copy_repo_library(b.work / "batch")
    samples = sorted((lib / "deals").glob("*.yaml"))
    folder = lib / "batch-deals"
    folder.mkdir()
    deals = []
    for i in range(n):
        target = folder / f"deal-{i:04d}-{samples[i % len(samples)].name}"
        shutil.copy(samples[i % len(samples)], target)
        deals.append(str(target))
    cmd = [b.cb, "draft", *deals, "-o", str(lib / "batch-out"), "--jobs", "2", "--library", str(lib)]
    r = run(cmd, lib, b.env)
    b.notes.append(
        f"- {n:,} drafts of the real sample deals (Markdown + .docx each) with `--jobs 2`: "
        f"{r.wall:.1f} s wall, {r.cpu:.1f} s CPU over both cores (target < 30 s for 1,000)"
    )


def case_scale(b: Bench, sizes: tuple[int, ...]) -> None:
    points = []
    for n in sizes:
        root = b.work / f"scale-{n}"
        deal = write_library(root, n, 60)
        env = dict(b.env, CLAUSEBOOK_CACHE_DIR=str(b.work / f"scale-cache-{n}"))
        # 5,000 clauses of 60 words are over the default draft size limit (2 M characters)
        env["CLAUSEBOOK_MAX_DOCUMENT_CHARS"] = str(16 * 1024 * 1024)
        val = run([b.cb, "validate", str(deal), "--library", str(root)], root, env)
        cmd = b.draft_cmd(deal, root / "out")
        run(cmd, root, env)
        drafts = [run(cmd, root, env) for _ in range(max(3, b.runs // 2))]
        d = statistics.median(r.wall for r in drafts)
        points.append((n, val.wall, d, max(r.rss_mb for r in drafts)))
        b.notes.append(
            f"- {n:,} synthetic clauses (60 words each): validate, cold {val.wall:.2f} s "
            f"({val.rss_mb:.0f} MB); warm draft {d:.2f} s, peak {points[-1][3]:.0f} MB"
        )
    if len(points) >= 2:
        (n0, v0, d0, _), (n1, v1, d1, _) = points[0], points[-1]
        per = (n1 - n0) / 1000
        b.notes.append(
            f"- slope per 1,000 clauses: validate {(v1 - v0) / per:.2f} s, "
            f"warm draft {(d1 - d0) / per:.3f} s"
        )


def make_peer(work: Path) -> str:
    """A venv of the benchmark's own with docxtpl (from PyPI), kept apart from Clausebook's."""
    venv = work / "peer-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "docxtpl"], check=True)
    subprocess.run([str(py), "-m", "compileall", "-q", str(venv / "lib")], check=True, capture_output=True)
    return str(py)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer runs, smaller batch and scale")
    ap.add_argument("--runs", type=int, default=0, help="pairs per case (default 7, quick 3)")
    ap.add_argument("--cases", default=",".join(ALL_CASES), help="comma-separated, from: " + ", ".join(ALL_CASES))
    ap.add_argument("--peer", action="store_true", help="also time docxtpl (installs it in a temporary venv)")
    ap.add_argument("--exe", default="", help="the clausebook command to time (default: the installed script)")
    ap.add_argument("--batch", type=int, default=0, help="drafts in the batch case (default 1,000; quick 200)")
    args = ap.parse_args()
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = set(cases) - set(ALL_CASES)
    if unknown:
        sys.exit(f"unknown case(s): {', '.join(sorted(unknown))}")
    if not shutil.which("pandoc"):
        sys.exit("pandoc is needed for the comparison: apt-get install pandoc")
    # Byte-compile the package and what the editable install's finder adds to site-packages.
    for folder in (REPO / "generator", Path(sysconfig.get_paths()["purelib"])):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        b = Bench(Path(tmp), args.runs or (3 if args.quick else 7), args.exe)
        if args.peer:
            b.peer = make_peer(Path(tmp))
        steps: dict[str, Callable[[], None]] = {
            "warm-10k": lambda: case_warm(b, "warm 10k words", 50, 200, "<= 0.4x"),
            "warm-100k": lambda: case_warm(b, "warm 100k words", 100, 1000, "<= 0.15x"),
            "samples": lambda: case_samples(b),
            "edited-deal": lambda: case_edited_deal(b),
            "edited-clause": lambda: case_edited_clause(b),
            "validate": lambda: case_validate(b),
            "help": lambda: case_help(b),
            "batch": lambda: case_batch(b, args.batch or (200 if args.quick else 1000)),
            "scale": lambda: case_scale(b, (1000,) if args.quick else (1000, 5000)),
        }
        for c in cases:
            print(f"{c} ...", file=sys.stderr)
            steps[c]()
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; {pandoc_version()}; "
          f"{time.strftime('%Y-%m-%d')}; {b.runs} alternating pairs per case, medians")
    print()
    if b.rows:
        cols = list(dict.fromkeys(k for r in b.rows for k in r))
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in b.rows:
            print("| " + " | ".join(r.get(c, "") for c in cols) + " |")
        print()
    for note in b.notes:
        print(note)


def pandoc_version() -> str:
    out = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0]


if __name__ == "__main__":
    main()
