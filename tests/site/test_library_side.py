"""What a firm's library can change on its site (templates), what bad input does, and the
browser tests' skip-or-fail rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.site.build import build, revision
from tests.site import browser


def test_a_firm_overrides_one_template_from_its_library(minilib: Path) -> None:
    folder = minilib / "templates" / "site"
    folder.mkdir(parents=True)
    (folder / "base.html").write_text(
        (Path(browser.__file__).parents[2] / "generator/site/templates/base.html")
        .read_text()
        .replace("<footer>", "<footer><p>Acme Legal — internal</p>")
    )
    files = build(minilib, revision(minilib)).files
    assert "Acme Legal — internal" in files["index.html"].decode()
    assert "Acme Legal — internal" in files["clauses/services.html"].decode()


def test_a_firm_replaces_the_stylesheet_but_adds_no_other_file(minilib: Path) -> None:
    folder = minilib / "templates" / "site" / "assets"
    folder.mkdir(parents=True)
    (folder / "site.css").write_text("body { color: navy; }")
    (folder / "tracker.js").write_text("fetch('https://example.invalid')")
    files = build(minilib, revision(minilib)).files
    assert files["assets/site.css"] == b"body { color: navy; }"
    assert "assets/tracker.js" not in files


def test_a_firm_template_runs_sandboxed_and_a_symlinked_one_is_ignored(minilib: Path) -> None:
    folder = minilib / "templates" / "site"
    folder.mkdir(parents=True)
    secret = minilib.parent / "secret.html"
    secret.write_text("TOP SECRET")
    (folder / "search.html").symlink_to(secret)
    (folder / "definitions.html").write_text("{{ ''.__class__.__mro__ }}")
    result = CliRunner().invoke(main, ["site", "--library", str(minilib), "-o", str(minilib / "o")])
    assert result.exit_code == 1, result.output
    assert "templates/site/definitions.html:1" in result.output and "unsafe" in result.output
    (folder / "definitions.html").unlink()
    files = build(minilib, revision(minilib)).files
    assert b"TOP SECRET" not in files["search.html"]


def test_a_broken_deal_is_reported_with_its_line_and_no_site_is_written(
    minilib: Path, tmp_path: Path
) -> None:
    deal = minilib / "deals" / "small.yaml"
    deal.write_text(deal.read_text().replace("maturity: 1", "maturity: 9"))
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["site", "--library", str(minilib), "-o", str(out)])
    assert result.exit_code == 1
    assert "deals/small.yaml:" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_browser_tests_fail_instead_of_skipping_when_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(browser, "_found", lambda name: None)
    monkeypatch.setenv("CLAUSEBOOK_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="chromium"), browser.chromium():
        pass
    monkeypatch.delenv("CLAUSEBOOK_REQUIRE_BROWSER")
    with pytest.raises(pytest.skip.Exception), browser.chromium():
        pass
