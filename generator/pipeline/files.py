"""Where a library's files are, and which of them may be read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ..errors import ContentError, Diagnostic, usage
from ..portable import WINDOWS_RESERVED
from ..source import SourceFile
from .load import read_yaml

_NOT_PORTABLE = re.compile(r'[<>:"|?*\\\x00-\x1f]|[. ]$')


def path_problem(root: Path, path: Path, display: str) -> Diagnostic | None:
    """Why a library file must not be read: it lives outside the library through a symbolic
    link, or its name cannot exist on Windows (the library must check out everywhere)."""
    try:
        inside = path.resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = True  # a dangling or looping link: read_yaml reports it
    if not inside:
        return Diagnostic(
            display,
            1,
            1,
            "symlink",
            "reached through a symbolic link that leaves the library; refused",
        )
    for part in path.relative_to(root).parts:
        if part.split(".")[0].lower() in WINDOWS_RESERVED or _NOT_PORTABLE.search(part):
            return Diagnostic(
                display,
                1,
                1,
                "file-name",
                f"'{part}' cannot be a file name on Windows (reserved device name or character); "
                "rename it",
            )
    return None


def library_glob(root: Path, folder: str, pattern: str) -> tuple[list[Path], list[Diagnostic]]:
    """The files ``folder/pattern`` names inside the library, and a problem for each one that
    leaves it through a symbolic link (of the file, or of a folder on the way)."""
    base = root / folder
    if not base.is_dir():
        return [], []
    paths: list[Path] = []
    problems: list[Diagnostic] = []
    for path in sorted(base.glob(pattern)):
        problem = path_problem(root, path, path.relative_to(root).as_posix())
        if problem is not None and problem.rule == "symlink":
            problems.append(problem)
        else:
            paths.append(path)
    return paths, problems


def library_files(root: Path) -> list[Path]:
    """Every file that makes up a library's content, in a stable order."""
    out: list[Path] = []
    for folder, pattern in (("clauses", "*/*.yaml"), ("playbooks", "*.yaml")):
        base = root / folder
        if base.is_dir():
            out.extend(sorted(base.glob(pattern)))
            out.extend(sorted(base.rglob("*.yml")))
    return out


def discover(
    root: Path, contents: Mapping[Path, bytes] | None = None
) -> tuple[list[SourceFile], list[SourceFile], list[Diagnostic]]:
    """Load every clause and playbook file of a library, collecting errors from all of them.

    ``contents``: bytes already read (and hashed for the cache key) for some of the files; those
    are parsed instead of reading the file again, so the key matches what was parsed.
    """
    contents = contents or {}
    clauses: list[SourceFile] = []
    playbooks: list[SourceFile] = []
    errors: list[Diagnostic] = []
    for folder, bucket, pattern in (
        ("clauses", clauses, "*/*.yaml"),
        ("playbooks", playbooks, "*.yaml"),
    ):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.glob(pattern)):
            display = path.relative_to(root).as_posix()
            problem = path_problem(root, path, display)
            if problem:
                errors.append(problem)
                continue
            try:
                bucket.append(read_yaml(path, display, data=contents.get(path)))
            except ContentError as exc:
                errors.extend(exc.diagnostics)
        for stray in sorted(base.rglob("*.yml")):
            errors.append(
                Diagnostic(
                    stray.relative_to(root).as_posix(), 1, 1, "file-name", "use the .yaml extension"
                )
            )
    return clauses, playbooks, errors


def library_root(path: str | Path | None) -> Path:
    root = Path(path) if path is not None else Path.cwd()
    if not root.is_dir():
        raise usage(str(root), "not-a-library", "library folder not found")
    if not (root / "clauses").is_dir():
        raise usage(
            str(root),
            "not-a-library",
            "not a Clausebook library: it has no clauses/ folder (use --library PATH)",
        )
    return root


def deal_display(root: Path, path: Path) -> str:
    """How messages name a deal file: relative to its library when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
