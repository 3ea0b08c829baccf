"""The sticky comment's body and its setup errors (the HTTP round trip is in tests/scaffold)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.review.comment import MARKER, MAX_BODY, body_of, target_from_env


def test_a_long_report_is_cut_at_a_line_and_points_at_the_artifact() -> None:
    report = "".join(f"line {i}\n" for i in range(20_000))
    body = body_of(report)
    assert body.startswith(MARKER + "\n")
    assert len(body) < MAX_BODY + 200
    assert body.endswith("the whole report is in the `clause-review` artifact)\n")
    assert "\nline 1\n" in body


def test_setup_errors_name_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as exc:
        target_from_env({})
    assert "GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_TOKEN" in exc.value.diagnostics[0].message
    push = tmp_path / "push.json"
    push.write_text(json.dumps({"ref": "refs/heads/main"}))
    env = {"GITHUB_REPOSITORY": "f/l", "GITHUB_EVENT_PATH": str(push), "GITHUB_TOKEN": "t"}
    with pytest.raises(UsageError) as exc:
        target_from_env(env)
    assert "not a pull request event" in exc.value.diagnostics[0].message


def test_target_reads_the_pull_request_number_and_api(tmp_path: Path) -> None:
    event = tmp_path / "pr.json"
    event.write_text(json.dumps({"pull_request": {"number": 41}}))
    env = {
        "GITHUB_REPOSITORY": "firm/library",
        "GITHUB_EVENT_PATH": str(event),
        "GH_TOKEN": "t",
        "GITHUB_API_URL": "https://ghe.example.invalid/api/v3/",
    }
    t = target_from_env(env)
    assert (t.api, t.repo, t.number, t.token) == (
        "https://ghe.example.invalid/api/v3",
        "firm/library",
        41,
        "t",
    )
