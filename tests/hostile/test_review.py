"""What a reviewer cannot see in a pull request: a schema the library edits, characters that
display differently from what they are, and git revisions that are really options."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from generator.pipeline.schema import _validator

from .support import UNLOADED_SERVICES, at, cli, refused, set_clause_text, validate


def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Clausebook tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_library_schema_with_remote_ref_and_catastrophic_pattern_is_never_used(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The product validates with its own packaged schemas; the library's copy is documentation.
    no_network(monkeypatch)
    hostile = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "http://169.254.169.254/latest/meta-data/",
        "properties": {"id": {"pattern": "^(a+)+$"}},
    }
    (minilib / "schemas").mkdir(exist_ok=True)
    (minilib / "schemas" / "deal.schema.json").write_text(json.dumps(hostile))
    deal = minilib / "deals" / "slow.yaml"
    deal.write_text(
        (minilib / "deals" / "small.yaml").read_text().replace("id: small", "id: " + "a" * 40 + "-")
    )
    outcome = validate(minilib, deal)
    assert outcome.code == 0, outcome.output


def test_schema_validator_never_retrieves_a_remote_ref(monkeypatch: pytest.MonkeyPatch) -> None:
    no_network(monkeypatch)
    registry = _validator("deal")._registry
    with pytest.raises(Exception, match="169.254.169.254"):
        registry.get_or_retrieve("http://169.254.169.254/latest/meta-data/")


def test_bidi_override_in_clause_text_is_flagged_with_its_column(minilib: Path) -> None:
    # "Trojan Source": displayed as "shall pay", read by Word as "shall ton pay" reversed.
    set_clause_text(minilib, "The Supplier shall\u202e ton\u202c pay the Service Credits.")
    refused(
        validate(minilib),
        *UNLOADED_SERVICES[:1],
        at(
            17,
            "invisible-character",
            "text contains an invisible or bidirectional control character (U+202E)",
            col=25,
        ),
        *UNLOADED_SERVICES[1:],
    )


def test_zero_width_space_in_a_party_name_is_flagged(minilib: Path) -> None:
    deal = minilib / "deals" / "zwsp.yaml"
    deal.write_text(
        (minilib / "deals" / "small.yaml")
        .read_text()
        .replace("name: Acme Retail plc", "name: Acme Re\u200btail plc")
    )
    refused(
        validate(minilib, deal),
        "deals/zwsp.yaml:3:25: error[invisible-character]: "
        "text contains an invisible or bidirectional control character (U+200B)",
    )


@pytest.fixture()
def repo(minilib: Path) -> Path:
    """The test library as a git repository with one commit."""
    env = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(minilib)], check=True)
    subprocess.run(["git", "-C", str(minilib), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(minilib), *env, "commit", "-qm", "library"], check=True)
    return minilib


def test_revision_that_is_a_git_option_is_refused(repo: Path) -> None:
    # `git show --output=FILE` would write FILE; after `--` click passes it on as a revision.
    refused(
        cli("diff", "--library", repo, "--", "--output=pwned", "HEAD"),
        "--output=pwned:1:1: error[bad-revision]: git revision '--output=pwned' is "
        "refused: a revision may not start with '-' (it would be read as a git option)",
        code=2,
    )
    assert not (repo / "pwned").exists() and not Path("pwned").exists()


def test_revision_with_shell_syntax_is_refused(repo: Path, tmp_path: Path) -> None:
    refused(
        cli(
            "draft",
            "--library",
            repo,
            "--at",
            "HEAD; rm -rf ~",
            "-o",
            tmp_path / "out",
            repo / "deals" / "small.yaml",
        ),
        "HEAD; rm -rf ~:1:1: error[bad-revision]: git revision 'HEAD; rm -rf ~' is refused: "
        "it contains ' ' ';'; use a branch, tag or commit hash "
        "(letters, digits and . _ / ~ ^ @ { } + -)",
        code=2,
    )
    assert not (tmp_path / "out").exists()


def test_plain_revision_still_works(repo: Path, tmp_path: Path) -> None:
    outcome = cli(
        "draft",
        "--library",
        repo,
        "--at",
        "HEAD",
        "-o",
        tmp_path / "out",
        repo / "deals/small.yaml",
    )
    assert outcome.code == 0, outcome.output
    assert (tmp_path / "out" / "small.md").is_file()
