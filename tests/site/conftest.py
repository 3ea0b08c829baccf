"""The repository's own site, built once per test session (about 5 s) and shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.build import Built, build, revision, write
from tests.conftest import REPO


@pytest.fixture(scope="session")
def repo_site() -> Built:
    return build(REPO, revision(REPO), git_root=REPO)


@pytest.fixture(scope="session")
def repo_site_dir(repo_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    write(repo_site, out, force=False)
    return out
