"""Write what intake produced, never overwriting a file without --force, atomically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Diagnostic
from ..model import Report
from ..portable import source_date_epoch
from ..writers.output import atomic_write, check_overwrite, inside, output_dir, output_stem
from .history import append_round, history_path, rounds
from .report import build_report, intake_json, patch_yaml
from .respond import response_redline
from .run import Intake


def _now() -> dt.datetime:
    return source_date_epoch() or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def write_intake(
    root: Path, r: Intake, out: Path | None, author: str, force: bool, history: bool
) -> tuple[list[str], list[Diagnostic]]:
    import json

    from ..writers.docx.report import report_docx
    from ..writers.markdown import report_markdown

    deal_file = Path(r.deal.source.path)
    if not deal_file.is_absolute():
        deal_file = root / deal_file
    hist = history_path(deal_file)
    number = len(rounds(hist)) + 1
    stem = output_stem(deal_file)
    folder = output_dir(
        out if out is not None else root / "outputs" / "intake" / f"{stem}-round-{number}"
    )
    when = _now()
    report: Report = build_report(r)
    files = {
        "issues.md": report_markdown(report).encode("utf-8"),
        "issues.docx": report_docx(report, when),
        "patch.yaml": patch_yaml(r).encode("utf-8"),
        "response.docx": response_redline(r, author, when),
        "intake.json": (json.dumps(intake_json(r), indent=2, ensure_ascii=False) + "\n").encode(),
    }
    problems = [
        d
        for name, data in files.items()
        if (d := check_overwrite(inside(folder, name), data, {}, force)) is not None
    ]
    if problems:
        return [], problems
    written = []
    for name, data in files.items():
        target = inside(folder, name)
        atomic_write(target, data)
        written.append(str(target))
    if history:
        append_round(hist, r, when.date())
        written.append(str(hist))
    return written, []
