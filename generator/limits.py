"""Resource limits, read from the environment of whoever runs Clausebook.

Limits come from environment variables only, never from a file in the library: clause files
and the library's configuration arrive in pull requests, and a pull request must not be able
to raise the limits that protect the reviewer's machine and CI. docs/security.md lists every
variable with its default.
"""

from __future__ import annotations

import os

from .errors import usage

# name -> (default, what it bounds); the table docs/security.md is written from.
VARIABLES: dict[str, tuple[int, str]] = {
    "CLAUSEBOOK_MAX_FILE_BYTES": (1_048_576, "size of one YAML file, in bytes"),
    "CLAUSEBOOK_MAX_DEPTH": (32, "nesting depth of one YAML file"),
    "CLAUSEBOOK_MAX_NODES": (200_000, "YAML nodes in one file, after expanding aliases"),
    "CLAUSEBOOK_MAX_ALIASES": (0, "YAML aliases (*name) allowed in one file; 0 refuses them"),
    "CLAUSEBOOK_MAX_INT_DIGITS": (30, "digits in one YAML integer"),
    "CLAUSEBOOK_MAX_TEXT_CHARS": (65_536, "characters in one YAML string (a clause text)"),
    "CLAUSEBOOK_MAX_OUTPUT_CHARS": (262_144, "characters one clause may render to"),
    "CLAUSEBOOK_RENDER_SECONDS": (4, "seconds one clause template may run"),
    "CLAUSEBOOK_RENDER_MEMORY_MB": (256, "extra memory one render may take (Linux); 0 = off"),
}


def env_number(name: str, default: float | None = None) -> float:
    """A non-negative number from the environment; a usage error (exit 2) if it is not one."""
    fallback = VARIABLES[name][0] if default is None else default
    raw = os.environ.get(name, "").strip()
    if not raw:
        return fallback
    try:
        value = float(raw.replace("_", ""))
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise usage(name, "bad-limit", f"{name}={raw!r} must be a number of 0 or more")
    return value


def env_int(name: str, default: int | None = None) -> int:
    return int(env_number(name, default))
