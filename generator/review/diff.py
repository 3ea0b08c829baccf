"""`clausebook diff BASE HEAD`: what a change to the library means, and whose drafts it changes.

Two materialised libraries (see gitrev) are loaded and compared clause by clause on the
validated model, so reformatting a file or editing a comment is no change at all. Each change
carries the version bump it needs; a clause whose version does not move far enough is a
problem reported at its ``version`` line. Every sample deal is drafted at both revisions and
the Markdown compared, so the report shows exactly what the change does to real contracts.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ClausebookError, ContentError, Diagnostic
from ..model import Clause, Library, Parameter, Playbook, Variant
from ..textdiff import word_ops

BUMPS = ("none", "patch", "minor", "major")
_RANK = {b: i for i, b in enumerate(BUMPS)}


# ---- clause comparison -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str
    what: str
    bump: str
    old: Any = None
    new: Any = None
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ClauseDiff:
    id: str
    path: str
    line: int
    col: int
    status: str  # added | removed | changed
    old_version: str | None
    new_version: str | None
    required: str
    actual: str  # none | patch | minor | major | backwards
    changes: tuple[Change, ...]

    @property
    def ok(self) -> bool:
        if self.status != "changed":
            return True
        return self.actual != "backwards" and _RANK[self.actual] >= _RANK[self.required]

    def problem(self) -> Diagnostic | None:
        if self.ok:
            return None
        reasons = sorted(
            {
                f"{c.what}: {c.kind.replace('-', ' ')}"
                for c in self.changes
                if c.bump == self.required
            }
        )
        because = "; ".join(reasons[:4]) + (" …" if len(reasons) > 4 else "")
        to = next_version(self.old_version or "0.0.0", self.required)
        if self.actual == "backwards":
            msg = f"version went backwards ({self.old_version} -> {self.new_version})"
        elif self.actual == "none":
            msg = (
                f"version {self.old_version} was not bumped; this change needs at least a "
                f"{self.required} bump (to {to}): {because}"
            )
        else:
            msg = (
                f"version {self.old_version} -> {self.new_version} is a {self.actual} bump; this "
                f"change needs at least a {self.required} bump (to {to}): {because}"
            )
        return Diagnostic(self.path, self.line, self.col, "version-bump", msg)


def _semver(v: str | None) -> tuple[int, int, int]:
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", v or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (0, 0, 0)


def bump_between(old: str, new: str) -> str:
    o, n = _semver(old), _semver(new)
    if n < o:
        return "backwards"
    if n[0] != o[0]:
        return "major"
    if n[1] != o[1]:
        return "minor"
    return "patch" if n[2] != o[2] else "none"


def next_version(old: str, bump: str) -> str:
    M, m, p = _semver(old)
    if bump == "major":
        return f"{M + 1}.0.0"
    if bump == "minor":
        return f"{M}.{m + 1}.0"
    return f"{M}.{m}.{p + 1}"


def _param_changes(old: Parameter, new: Parameter, what: str) -> list[Change]:
    out: list[Change] = []
    if old.type != new.type:
        out.append(Change("type-changed", what, "major", old.type, new.type))
    if old.default != new.default:
        out.append(Change("default-changed", what, "major", old.default, new.default))
    if old.unit != new.unit:
        out.append(Change("unit-changed", what, "major", old.unit, new.unit))
    for bound in ("minimum", "maximum"):
        o, n = getattr(old, bound), getattr(new, bound)
        if o == n:
            continue
        # A tighter bound can make an existing deal's override invalid; a looser one cannot.
        narrowed = n is not None and (o is None or (n > o if bound == "minimum" else n < o))
        out.append(Change(f"{bound}-changed", what, "major" if narrowed else "minor", o, n))
    if old.choices != new.choices:
        removed = set(old.choices) - set(new.choices)
        out.append(
            Change(
                "choices-changed",
                what,
                "major" if removed else "minor",
                list(old.choices),
                list(new.choices),
            )
        )
    if old.fields != new.fields or old.items != new.items:
        removed_fields = {k for k, _ in old.fields} - {k for k, _ in new.fields}
        out.append(Change("fields-changed", what, "major" if removed_fields else "minor"))
    for attr in ("max_length", "min_items", "max_items"):
        if getattr(old, attr) != getattr(new, attr):
            out.append(
                Change(
                    f"{attr.replace('_', '-')}-changed",
                    what,
                    "minor",
                    getattr(old, attr),
                    getattr(new, attr),
                )
            )
    if old.description != new.description:
        out.append(Change("description-changed", what, "patch", old.description, new.description))
    return out


def _variant_changes(old: Variant, new: Variant) -> list[Change]:
    what = f"variant `{new.id}`"
    out: list[Change] = []
    if old.text != new.text:
        out.append(Change("text-changed", what, "patch", words=word_ops(old.text, new.text)))
    if old.title != new.title:
        out.append(Change("title-changed", what, "patch", old.title, new.title))
    if old.stance != new.stance:
        out.append(Change("stance-changed", what, "minor", old.stance, new.stance))
    if old.maturity != new.maturity:
        out.append(
            Change("maturity-changed", what, "minor", list(old.maturity), list(new.maturity))
        )
    if old.when != new.when:
        out.append(Change("when-changed", what, "minor", old.when, new.when))
    if old.deprecated != new.deprecated:
        out.append(Change("deprecated-changed", what, "minor", old.deprecated, new.deprecated))
    op, np_ = dict(old.parameters), dict(new.parameters)
    for name in sorted(set(op) | set(np_)):
        if op.get(name) != np_.get(name):
            # A variant's own parameter value is that variant's default.
            out.append(
                Change(
                    "default-changed",
                    f"{what} parameter `{name}`",
                    "major",
                    op.get(name),
                    np_.get(name),
                )
            )
    if old.notes != new.notes:
        out.append(Change("notes-changed", what, "patch", words=word_ops(old.notes, new.notes)))
    if old.guidance != new.guidance:
        out.append(
            Change("guidance-changed", what, "patch", words=word_ops(old.guidance, new.guidance))
        )
    return out


def clause_changes(old: Clause, new: Clause) -> list[Change]:
    out: list[Change] = []
    for attr, bump in (
        ("title", "patch"),
        ("summary", "patch"),
        ("kind", "major"),
        ("topic", "patch"),
        ("status", "none"),
        ("owner", "none"),
    ):
        o, n = getattr(old, attr), getattr(new, attr)
        if o != n:
            out.append(Change(f"{attr}-changed", "clause", bump, o, n))
    if set(old.requires) != set(new.requires):
        out.append(
            Change("requires-changed", "clause", "minor", list(old.requires), list(new.requires))
        )
    od, nd = dict(old.defines), dict(new.defines)
    for term in sorted(set(od) | set(nd)):
        what = f"definition of “{term}”"
        if term not in od:
            out.append(Change("added", what, "minor", None, nd[term]))
        elif term not in nd:
            out.append(Change("removed", what, "major", od[term], None))
        elif od[term] != nd[term]:
            out.append(Change("text-changed", what, "patch", words=word_ops(od[term], nd[term])))
    op = {p.name: p for p in old.parameters}
    np_ = {p.name: p for p in new.parameters}
    for name in sorted(set(op) | set(np_)):
        what = f"parameter `{name}`"
        if name not in op:
            out.append(Change("added", what, "minor", None, np_[name].default))
        elif name not in np_:
            out.append(Change("removed", what, "major", op[name].default, None))
        else:
            out.extend(_param_changes(op[name], np_[name], what))
    ov = {v.id: v for v in old.variants}
    nv = {v.id: v for v in new.variants}
    for vid in [v.id for v in new.variants] + [v for v in ov if v not in nv]:
        what = f"variant `{vid}`"
        if vid not in ov:
            v = nv[vid]
            out.append(
                Change("added", what, "minor", None, f"{v.stance}, maturity {list(v.maturity)}")
            )
        elif vid not in nv:
            v = ov[vid]
            out.append(
                Change("removed", what, "major", f"{v.stance}, maturity {list(v.maturity)}", None)
            )
        else:
            out.extend(_variant_changes(ov[vid], nv[vid]))
    if [v.id for v in old.variants if v.id in nv] != [v.id for v in new.variants if v.id in ov]:
        # Order decides which eligible variant of a stance a deal gets.
        out.append(Change("variant-order-changed", "clause", "minor"))
    return out


def compare_clauses(base: Library, head: Library) -> list[ClauseDiff]:
    out: list[ClauseDiff] = []
    for cid in sorted(set(base.clauses) | set(head.clauses)):
        old, new = base.clauses.get(cid), head.clauses.get(cid)
        if old is not None and new is not None and old == new:
            continue
        src = (new or old).source  # type: ignore[union-attr]
        line, col = src.where(("version",))
        if old is None:
            assert new is not None
            out.append(
                ClauseDiff(cid, src.path, line, col, "added", None, new.version, "none", "none", ())
            )
            continue
        if new is None:
            out.append(
                ClauseDiff(
                    cid, src.path, line, col, "removed", old.version, None, "none", "none", ()
                )
            )
            continue
        changes = tuple(clause_changes(old, new))
        if not changes:
            continue
        required = max((c.bump for c in changes), key=lambda b: _RANK[b])
        actual = bump_between(old.version, new.version)
        out.append(
            ClauseDiff(
                cid,
                src.path,
                line,
                col,
                "changed",
                old.version,
                new.version,
                required,
                actual,
                changes,
            )
        )
    return out


# ---- playbooks and deals ---------------------------------------------------------------------


def _placed(pb: Playbook) -> set[str]:
    ids = {c for a in pb.structure for c in a.clauses} | set(pb.schedules)
    ids |= {c for r in pb.rules for c in r.include} | set(pb.parameters)
    return ids


def affected_playbooks(base: Library, head: Library, changed: set[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for pid in sorted(set(base.playbooks) | set(head.playbooks)):
        old, new = base.playbooks.get(pid), head.playbooks.get(pid)
        if old is None:
            out.append((pid, "playbook added"))
            continue
        if new is None:
            out.append((pid, "playbook removed"))
            continue
        reasons = []
        if old.data != new.data:
            reasons.append("the playbook itself changed")
        hits = sorted((_placed(old) | _placed(new)) & changed)
        if hits:
            reasons.append("uses " + ", ".join(f"`{h}`" for h in hits))
        if reasons:
            out.append((pid, "; ".join(reasons)))
    return out


@dataclass(frozen=True)
class DealDiff:
    path: str
    status: str  # changed | unchanged | added | removed | error
    clauses: tuple[tuple[str, str], ...]  # changed clauses the HEAD draft includes: (id, variant)
    added_lines: int = 0
    removed_lines: int = 0
    diff: str = ""
    error: str = ""
    profile_changed: bool = False  # the deal file itself differs between the revisions


@dataclass(frozen=True)
class Rendered:
    markdown: str | None
    included: dict[str, str] = field(default_factory=dict)  # clause id -> variant id
    error: str = ""


def render_deal(lib: Library | None, root: Path, rel: str) -> Rendered:
    """The Markdown draft of one deal, or why there is none."""
    from ..pipeline.build import make_draft

    path = root / rel
    if not path.is_file() or path.is_symlink():
        return Rendered(None)
    if lib is None:
        return Rendered(None, error="the library does not load at this revision")
    try:
        draft = make_draft(lib, path, ["md"])
    except ClausebookError as exc:
        first = exc.diagnostics[0].text() if exc.diagnostics else str(exc)
        more = f" (and {len(exc.diagnostics) - 1} more)" if len(exc.diagnostics) > 1 else ""
        return Rendered(None, error=first + more)
    md = next(v for k, v in draft.files.items() if k.endswith(".md")).decode("utf-8")
    return Rendered(md, {s.clause.id: s.variant.id for s in draft.selection.all()})


def deal_diff(
    rel: str, base: Rendered, head: Rendered, base_label: str, head_label: str, changed: set[str]
) -> DealDiff:
    included = tuple((c, head.included[c]) for c in sorted(changed & set(head.included)))
    if head.error:
        return DealDiff(rel, "error", included, error=f"at HEAD: {head.error}")
    if base.markdown is None and head.markdown is None:
        return DealDiff(rel, "error" if base.error else "unchanged", included, error=base.error)
    if base.markdown is None:
        status = "added" if not base.error else "changed"
    elif head.markdown is None:
        status = "removed"
    else:
        status = "changed" if base.markdown != head.markdown else "unchanged"
    if status == "unchanged":
        return DealDiff(rel, status, included)
    stem = Path(rel).stem
    lines = list(
        difflib.unified_diff(
            (base.markdown or "").splitlines(),
            (head.markdown or "").splitlines(),
            f"a/outputs/{stem}.md ({base_label})",
            f"b/outputs/{stem}.md ({head_label})",
            n=2,
            lineterm="",
        )
    )
    plus = sum(1 for ln in lines if ln.startswith("+") and not ln.startswith("+++"))
    minus = sum(1 for ln in lines if ln.startswith("-") and not ln.startswith("---"))
    note = f"at BASE: {base.error}" if base.error else ""
    return DealDiff(rel, status, included, plus, minus, "\n".join(lines), note)


# ---- the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    base: str
    base_sha: str
    head: str
    head_sha: str
    clauses: tuple[ClauseDiff, ...]
    playbooks: tuple[tuple[str, str], ...]
    deals: tuple[DealDiff, ...]

    @property
    def problems(self) -> tuple[Diagnostic, ...]:
        out = [p for c in self.clauses if (p := c.problem()) is not None]
        for d in self.deals:
            if d.status == "error" and d.error.startswith("at HEAD"):
                out.append(Diagnostic(d.path, 1, 1, "render", d.error))
        return tuple(out)

    def to_json(self) -> str:
        data = asdict(self)
        for c, cd in zip(data["clauses"], self.clauses, strict=True):
            c["ok"] = cd.ok
            for ch in c["changes"]:
                ch["words"] = [list(w) for w in ch["words"]]
        data["problems"] = [asdict(p) for p in self.problems]
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() and not path.is_symlink() else None


def _deal_files(root: Path) -> set[str]:
    d = root / "deals"
    return {p.relative_to(root).as_posix() for p in d.glob("*.yaml")} if d.is_dir() else set()


def _load(root: Path, label: str) -> tuple[Library | None, list[Diagnostic]]:
    from ..pipeline.library import load_library

    try:
        return load_library(root), []
    except ContentError as exc:
        return None, [
            Diagnostic(d.path, d.line, d.col, d.rule, f"[at {label}] {d.message}", d.severity)
            for d in exc.diagnostics
        ]


def compare(
    base_root: Path,
    head_root: Path,
    base_label: str,
    head_label: str,
    deals: Sequence[str] = (),
    base_sha: str = "",
    head_sha: str = "",
) -> Report:
    """Compare two libraries on disk; ``deals`` (library-relative paths) limits the deals drafted."""
    base_lib, base_errors = _load(base_root, base_label)
    head_lib, head_errors = _load(head_root, head_label)
    if head_errors:
        raise ContentError(head_errors)
    assert head_lib is not None
    if base_lib is None:
        # Nothing to compare clause by clause: every clause at HEAD is new to this report.
        base_lib = Library(str(base_root), {}, {})
    clauses = compare_clauses(base_lib, head_lib)
    changed = {c.id for c in clauses}
    playbooks = affected_playbooks(base_lib, head_lib, changed)
    wanted = sorted(set(deals) if deals else _deal_files(base_root) | _deal_files(head_root))
    deal_diffs = []
    base_for_render = base_lib if not base_errors else None
    for rel in wanted:
        b = (
            render_deal(base_for_render, base_root, rel)
            if base_root.joinpath(rel).is_file()
            else Rendered(None)
        )
        h = render_deal(head_lib, head_root, rel)
        d = deal_diff(rel, b, h, base_label, head_label, changed)
        if _read(base_root / rel) != _read(head_root / rel):
            d = replace(d, profile_changed=True)
        deal_diffs.append(d)
    return Report(
        base_label,
        base_sha,
        head_label,
        head_sha,
        tuple(clauses),
        tuple(playbooks),
        tuple(deal_diffs),
    )
