from __future__ import annotations

import pytest

from generator.limits import VARIABLES


@pytest.fixture(autouse=True)
def _default_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every case runs under the documented defaults, whatever the developer's shell sets."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
