"""`clausebook amend --upgrade`: only the named clauses move to the library's new text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.gitlib import commit, edit, library_repo


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def signed(tmp_path: Path, deal: str = "small.yaml") -> tuple[Path, Path, Path]:
    top, root = library_repo(tmp_path)
    path = root / "deals" / deal
    code, out = run("sign", str(path), "--date", "2027-02-01", "--library", str(root))
    assert code == 0, out
    return top, root, path


def moved_on(top: Path, root: Path) -> None:
    services = root / "clauses" / "core" / "services.yaml"
    edit(services, "version: 1.2.0", "version: 1.2.1")
    edit(
        services,
        "The Supplier shall provide the Services",
        "The Supplier must provide the Services",
    )
    credits = root / "clauses" / "sla" / "service-credits.yaml"
    edit(credits, "version: 2.0.0", "version: 2.0.1")
    edit(
        credits,
        "of the monthly Charges.\n\n      {% for",
        "of the Charges for each Month.\n\n      {% for",
    )
    commit(top)


def amend(root: Path, deal: Path, *args: str) -> tuple[int, str, Path]:
    out = root / "amended"
    code, text = run(
        "amend",
        str(deal),
        *args,
        "--effective",
        "2027-09-01",
        "-o",
        str(out),
        "--library",
        str(root),
    )
    return code, text, out


def redline_marked(docx: bytes) -> set[str]:
    """Clause ids whose part of the Word redline holds a tracked change."""
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    paras = [m.start() for m in re.finditer(r"<w:p[ >]", xml)]
    starts = sorted(
        {
            (max(p for p in paras if p < m.start()), m.group(1) or "")
            for m in re.finditer(
                r'w:bookmarkStart [^>]*w:name="_Ref_([^"]+)"|w:val="Heading1"', xml
            )
        }
    )
    marked = set()
    for (at, cid), (end, _) in zip(starts, [*starts[1:], (len(xml), "")], strict=True):
        if cid and ("<w:ins " in xml[at:end] or "<w:del " in xml[at:end]):
            marked.add(cid.replace("_", "-"))
    return marked


def test_upgrading_one_clause_replaces_only_that_clause(tmp_path: Path) -> None:
    top, root, deal = signed(tmp_path)
    moved_on(top, root)
    code, text, out = amend(root, deal, "--upgrade", "services")
    assert code == 0, text
    md = (out / "small-amendment.md").read_text()
    assert "Clause 2.1 (Services) is deleted and replaced with the following:" in md
    assert "must provide the Services" in md
    operative = md.split("## 3. Amendments")[1].split("## 4. General")[0]
    assert "Clause 2.2" not in operative  # service-credits moved on too, but was not named
    conformed = (out / "small-conformed.md").read_text()
    assert "must provide the Services" in conformed
    assert "of the monthly Charges" in conformed  # service-credits stays as signed
    assert redline_marked((out / "small-redline.docx").read_bytes()) == {"services"}
    assert (out / "small-amendment.docx").is_file() and (out / "small-conformed.docx").is_file()


def test_upgrade_with_no_names_takes_every_newer_clause(tmp_path: Path) -> None:
    top, root, deal = signed(tmp_path)
    moved_on(top, root)
    code, text, out = amend(root, deal, "--upgrade", "--format", "md")
    assert code == 0, text
    md = (out / "small-amendment.md").read_text()
    assert "Clause 2.1 (Services) is deleted and replaced" in md
    assert "Clause 2.2 (Service Credits) is deleted and replaced" in md
    assert "of the Charges for each Month" in (out / "small-conformed.md").read_text()
    assert not (out / "small-amendment.docx").exists()


def test_amending_again_does_not_overwrite_a_hand_edited_amendment(tmp_path: Path) -> None:
    top, root, deal = signed(tmp_path)
    moved_on(top, root)
    code, text, out = amend(root, deal, "--upgrade", "--format", "md")
    assert code == 0, text
    target = out / "small-amendment.md"
    target.write_text(target.read_text() + "\nA lawyer's note.\n")
    code, text, _ = amend(root, deal, "--upgrade", "services", "--format", "md")
    assert code == 1 and "A lawyer's note." in target.read_text()
    assert "--force" in text


def test_an_unknown_clause_is_named_with_a_suggestion(tmp_path: Path) -> None:
    _, root, deal = signed(tmp_path)
    code, text, _ = amend(root, deal, "--upgrade", "servces")
    assert code == 2 and "'servces' is not a clause of the signed agreement" in text
    assert "services" in text and "Traceback" not in text


def test_nothing_to_upgrade_is_one_message(tmp_path: Path) -> None:
    _, root, deal = signed(tmp_path)
    code, text, _ = amend(root, deal, "--upgrade")
    assert code == 1 and "every signed clause is at its library version" in text


def test_amending_an_unsigned_deal_is_refused(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path)
    code, text, _ = amend(root, root / "deals" / "small.yaml", "--to-maturity", "2")
    assert code == 2 and "no signed record" in text and "Traceback" not in text


def test_a_hand_edited_lock_stops_the_amendment(tmp_path: Path) -> None:
    _, root, deal = signed(tmp_path)
    lock = deal.with_name("small.lock.json")
    lock.write_text(
        lock.read_text().replace("The Supplier shall provide", "The Supplier may provide", 1)
    )
    code, text, out = amend(root, deal, "--to-maturity", "3")
    assert code == 1 and "edited by hand" in text and "services" in text
    assert not out.exists()


def test_an_upgrade_deleting_a_clause_others_refer_to_is_refused(tmp_path: Path) -> None:
    top, root, deal = signed(tmp_path, "small-m4.yaml")
    # The library stops including gain-sharing; the signed Services clause still refers to it.
    edit(
        root / "playbooks" / "standard.yaml",
        'when: "deal.maturity >= 3"',
        'when: "deal.maturity >= 5"',
    )
    edit(root / "clauses" / "core" / "gain-sharing.yaml", "version: 1.0.0", "version: 2.0.0")
    commit(top)
    code, text, out = amend(root, deal, "--upgrade", "gain-sharing")
    assert code == 1, text
    assert "would delete Clause 3.1 (gain-sharing)" in text
    assert "Clause 2.1 (services) refers to it" in text
    assert not out.exists()


def test_exactly_one_purpose_is_required(tmp_path: Path) -> None:
    _, root, deal = signed(tmp_path)
    code, text, _ = amend(root, deal)
    assert code == 2 and "exactly one of --to-maturity" in text
    code, text, _ = amend(root, deal, "--to-maturity", "3", "--upgrade")
    assert code == 2


def test_word_copies_of_an_amendment_that_inserts_an_article(tmp_path: Path) -> None:
    _, root, deal = signed(tmp_path)
    # Level 1 -> 3 brings in the Value article (gain-sharing), inserted after Clause 2 as 2A.
    code, text, out = amend(root, deal, "--to-maturity", "3")
    assert code == 0, text
    assert (
        "The following Clause 2A is inserted after Clause 2:"
        in (out / "small-amendment.md").read_text()
    )
    assert "note:" not in text  # the Word copies print 2A themselves (literal numbering)
    for kind in ("amendment", "conformed", "redline"):
        assert (out / f"small-{kind}.docx").is_file(), kind
    import docx

    d = docx.Document(str(out / "small-conformed.docx"))
    articles = [
        p.text.split("\t")[0]
        for p in d.paragraphs
        if p.style is not None and p.style.style_id == "Heading1" and "\t" in p.text
    ]
    assert articles == ["1.", "2.", "2A."]  # the signed numbers, 2A after 2 (not "3.")
