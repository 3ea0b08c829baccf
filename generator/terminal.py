"""Terminal output shared by every view: rich tables as wide as the terminal, colour only where
wanted, and a quiet mode for scripts.

On a terminal, rich measures it (and honours COLUMNS and NO_COLOR). Piped into a file or a pager
there is no width to fit, so tables are laid out at PIPE_WIDTH rather than rich's 80 columns,
which would fold every long cell; COLUMNS still wins when set.
"""

from __future__ import annotations

import os
import sys
from typing import Any

PIPE_WIDTH = 160


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    piped = not stream.isatty() and not os.environ.get("COLUMNS", "").isdigit()
    return Console(
        file=stream,
        width=PIPE_WIDTH if piped else None,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        highlight=False,
    )
