from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_ok_and_json_and_github_formats(minilib: Path) -> None:
    code, out = run("validate", "--library", str(minilib))
    assert code == 0 and "ok: 5 clauses, 11 variants" in out
    (minilib / "deals/bad.yaml").write_text("id: bad\n")
    code, out = run("validate", "--library", str(minilib), "--format", "json")
    assert code == 1
    problems = json.loads(out)
    assert problems[0]["path"] == "deals/bad.yaml" and problems[0]["rule"] == "schema"
    code, out = run("validate", "--library", str(minilib), "--format", "github")
    assert out.startswith("::error file=deals/bad.yaml,line=1,col=1,title=schema::")


def test_draft_writes_md_docx_manifest_and_is_idempotent(minilib: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run(
        "draft", "--library", str(minilib), str(minilib / "deals/small.yaml"), "-o", str(out)
    )
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == [
        "small.docx",
        "small.manifest.json",
        "small.md",
    ]
    code, text = run(
        "draft", "--library", str(minilib), str(minilib / "deals/small.yaml"), "-o", str(out)
    )
    assert code == 0 and "unchanged" in text


def test_draft_refuses_to_overwrite_a_hand_edited_draft(minilib: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    deal = str(minilib / "deals/small.yaml")
    run("draft", "--library", str(minilib), deal, "-o", str(out), "--format", "md")
    (out / "small.md").write_text("edited by counsel\n")
    deal_file = minilib / "deals/small.yaml"
    deal_file.write_text(deal_file.read_text().replace("cap_percent: 18", "cap_percent: 17"))
    code, text = run("draft", "--library", str(minilib), deal, "-o", str(out), "--format", "md")
    assert code == 1
    assert "small.md:1:1: error[edited-output]: was edited since it was generated" in text
    assert (out / "small.md").read_text() == "edited by counsel\n"
    code, _ = run(
        "draft", "--library", str(minilib), deal, "-o", str(out), "--format", "md", "--force"
    )
    assert code == 0 and "17%" in (out / "small.md").read_text()


def test_batch_reports_every_bad_deal_and_drafts_the_good_ones(
    minilib: Path, tmp_path: Path
) -> None:
    (minilib / "deals/bad1.yaml").write_text("id: bad1\n")
    (minilib / "deals/bad2.yaml").write_text("id: [\n")
    deals = [str(p) for p in sorted((minilib / "deals").glob("*.yaml"))]
    code, text = run(
        "draft", "--library", str(minilib), *deals, "-o", str(tmp_path / "o"), "--jobs", "2"
    )
    assert code == 1
    assert "deals/bad1.yaml" in text and "deals/bad2.yaml" in text
    assert (tmp_path / "o" / "small.md").exists() and (tmp_path / "o" / "small-m4.md").exists()


def test_usage_errors_exit_2(minilib: Path, tmp_path: Path) -> None:
    code, text = run("draft", "--library", str(minilib), str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml:1:1: error[missing-file]: deal file not found" in text
    code, text = run("validate", "--library", str(tmp_path))
    assert code == 2 and "not a Clausebook library" in text
    code, text = run(
        "draft", "--library", str(minilib), str(minilib / "deals/small.yaml"), "--format", "odt"
    )
    assert code == 2 and "md, docx and/or pdf" in text


def test_pdf_without_libreoffice_names_the_package(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, text = run(
        "draft", "--library", str(minilib), str(minilib / "deals/small.yaml"),
        "-o", str(tmp_path / "o"), "--format", "pdf",
    )  # fmt: skip
    assert code != 0 and "Traceback" not in text
    assert "libreoffice-writer" in text and "small.pdf" in text
    assert not (tmp_path / "o" / "small.pdf").exists()


def test_pdf_is_written_with_toc_page_numbers_and_no_profile_left_at_home(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import soffice_or_skip
    from tests.render import page_texts

    soffice_or_skip()
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    out = tmp_path / "o"
    args = ["draft", "--library", str(minilib), str(minilib / "deals/small.yaml"), "-o", str(out)]
    code, text = run(*args, "--format", "docx,pdf")
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == [
        "small.docx", "small.manifest.json", "small.pdf"
    ]  # fmt: skip
    toc = page_texts((out / "small.pdf").read_bytes())[1]
    assert re.search(r"Service Levels ?\.{3,} ?\d+", toc), toc
    assert list(home.iterdir()) == []  # LibreOffice ran with a throw-away profile


def test_explain_shows_variant_reason_and_value_sources(minilib: Path) -> None:
    code, text = run("explain", "--library", str(minilib), str(minilib / "deals/small-m4.yaml"))
    assert code == 0, text
    assert "rule 'optimised'" in text
    assert "deal override" in text and "playbook" in text
    assert "client stance at maturity 4" in text


def test_clauses_list_and_show(minilib: Path) -> None:
    code, text = run("clauses", "list", "--library", str(minilib), "--maturity", "3")
    assert code == 0 and "gain-sharing" in text
    code, text = run("clauses", "list", "--library", str(minilib), "--topic", "sla")
    assert "gain-sharing" not in text and "service-credits" in text
    code, text = run("clauses", "show", "--library", str(minilib), "service-credits")
    assert code == 0 and "cap_percent" in text and "Guidance" in text
    code, text = run("clauses", "show", "--library", str(minilib), "service-credit")
    assert code == 1 and "did you mean 'service-credits'?" in text


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from generator.cli import main\n"
        "heavy = [m for m in ('jinja2', 'docx', 'lxml', 'jsonschema', 'rich', 'markdown_it', 'yaml') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_library_house_style_is_used_and_exported(minilib: Path, tmp_path: Path) -> None:
    import io

    import docx

    code, _ = run("reference-docx", str(tmp_path / "ref.docx"))
    assert code == 0
    ref = docx.Document(str(tmp_path / "ref.docx"))
    ref.styles["Normal"].font.name = "Georgia"
    (minilib / "styles").mkdir()
    ref.save(str(minilib / "styles" / "reference.docx"))
    code, text = run(
        "draft",
        "--library",
        str(minilib),
        str(minilib / "deals/small.yaml"),
        "-o",
        str(tmp_path / "o"),
    )
    assert code == 0, text
    drafted = docx.Document(io.BytesIO((tmp_path / "o" / "small.docx").read_bytes()))
    assert drafted.styles["Normal"].font.name == "Georgia"
    code, text = run("reference-docx", str(tmp_path / "ref.docx"))
    assert code == 2 and "file exists" in text


def test_notes_copy_is_internal_by_name(minilib: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    args = ["draft", "--library", str(minilib), str(minilib / "deals/small.yaml"), "-o", str(out)]
    code, text = run(*args, "--format", "docx", "--notes")
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir()) == [
        "small.internal.docx", "small.internal.manifest.json"
    ]  # fmt: skip
    code, text = run(*args, "--format", "docx")  # the clean draft beside it: no clash
    assert code == 0, text
    assert (out / "small.docx").exists() and (out / "small.internal.docx").exists()


def test_build_pdf_writes_word_and_pdf_beside_the_markdown(minilib: Path) -> None:
    from tests.helpers import soffice_or_skip
    from tests.render import page_texts

    soffice_or_skip()
    code, text = run("build", "--pdf", "--library", str(minilib))
    assert code == 0, text
    out = minilib / "outputs"
    assert {"small.md", "small.docx", "small.pdf", "small-m4.pdf"} <= {
        p.name for p in out.iterdir()
    }
    assert re.search(
        r"Service Levels ?\.{3,} ?\d+", page_texts((out / "small.pdf").read_bytes())[1]
    )
    code, text = run("build", "--check", "--library", str(minilib))
    assert code == 0, text  # the Markdown drafts are the ones build writes
