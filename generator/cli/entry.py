"""The installed `clausebook` script: the click command line, with less work for the collector.

A command's objects are mostly long-lived (modules, the library, the document), and the cyclic
garbage collector walking them again and again, then once more at exit, cost about 15 % of a
draft's CPU. Objects alive after start-up are frozen (never walked again; they are not garbage),
and again at exit; the collector still runs in between, so a long batch keeps its memory bounded.
"""

from __future__ import annotations

import gc

from . import main as command_line


def main() -> None:
    gc.freeze()
    try:
        command_line(prog_name="clausebook")
    finally:
        gc.freeze()  # the interpreter's last collection then has nothing to walk
