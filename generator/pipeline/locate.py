"""Finding the library, a deal file and the house style from what a command line names.

Shared by the click commands (generator/cli/common.py) and the installed script's click-free
`draft DEAL` path (generator/script.py), so it lives below the command line and imports no click."""

from __future__ import annotations

from pathlib import Path

from ..errors import usage


def find_library(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds a clauses/ folder."""
    for folder in (start, *start.parents):
        if (folder / "clauses").is_dir():
            return folder
    return start


def deal_file(root: Path, path: Path) -> Path:
    """``path`` as given if it exists, else the same path inside the library."""
    if path.is_file():
        return path
    inside = root / path
    if not path.is_absolute() and inside.is_file():
        return inside
    looked = path.resolve().as_posix()
    if not path.is_absolute() and inside.resolve() != path.resolve():
        looked += f" and {inside.resolve().as_posix()}"
    raise usage(path.as_posix(), "missing-file", f"deal file not found (looked for {looked})")


def house_style(root: Path, explicit: Path | None = None) -> bytes | None:
    """The reference .docx: --reference-docx, else the library's styles/reference.docx."""
    from ..writers.docx.reference import read_reference
    from ..writers.house_style import clean_reference

    path = explicit
    style = root / "styles" / "reference.docx"
    if path is None and (style.is_file() or style.is_symlink()):
        # The library's own copy must be inside the library: a link to the file, or a styles/
        # folder that is a link, may lead anywhere (redline refuses it the same way).
        try:
            inside = style.resolve(strict=True).is_relative_to(root.resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            raise usage(
                "styles/reference.docx",
                "symlink",
                "reached through a symbolic link that leaves the library; refused",
            )
        path = style
    if path is None:
        return None
    return clean_reference(read_reference(path), str(path))
