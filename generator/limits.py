"""Resource limits, read from the environment of whoever runs Clausebook: the one limits table.

Limits come from environment variables only, never from a file in the library: clause files
and the library's configuration arrive in pull requests, and a pull request must not be able
to raise the limits that protect the reviewer's machine and CI. docs/security.md lists every
variable with its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

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
    "CLAUSEBOOK_MAX_DOCUMENT_CHARS": (
        2_097_152,
        "characters all clauses of one draft may render to",
    ),
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


@dataclass(frozen=True)
class Limits:
    """Bounds on what one YAML file may cost."""

    max_bytes: int = VARIABLES["CLAUSEBOOK_MAX_FILE_BYTES"][0]
    max_depth: int = VARIABLES["CLAUSEBOOK_MAX_DEPTH"][0]
    max_nodes: int = VARIABLES["CLAUSEBOOK_MAX_NODES"][0]  # after expanding aliases
    max_int_digits: int = VARIABLES["CLAUSEBOOK_MAX_INT_DIGITS"][0]
    max_aliases: int = VARIABLES["CLAUSEBOOK_MAX_ALIASES"][0]
    max_text_chars: int = VARIABLES["CLAUSEBOOK_MAX_TEXT_CHARS"][0]


@dataclass(frozen=True)
class RenderLimits:
    """Bounds on what rendering one clause may cost."""

    max_output_chars: int = VARIABLES["CLAUSEBOOK_MAX_OUTPUT_CHARS"][0]
    max_document_chars: int = VARIABLES["CLAUSEBOOK_MAX_DOCUMENT_CHARS"][0]
    max_seconds: float = VARIABLES["CLAUSEBOOK_RENDER_SECONDS"][0]
    # on top of what the process already uses (Linux)
    max_memory_bytes: int = VARIABLES["CLAUSEBOOK_RENDER_MEMORY_MB"][0] * 2**20

    @classmethod
    def from_env(cls) -> RenderLimits:
        return cls(
            max_output_chars=env_int("CLAUSEBOOK_MAX_OUTPUT_CHARS"),
            max_document_chars=env_int("CLAUSEBOOK_MAX_DOCUMENT_CHARS"),
            max_seconds=env_number("CLAUSEBOOK_RENDER_SECONDS"),
            max_memory_bytes=env_int("CLAUSEBOOK_RENDER_MEMORY_MB") * 2**20,
        )


DEFAULT_LIMITS = Limits()
DEFAULT_RENDER_LIMITS = RenderLimits()


def current_limits() -> Limits:
    """The limits in force: defaults, each overridable by an environment variable."""
    return Limits(
        max_bytes=env_int("CLAUSEBOOK_MAX_FILE_BYTES"),
        max_depth=env_int("CLAUSEBOOK_MAX_DEPTH"),
        max_nodes=env_int("CLAUSEBOOK_MAX_NODES"),
        max_int_digits=env_int("CLAUSEBOOK_MAX_INT_DIGITS"),
        max_aliases=env_int("CLAUSEBOOK_MAX_ALIASES"),
        max_text_chars=env_int("CLAUSEBOOK_MAX_TEXT_CHARS"),
    )
