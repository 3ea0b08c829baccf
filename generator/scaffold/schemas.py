"""The packaged JSON Schemas as files an editor can find, and a warning when a library's copy
has drifted from them (the engine always validates with its own; an editor reads the copy)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ..errors import Diagnostic, usage


def packaged_schemas() -> dict[str, bytes]:
    """file name -> content of every schema the engine ships."""
    folder = files("generator") / "schemas"
    return {
        n.name: n.read_bytes()
        for n in sorted(folder.iterdir(), key=lambda n: n.name)
        if n.name.endswith(".schema.json")
    }


def export_schemas(folder: Path, force: bool = False) -> tuple[list[str], list[str]]:
    """(written, unchanged) names; a differing file is replaced only with ``force``."""
    from ..writers.output import atomic_write

    if folder.exists() and not folder.is_dir():
        raise usage(folder.as_posix(), "not-a-folder", "exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    same: list[str] = []
    differing = []
    for name, data in packaged_schemas().items():
        target = folder / name
        if target.is_file() and target.read_bytes() == data:
            same.append(name)
            continue
        if target.exists() and not force:
            differing.append(name)
            continue
        atomic_write(target, data)
        written.append(name)
    if differing:
        from ..errors import UsageError

        raise UsageError(
            Diagnostic(
                (folder / n).as_posix(), 1, 1, "exists", "differs from the engine's; use --force"
            )
            for n in differing
        )
    return written, same


def schema_drift(root: Path) -> list[Diagnostic]:
    """A warning for each schema in the library's schemas/ that is not the engine's."""
    folder = root / "schemas"
    if not folder.is_dir():
        return []
    out = []
    for name, data in packaged_schemas().items():
        target = folder / name
        if target.is_file() and not target.is_symlink() and target.read_bytes() != data:
            out.append(
                Diagnostic(
                    f"schemas/{name}",
                    1,
                    1,
                    "schema-drift",
                    "differs from the engine's schema, which is the one validate uses; "
                    "editors read this copy: run `clausebook schemas export --force`",
                    severity="warning",
                )
            )
    return out
