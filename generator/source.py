"""A loaded YAML file: plain data plus the line and column of every value and key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import Diagnostic

Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceFile:
    """A loaded YAML file: plain data plus the position of every value and key."""

    path: str
    data: Any
    positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict, compare=False)
    key_positions: dict[Pointer, tuple[int, int]] = field(default_factory=dict, compare=False)
    sha256: str = ""

    def where(self, pointer: Pointer, key: bool = False) -> tuple[int, int]:
        """Line and column of ``pointer``, falling back to its nearest parent."""
        table = self.key_positions if key else self.positions
        p = tuple(pointer)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.key_positions:
                return self.key_positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def at(self, pointer: Pointer, key: bool = False) -> str:
        """'path:line' of ``pointer``, as explain and the manifest cite it."""
        line, _ = self.where(pointer, key=key)
        return f"{self.path}:{line}"

    def diag(self, pointer: Pointer, rule: str, message: str, key: bool = False) -> Diagnostic:
        line, col = self.where(pointer, key=key)
        return Diagnostic(self.path, line, col, rule, message)
