"""`clausebook site` without a browser: what is written, links, determinism, the output folder."""

from __future__ import annotations

import re
import resource
import time
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.errors import UsageError
from generator.model import Library
from generator.pipeline.library import load_library
from generator.site.build import MARKER, Built, build, revision, write
from generator.site.diff import pieces, site_ops
from tests.conftest import REPO
from tests.gitlib import commit, edit, library_repo


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key) and tag != "form":
                self.hrefs.append(str(a[key]))


def parsed(data: bytes) -> Links:
    p = Links()
    p.feed(data.decode("utf-8"))
    return p


def test_every_clause_deal_and_index_page_is_written(repo_site: Built) -> None:
    lib: Library = load_library(REPO)
    files = repo_site.files
    for name in ("index.html", "definitions.html", "search.html", "assets/search-index.js"):
        assert name in files
    assert {f"clauses/{cid}.html" for cid in lib.clauses} <= set(files)
    deals = sorted(p.stem for p in (REPO / "deals").glob("*.yaml"))
    for d in deals:
        assert f"deals/{d}.html" in files
        assert f"drafts/{d}.md" in files and f"drafts/{d}.docx" in files
    # The committed Markdown drafts are what the site links to.
    assert files["drafts/offshore-remote.md"] == (REPO / "outputs/offshore-remote.md").read_bytes()


def test_every_link_and_anchor_inside_the_site_resolves(repo_site: Built) -> None:
    broken = []
    pages = {n: parsed(d) for n, d in repo_site.files.items() if n.endswith(".html")}
    for name, data in repo_site.files.items():
        if name.endswith(".html"):
            ids = re.findall(rb' id="([^"]+)"', data)
            assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
    for name, links in pages.items():
        for href in links.hrefs:
            assert not re.match(r"^[a-z]+:", href), f"{name}: external or scheme link {href}"
            path, _, anchor = href.partition("#")
            target = str(PurePosixPath(name).parent / path) if path else name
            target = str(PurePosixPath(*_normal(target)))
            if target not in repo_site.files:
                broken.append(f"{name} -> {href}")
            elif anchor and target.endswith(".html") and anchor not in pages[target].ids:
                broken.append(f"{name} -> {href} (no such anchor)")
    assert broken == []


def _normal(path: str) -> list[str]:
    out: list[str] = []
    for part in path.split("/"):
        if part == "..":
            out.pop()
        elif part not in (".", ""):
            out.append(part)
    return out


def test_clause_page_shows_parameters_variants_ladder_outcomes_and_deals(repo_site: Built) -> None:
    html = repo_site.files["clauses/service-credits.html"].decode()
    assert "<code>at_risk_percent</code>" in html and "5 to 20" in html
    variants = yaml.safe_load((REPO / "clauses/credits/service-credits.yaml").read_text("utf-8"))
    assert html.count('class="variant stance-') == len(variants["variants"])  # one per variant
    # every text rendered with sample values (the History redlines the source as written)
    assert "{{" not in html[: html.index('id="history"')]
    assert "Walk-away" in html and "Approved by" in html
    assert '<svg class="chart"' in html and "Small sample" in html
    assert 'href="../deals/offshore-remote.html"' in html
    assert "<ins>" in html and "<del>" in html
    assert 'id="history"' in html and "1.0.0" in html
    grid = html[html.index('<table class="grid"') :]
    first_row = grid[
        grid.index('<tr><th scope="row">1</th>') : grid.index("</tr>", grid.index("<tbody>"))
    ]
    client = first_row.split("<td>")[1]
    assert (
        'href="#variant-client"' in client and 'href="#variant-client-variable-pricing"' in client
    )
    assert "(if deal.pricing.model" in client


def test_deal_page_shows_the_trace_the_check_and_the_drafts(repo_site: Built) -> None:
    html = repo_site.files["deals/offshore-remote.html"].decode()
    assert 'href="../drafts/offshore-remote.md"' in html
    assert 'href="../drafts/offshore-remote.docx"' in html
    assert "Deviation check" in html and "Mei Chen" in html  # an approval the deal records
    assert "deal override" in html or "playbook" in html  # each value's source


def test_definitions_index_names_the_defining_and_using_clauses(repo_site: Built) -> None:
    html = repo_site.files["definitions.html"].decode()
    dt = html.index("<dt>Service Credit</dt>")
    entry = html[dt : html.index("</dd>", dt)]
    assert 'Defined in <a href="clauses/service-credits.html">' in entry
    assert "used in" in entry


def test_the_search_index_covers_titles_summaries_text_and_terms(repo_site: Built) -> None:
    js = repo_site.files["assets/search-index.js"].decode()
    assert js.startswith("window.CLAUSEBOOK_INDEX = [")
    assert '"Service Credit"' in js and '"title":"Service Credits"' in js
    assert "<" not in js and ">" not in js
    import json

    docs = {d["id"]: d for d in json.loads(js[len("window.CLAUSEBOOK_INDEX = ") : -2])}
    words = set(docs["service-credits"]["text"].split())
    # the whole text of every variant, the last variant's last words included
    assert {"stabilisation", "invoiced", "remediation"} <= words


def test_the_same_library_gives_the_same_bytes(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    first = build(root, revision(root), git_root=root)
    second = build(root, revision(root), git_root=root)
    assert first.files == second.files
    assert b"Clausebook" in first.files["index.html"]
    assert b"not yet committed" not in first.files["index.html"]
    edit(root / "clauses/core/services.yaml", "summary: The Services.", "summary: Edited.")
    assert "not yet committed" in build(root, revision(root)).files["index.html"].decode()


def test_history_shows_each_version_with_a_redline(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    edit(root / "clauses/core/services.yaml", "version: 1.2.0", "version: 1.2.1")
    edit(
        root / "clauses/core/services.yaml",
        "{{ start_days | days }} after",
        "{{ start_days | days }} following",
    )
    sha = commit(top, "Services: plainer start wording")
    html = build(root, revision(root), git_root=root).files["clauses/services.html"].decode()
    history = html[html.index('id="history"') :]
    assert history.index("1.2.1") < history.index("1.2.0")  # newest first
    assert sha[:10] in history and "Services: plainer start wording" in history
    assert "<del>after" in history and "<ins>following" in history


def test_diff_pieces_join_back_to_the_text_and_ops_rebuild_both_sides() -> None:
    old = "The Supplier shall pay. Within 30 days; or\nelse.\n\nA second paragraph."
    new = "The Supplier must pay. Within 45 days; or\nelse.\n\nA third paragraph, longer."
    assert "".join(pieces(old)) == old
    ops = site_ops(old, new)
    assert "".join(t for op, t in ops if op != "+") == old
    assert "".join(t for op, t in ops if op != "-") == new
    assert ("-", "30 ") in ops and ("+", "45 ") in ops


def test_a_folder_of_other_files_is_refused_without_force(tmp_path: Path, repo_site: Built) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    small = Built({"index.html": b"<p>x</p>", "old.html": b"old"})
    with pytest.raises(UsageError, match="--force"):
        write(small, out, force=False)
    write(small, out, force=True)
    assert (out / "notes.txt").read_text() == "mine" and (out / MARKER).is_file()
    write(Built({"index.html": b"<p>y</p>"}), out, force=False)  # an earlier site: replaced
    assert not (out / "old.html").exists() and (out / "notes.txt").exists()


def _cpu() -> float:
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def test_cli_builds_the_repository_site_in_under_ten_seconds(tmp_path: Path) -> None:
    """CPU seconds (this process and its git children), so that other jobs sharing the
    machine do not make the figure; wall-clock only has to be sane."""
    out = tmp_path / "site"
    cpu, wall = _cpu(), time.monotonic()
    result = CliRunner().invoke(main, ["site", "--library", str(REPO), "-o", str(out)])
    cpu, wall = _cpu() - cpu, time.monotonic() - wall
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "assets/site.css").is_file()
    assert cpu < 10, f"site took {cpu:.1f} CPU seconds"
    assert wall < 60, f"site took {wall:.1f} s"


def test_site_at_a_revision_builds_the_library_as_it_was(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    edit(root / "clauses/core/services.yaml", "summary: The Services.", "summary: Changed later.")
    commit(top)
    out = tmp_path / "old"
    result = CliRunner().invoke(
        main, ["site", "--library", str(root), "--at", "base", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "The Services." in (out / "clauses/services.html").read_text()
    assert "Library base:" in (out / "index.html").read_text()  # the tag names the version
    assert "Changed later." not in (out / "clauses/services.html").read_text()


def test_pages_read_in_full_without_javascript(repo_site: Built) -> None:
    html = repo_site.files["clauses/service-credits.html"].decode()
    # Only the picker (which needs the script) starts hidden; every diff is in the page.
    assert '<form class="picker" hidden>' in html
    n = len(
        yaml.safe_load((REPO / "clauses/credits/service-credits.yaml").read_text("utf-8"))[
            "variants"
        ]
    )
    assert html.count('<section class="diff"') == n * (n - 1) // 2  # every pair of variants
    assert " hidden" not in html.replace('<form class="picker" hidden>', "")


def test_the_coverage_matrix_marks_a_missing_balanced_variant(minilib: Path) -> None:
    clause = minilib / "clauses/core/services.yaml"
    text = clause.read_text()
    at = text.index("  - id: balanced")
    clause.write_text(
        text[:at] + text[at:].replace("maturity: [1, 2, 3, 4]", "maturity: [1, 2]", 1)
    )
    home = build(minilib, revision(minilib)).files["index.html"].decode()
    row = home[home.index('<a href="#topic-core">') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r"<td( class=\"gap\")?>", row)
    # L1..L4 x client, balanced, provider: balanced at L3 and L4 is the gap.
    assert [bool(c) for c in cells] == [False] * 7 + [True] + [False] * 2 + [True, False]
