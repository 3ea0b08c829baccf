"""`clausebook site`: gather every page's data, render the templates, write the folder.

The straight line: library → sample deals (selected and drafted in memory) → outcome statistics
→ the definitions and search indexes → pages → files. Nothing touches the disk until every page
is rendered, and the output folder is only ever one the site wrote before (or --force).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ContentError, Diagnostic, UsageError, usage
from ..model import Library, Selection
from ..pipeline.build import make_draft, open_library
from ..playbook.outcomes import OutcomeRecord, load_outcomes
from ..playbook.stats import Stats, compute
from ..views.coverage import LEVELS, coverage
from ..writers.output import atomic_write, inside, output_dir
from . import index, pages
from .chart import acceptance_chart
from .history import histories
from .render import OVERRIDES, Renderer
from .text import titles

SOURCES = ("clauses", "playbooks", "deals", "templates")
MARKER = ".clausebook-site.json"  # the list of files this site wrote: what a rebuild may replace


@dataclass(frozen=True)
class Built:
    files: dict[str, bytes]  # site-relative path -> bytes


@dataclass(frozen=True)
class Revision:
    sha: str  # "" outside git
    date: str
    dirty: bool = False  # the library's files differ from that commit
    tag: str = ""  # `git describe --tags`: "v2.1.0", or "v2.1.0-3-g0123456789" after it


def _stats(lib: Library, root: Path) -> tuple[Stats | None, list[OutcomeRecord]]:
    """The track record, as `playbook stats` computes it; nothing when the outcome records are
    missing or broken (validate reports those)."""
    records, errors = load_outcomes(lib, root)
    pb = lib.playbooks.get("standard") or next(iter(lib.playbooks.values()), None)
    if errors or not records or pb is None:
        return None, []
    return compute(lib, pb.positions, records), records


def _drafts(
    lib: Library, root: Path, reference: bytes | None
) -> tuple[list[tuple[str, Path, Selection]], dict[str, bytes]]:
    out: list[tuple[str, Path, Selection]] = []
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for path in sorted((root / "deals").glob("*.yaml")):
        try:
            draft = make_draft(lib, path, ["md", "docx"], reference)
        except ContentError as exc:
            problems.extend(exc.diagnostics)
            continue
        out.append((path.stem, path.relative_to(root), draft.selection))
        for name, data in sorted(draft.files.items()):
            files[f"drafts/{name}"] = data
    if problems:
        raise ContentError(problems)
    return out, files


def revision(root: Path) -> Revision:
    from ..review.gitrev import git, open_repo

    try:
        repo = open_repo(root)
        sha = repo.resolve("HEAD")
    except UsageError:
        return Revision("", "")
    when = dt.datetime.fromtimestamp(repo.commit_time(sha), dt.UTC).date().isoformat()
    # Only what the site is built from: a site written inside the library is not a change.
    status = git(root, ["status", "--porcelain", "--untracked-files=all", "--", *SOURCES])
    return Revision(sha, when, bool(status.strip()), _tag(root, sha))


def _tag(root: Path, sha: str) -> str:
    from ..review.gitrev import git

    try:
        out = git(root, ["describe", "--tags", "--abbrev=10", "--end-of-options", sha])
    except UsageError:
        return ""  # no tag before this commit
    return out.decode("utf-8", "replace").strip()


def build(
    root: Path, rev: Revision, reference: bytes | None = None, git_root: Path | None = None
) -> Built:
    """Every file of the site for the library at ``root``, in memory; each clause's history
    from the git repository holding ``git_root`` (the library's own folder), from ``rev``."""
    lib = open_library(root)
    history = histories(git_root, rev.sha, lib) if git_root is not None and rev.sha else {}
    deals, files = _drafts(lib, root, reference)
    selections = [(name, sel) for name, _, sel in deals]
    stats, records = _stats(lib, root)
    all_terms = index.terms(lib)
    used = index.terms_used(all_terms)
    clauses = sorted(lib.clauses.values(), key=lambda c: (c.topic, c.id))
    defs = pages.definitions(lib, selections)
    cpages = [pages.clause_page(lib, c, selections, stats, used, defs, records) for c in clauses]
    r = Renderer(root)
    common = {"version": _engine_version(), "rev": rev, "clause_count": len(clauses)}
    cov = coverage(lib)
    topic_of = {c.id: c.topic for c in clauses}
    gap_cells = {(topic_of[g.clause], g.level, g.stance) for g in cov.gaps if g.level}
    files["index.html"] = r.page(
        "home.html",
        "",
        common,
        cov=cov,
        gap_cells=gap_cells,
        levels=LEVELS,
        clauses=clauses,
        deals=deals,
        term_count=len(all_terms),
    )
    for p in cpages:
        chart = acceptance_chart(p.stats.rows) if p.stats else None
        files[f"clauses/{p.clause.id}.html"] = r.page(
            "clause.html", "../", common, page=p, chart=chart, history=history.get(p.clause.id, ())
        )
    for name, path, sel in deals:
        drafts = tuple(k.split("/", 1)[1] for k in files if k.startswith(f"drafts/{name}."))
        dp = pages.deal_page(name, path, sel, drafts)
        files[f"deals/{name}.html"] = r.page("deal.html", "../", common, page=dp)
    files["definitions.html"] = r.page(
        "definitions.html", "", common, terms=all_terms, titles=titles(lib), defs=defs
    )
    files["search.html"] = r.page("search.html", "", common)
    plain = {p.clause.id: "\n\n".join(v.shown.plain for v in p.variants) for p in cpages}
    files["assets/search-index.js"] = index.search_index(lib, plain, all_terms).encode("utf-8")
    files.update(assets(root))
    return Built(dict(sorted(files.items())))


def _engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clausebook")
    except PackageNotFoundError:
        return "unknown"


def assets(root: Path | None = None) -> dict[str, bytes]:
    """The package's stylesheet and scripts; a plain file of the same name in the library's
    templates/site/assets/ replaces one (a firm's own site.css, say)."""
    folder = resources.files("generator.site") / "assets"
    out = {
        f"assets/{f.name}": f.read_bytes()
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.is_file() and not f.name.startswith(".")
    }
    own = root.joinpath(*OVERRIDES, "assets") if root is not None else None
    if own is not None and own.is_dir() and not own.is_symlink():
        for name in sorted(out):
            f = own / name.split("/", 1)[1]
            if f.is_file() and not f.is_symlink():
                out[name] = f.read_bytes()
    return out


@contextmanager
def library_at(root: Path, at: str | None) -> Iterator[tuple[Path, Revision]]:
    """The library folder to build from: the work tree, or the library at revision ``at``."""
    if at is None:
        yield root, revision(root)
        return
    from ..review.gitrev import snapshot

    with snapshot(root, at) as snap:
        when = dt.datetime.fromtimestamp(snap.time, dt.UTC).date().isoformat()
        yield snap.root, Revision(snap.sha, when, tag=_tag(root, snap.sha))


def write(built: Built, out: Path, force: bool) -> list[str]:
    """Write the site into ``out``; remove the files an earlier build wrote that are gone now.

    A folder that holds anything but an earlier site is refused unless ``force``: the site
    never overwrites what a person put there."""
    marker = out / MARKER
    previous: Mapping[str, str] = {}
    if out.exists() and any(out.iterdir()) and not marker.is_file() and not force:
        raise usage(
            out.as_posix(),
            "site-output",
            "the folder holds files that no earlier `clausebook site` wrote; "
            "choose an empty folder or pass --force",
        )
    folder = output_dir(out)
    if marker.is_file():
        try:
            previous = json.loads(marker.read_text("utf-8")).get("files", {})
        except (OSError, ValueError, AttributeError):
            previous = {}
    for name, data in built.files.items():
        target = inside(folder, name)  # ids are checked by the schema; this holds regardless
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
    for name in sorted(set(previous) - set(built.files)):
        stale = folder / name
        if stale.is_file() and not stale.is_symlink() and stale.resolve().is_relative_to(folder):
            stale.unlink()
    listing = {n: hashlib.sha256(d).hexdigest() for n, d in built.files.items()}
    atomic_write(marker, (json.dumps({"files": listing}, indent=1, sort_keys=True) + "\n").encode())
    return list(built.files)
