"""One sticky pull-request comment with the clause review: posted once, then updated in place.

The comment is found again by a hidden marker, so every push edits the same comment instead of
adding one. Everything comes from the environment GitHub Actions sets (GITHUB_API_URL,
GITHUB_REPOSITORY, GITHUB_EVENT_PATH) and a token with `pull-requests: write`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentError, Diagnostic, UsageError

MARKER = "<!-- clausebook:clause-review -->"
# GitHub refuses comment bodies over 65,536 characters; the full report is in the artifact.
MAX_BODY = 60_000


@dataclass(frozen=True)
class Target:
    api: str  # https://api.github.com
    repo: str  # owner/name
    number: int  # the pull request
    token: str


def target_from_env(env: dict[str, str]) -> Target:
    missing = [k for k in ("GITHUB_REPOSITORY", "GITHUB_EVENT_PATH") if not env.get(k)]
    token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or ""
    if not token:
        missing.append("GITHUB_TOKEN")
    if missing:
        raise _usage(f"needs {', '.join(missing)} (run it in a pull request's workflow)")
    try:
        event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text("utf-8"))
        number = int(event["pull_request"]["number"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _usage(f"GITHUB_EVENT_PATH is not a pull request event ({exc})") from None
    api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    return Target(api, env["GITHUB_REPOSITORY"], number, token)


def body_of(markdown: str) -> str:
    if len(markdown) > MAX_BODY:
        markdown = (
            markdown[:MAX_BODY].rsplit("\n", 1)[0]
            + "\n\n… (cut: the whole report is in the `clause-review` artifact)\n"
        )
    return f"{MARKER}\n{markdown}"


def post_sticky(target: Target, markdown: str) -> str:
    """Create or update the one review comment; returns "created" or "updated"."""
    body = body_of(markdown)
    base = f"{target.api}/repos/{target.repo}/issues"
    page = 1
    while True:
        found = _call(target, "GET", f"{base}/{target.number}/comments?per_page=100&page={page}")
        if not isinstance(found, list):
            raise _failed("unexpected answer listing comments")
        for c in found:
            if isinstance(c, dict) and str(c.get("body", "")).startswith(MARKER):
                _call(target, "PATCH", f"{base}/comments/{c['id']}", {"body": body})
                return "updated"
        if len(found) < 100:
            break
        page += 1
    _call(target, "POST", f"{base}/{target.number}/comments", {"body": body})
    return "created"


def _call(target: Target, method: str, url: str, payload: dict[str, str] | None = None) -> Any:
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {target.token}")
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        hint = " (the token needs `pull-requests: write`)" if exc.code in (401, 403, 404) else ""
        raise _failed(f"{method} {url}: HTTP {exc.code}{hint}") from None
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise _failed(f"{method} {url}: {exc}") from None


def _usage(message: str) -> UsageError:
    return UsageError([Diagnostic("github", 1, 1, "comment-setup", message)])


def _failed(message: str) -> ContentError:
    return ContentError([Diagnostic("github", 1, 1, "comment-failed", message)])
