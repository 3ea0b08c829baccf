"""The site's one Jinja environment: sandboxed and autoescaped, templates from the package,
overridable one file at a time from the library's templates/site/ folder.

Autoescaping is the whole defence against a hostile clause: every value reaches the page
through it. The templates never use `|safe` or `Markup` (tests/site holds them to that), and
the firm's own templates run in the sandbox too, since they also arrive by pull request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..errors import ContentError, Diagnostic
from ..model import show
from ..playbook.stats import rate

OVERRIDES = ("templates", "site")  # under the library root


class _PlainFiles(jinja2.FileSystemLoader):
    """A firm's templates: plain files only (a symlink could pull any file into the site)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = Path(folder, *template.split("/"))
            if path.is_symlink():
                raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def make_env(root: Path | None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if root is not None:
        folder = root.joinpath(*OVERRIDES)
        if folder.is_dir() and not folder.is_symlink():
            loaders.append(_PlainFiles(os.fspath(folder)))
    loaders.append(jinja2.PackageLoader("generator.site", "templates"))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["show"] = show
    env.filters["rate"] = rate
    env.filters["pct"] = lambda n, d: f"{round(100 * n / d)}%" if d else "–"
    return env


class Renderer:
    def __init__(self, root: Path | None) -> None:
        self.env = make_env(root)

    def page(self, name: str, base: str, common: Mapping[str, Any], **context: Any) -> bytes:
        """One page; ``base`` leads from the page back to the site's top ("" or "../").

        A broken template (a firm's override, most likely) is one message with its file and
        line, never a traceback."""
        tpl: jinja2.Template | None = None
        try:
            tpl = self.env.get_template(name)
            html = tpl.render(base=base, **common, **context)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or (tpl.filename if tpl else None) or name
            line = getattr(exc, "lineno", None) or _template_line(exc) or 1
            message = f"site template {name}: {type(exc).__name__}: {exc.message or exc}"
            raise ContentError(
                [Diagnostic(_shown(where), line, 1, "site-template", message)]
            ) from None
        return html.encode("utf-8")


def _shown(filename: str) -> str:
    """A template's file as people know it: templates/site/x.html in the library, else the
    package's own."""
    parts = Path(filename).parts
    if len(parts) >= 2 and parts[-3:-1] == OVERRIDES:
        return "/".join(parts[-3:])
    return "generator/site/templates/" + Path(filename).name


def _template_line(exc: BaseException) -> int | None:
    """The template line of a runtime error: Jinja rewrites the traceback to point at it."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
