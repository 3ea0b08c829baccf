"""The environment every git command of Clausebook runs in.

``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_INDEX_FILE``, ``GIT_OBJECT_DIRECTORY`` and the rest would
point git at another repository than the library's own: a draft's manifest would then record a
commit the library never had. Git is only ever asked about the repository that holds the
library folder (``git -C <library>``), so every ``GIT_*`` variable is dropped.
"""

from __future__ import annotations

import os

_KEPT = ("GIT_CONFIG_NOSYSTEM", "GIT_CEILING_DIRECTORIES")


def git_environment() -> dict[str, str]:
    """This process's environment without ``GIT_*`` (but the two that only narrow git), for
    reading only: no optional locks, no prompts, no pager, C locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    env.update(
        {
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "LC_ALL": "C",
        }
    )
    return env
