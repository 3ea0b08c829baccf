"""`clausebook init`: a firm's own library repository, scaffolded from files the package ships.

The example library in ``template/`` is kept valid by a test that runs validate, lint, draft and
build --check on a fresh scaffold. Files whose names start ``dot-`` are written with a leading
dot: package-data globs skip hidden files, and an engine checkout should not run the scaffold's
own workflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .. import __version__
from ..errors import Diagnostic, UsageError, usage

# Where the engine is published: the pre-commit hooks and the GitHub Action are fetched from it.
ENGINE_REPO = "https://github.com/clausebook/clausebook"


@dataclass(frozen=True)
class Scaffold:
    root: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]  # already there: never overwritten, even with --force

    @property
    def release(self) -> bool:
        """Whether the pinned tag v<version> can exist: a development build has no tag."""
        return re.fullmatch(r"\d+\.\d+\.\d+", __version__) is not None


def engine_slug(repo: str) -> str:
    """owner/name of a GitHub repository URL, as `uses:` wants it; the default's otherwise."""
    m = re.match(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", repo)
    return m.group(1) if m else engine_slug(ENGINE_REPO)


def planned_files(engine_repo: str = ENGINE_REPO) -> dict[str, bytes]:
    """Every file of a new library (relative POSIX path -> content), outputs/ excepted."""
    from ..writers.docx.reference import default_reference

    subst = {
        "@ENGINE_REPO@": engine_repo,
        "@ENGINE_SLUG@": engine_slug(engine_repo),
        "@ENGINE_VERSION@": __version__,
    }
    out: dict[str, bytes] = {}
    for rel, node in _walk(files(__package__) / "template", ""):
        text = node.read_text("utf-8")
        for key, value in subst.items():
            text = text.replace(key, value)
        out[rel] = text.encode("utf-8")
    schemas = files("generator") / "schemas"
    for node in sorted(schemas.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".schema.json"):
            out[f"schemas/{node.name}"] = node.read_bytes()
    out["styles/reference.docx"] = default_reference()
    return out


def _walk(node: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda n: n.name):
        name = "." + child.name[4:] if child.name.startswith("dot-") else child.name
        if child.is_dir():
            found += _walk(child, f"{prefix}{name}/")
        elif not name.endswith((".pyc", ".py")):
            found.append((f"{prefix}{name}", child))
    return found


def refuse_non_empty(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise usage(target.as_posix(), "not-a-folder", "exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise usage(
            target.as_posix(),
            "not-empty",
            "folder is not empty; use --force to add the missing files (none is overwritten)",
        )


def scaffold(target: Path, force: bool = False, engine_repo: str = ENGINE_REPO) -> Scaffold:
    """Write a new library into ``target``; existing files are kept, never overwritten."""
    from ..writers.output import atomic_write

    if not force:
        refuse_non_empty(target)
    written: list[str] = []
    kept: list[str] = []
    problems: list[Diagnostic] = []
    for rel, data in planned_files(engine_repo).items():
        path = target / rel
        if path.exists() or path.is_symlink():
            kept.append(rel)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)
        except OSError as exc:
            problems.append(Diagnostic(path.as_posix(), 0, 0, "write-failed", exc.strerror or ""))
            continue
        written.append(rel)
    if problems:
        raise UsageError(problems)
    written += _example_draft(target, kept)
    return Scaffold(target, tuple(written), tuple(kept))


def _example_draft(target: Path, kept: list[str]) -> list[str]:
    """outputs/example.md, so `build --check` passes on the first commit."""
    from ..pipeline.build import make_draft, open_library
    from ..writers.output import atomic_write

    deal = target / "deals" / "example.yaml"
    md = target / "outputs" / "example.md"
    if "deals/example.yaml" in kept or md.exists() or md.is_symlink():
        return []  # the firm's own deal or draft: not ours to draft over
    draft = make_draft(open_library(target), deal, ["md"])
    md.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(md, draft.files["example.md"])
    return ["outputs/example.md"]
