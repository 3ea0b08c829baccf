"""A firm's own library repository: init, schemas export.

Only click is imported at the top: each command imports its work inside, so `--help` is fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import reporting, say


@click.command("init")
@click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), default=".", required=False
)
@click.option(
    "--force",
    is_flag=True,
    help="Add the missing files to a folder that is not empty (existing files are never overwritten).",
)
@click.option(
    "--engine-repo",
    default=None,
    metavar="URL",
    help="Where pre-commit and the workflow fetch the engine from (default: its public repository).",
)
def init(folder: Path, force: bool, engine_repo: str | None) -> None:
    """Scaffold a firm's clause library repository in FOLDER (default: here).

    Two example clauses, a playbook, an example deal and its draft, the house style, the
    packaged schemas, lint settings, .gitignore, a pre-commit config and a GitHub workflow
    pinned to this engine's version, and a README for the firm's drafters.

    \b
    Example:
      clausebook init firm-lib && cd firm-lib && git init && git add .
      pre-commit run --all-files && clausebook draft deals/example.yaml
    """
    with reporting():
        from .. import __version__
        from ..scaffold import ENGINE_REPO, scaffold

        done = scaffold(folder, force, engine_repo or ENGINE_REPO)
        for rel in done.kept:
            say(f"kept {folder / rel} (exists)")
        say(f"init: {len(done.written)} files written in {folder}")
        if not done.release:
            click.echo(
                f"warning: engine {__version__} is a development build, so the tag v{__version__} "
                "in .pre-commit-config.yaml and .github/workflows/ does not exist: set a release",
                err=True,
            )


@click.group("schemas")
def schemas_group() -> None:
    """The JSON Schemas of clause, deal, playbook and outcome files.

    \b
    Example:
      clausebook schemas export schemas
    """


@schemas_group.command("export")
@click.argument(
    "folder", type=click.Path(path_type=Path, file_okay=False), default="schemas", required=False
)
@click.option("--force", is_flag=True, help="Replace schema files that differ from the engine's.")
def schemas_export(folder: Path, force: bool) -> None:
    """Write the engine's schemas to FOLDER (default: schemas/), where the files' modelines
    (`# yaml-language-server: $schema=...`) point, so editors check as you type.

    \b
    Example:
      clausebook schemas export            # after upgrading the engine
    """
    with reporting():
        from ..scaffold.schemas import export_schemas

        written, same = export_schemas(folder, force)
        for name in written:
            say(f"wrote {folder / name}")
        say(f"schemas: {len(written)} written, {len(same)} unchanged")


COMMANDS = (init, schemas_group)
