"""`clausebook intake` on drafts edited by another program: LibreOffice with change tracking on
(scripted through python3-uno, as a counterparty's Word would edit them), the same edits made
without tracking, and the file after a pandoc round trip (bookmarks and controls gone)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.intake.align import norm
from generator.intake.classify import clause_text, rendered
from generator.intake.report import merge_patch
from generator.intake.wordfile import read_word
from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library
from tests.helpers import soffice_or_skip

HERE = Path(__file__).parent
UNO_PYTHON = "/usr/bin/python3"

EDITS = {
    # a parameter change within a fallback, a parameter with no position, an inserted sentence,
    # and a comment, each in its own clause
    "mixed": [
        {"replace": "thirty (30) days", "with": "sixty (60) days"},
        {"replace": "capped at 18%", "with": "capped at 12%"},
        {"insert_after": "every Month:", "text": " Service Levels are measured by the Supplier."},
        {"comment_on": "pay each Service Credit", "text": "Credits should be paid quarterly."},
    ],
    "preferred": [{"replace": "capped at 18%", "with": "capped at 15%"}],
    # past the walk-away point, with a provision deleted
    "walkaway": [
        {"replace": "capped at 18%", "with": "capped at 6%"},
        {"delete_paragraph": "Below 99% the credit"},
    ],
}


def _uno_or_skip() -> None:
    soffice_or_skip()
    ok = (
        shutil.which(UNO_PYTHON)
        and subprocess.run(
            [UNO_PYTHON, "-c", "import uno"], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not ok:
        if os.environ.get("CI") or os.environ.get("CLAUSEBOOK_REQUIRE_SOFFICE"):
            pytest.fail("python3-uno is required to script LibreOffice; .ci/run installs it")
        pytest.skip("python3-uno not installed: apt-get install python3-uno")


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each fixture, made from the draft as sent by the committed script tests/intake/uno_edit.py."""
    _uno_or_skip()
    tmp = tmp_path_factory.mktemp("intake")
    lib_root = tmp / "lib"
    shutil.copytree(HERE.parents[0] / "fixtures" / "minilib", lib_root)
    draft = make_draft(load_library(lib_root), lib_root / "deals" / "small.yaml", ["docx"])
    sent = tmp / "small.docx"
    sent.write_bytes(draft.files["small.docx"])
    out = {"lib": lib_root}
    for name, edits in EDITS.items():
        (tmp / f"{name}.json").write_text(json.dumps(edits))
        for untracked in (False, True) if name == "mixed" else (False,):
            target = tmp / f"{name}{'-untracked' if untracked else ''}.docx"
            cmd = [
                UNO_PYTHON,
                str(HERE / "uno_edit.py"),
                str(sent),
                str(target),
                str(tmp / f"{name}.json"),
            ] + (["--untracked"] if untracked else [])
            subprocess.run(cmd, check=True, timeout=180, capture_output=True)
            out[target.stem] = target
    if shutil.which("pandoc"):  # the same returned file after pandoc: no bookmarks, no controls
        target = tmp / "mixed-pandoc.docx"
        subprocess.run(
            ["pandoc", str(out["mixed"]), "--track-changes=all", "-o", str(target)],
            check=True,
            timeout=120,
        )
        out["mixed-pandoc"] = target
    return out


def intake(lib: Path, path: Path, *extra: str) -> tuple[int, dict]:
    res = CliRunner().invoke(
        main,
        [
            "intake",
            str(path),
            "--deal",
            str(lib / "deals" / "small.yaml"),
            "--library",
            str(lib),
            "--format",
            "json",
            "--no-history",
            "-o",
            str(path.with_suffix("")) + "-out",
            "--force",
            *extra,
        ],
    )
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.stdout)


def summary(report: dict) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return [
        (i["clause"], i["summary"], i["status"], i["step"], tuple(i["approvers"]))
        for i in report["issues"]
    ]


MIXED = [
    ("sla-schedule", "language the library does not hold", "unknown language", "", ("test",)),
    ("services", "services.start_days: 30 \u2192 60", "no position", "", ("test",)),
    (
        "service-credits",
        "service-credits.cap_percent: 18 \u2192 12",
        "needs approval",
        "Fallback 1 (12% cap)",
        ("deal-lead", "cfo"),
    ),
]


def test_mixed_round_lists_each_change_where_it_lands(returned: dict[str, Path]) -> None:
    code, report = intake(returned["lib"], returned["mixed"])
    assert code == 1
    assert summary(report) == MIXED
    services = next(i for i in report["issues"] if i["clause"] == "services")
    assert services["comments"] == [
        {
            "author": "Provider Counsel",
            "text": "Credits should be paid quarterly.",
            "reply_to": None,
        }
    ]
    assert all(i["authors"] == ["Provider Counsel"] for i in report["issues"])
    assert not any(i["untracked"] for i in report["issues"])
    assert report["counterparty"] == ["Provider Counsel"]


def test_untracked_edits_are_found_by_comparison(returned: dict[str, Path]) -> None:
    code, report = intake(returned["lib"], returned["mixed-untracked"])
    assert code == 1
    assert summary(report) == MIXED
    assert all(i["untracked"] for i in report["issues"])
    assert all(i["authors"] == [] for i in report["issues"])


def test_pandoc_round_trip_still_maps_every_change(returned: dict[str, Path]) -> None:
    if "mixed-pandoc" not in returned:
        pytest.skip("pandoc not installed")
    _, report = intake(returned["lib"], returned["mixed-pandoc"])
    assert summary(report) == MIXED


def test_past_walk_away_with_a_deleted_provision(returned: dict[str, Path]) -> None:
    code, report = intake(returned["lib"], returned["walkaway"])
    assert code == 1
    [issue] = report["issues"]
    assert issue["clause"] == "service-credits"
    assert issue["status"] == "past walk-away"
    assert issue["summary"].startswith("service-credits.cap_percent: 18 \u2192 6")
    assert "language the library does not hold" in issue["summary"]
    assert "Below 99% the credit is 5%. Below 97% the credit is 10%-]" in issue["diff"]


def test_change_within_authority_patch_redrafts_the_returned_text(
    returned: dict[str, Path], tmp_path: Path
) -> None:
    lib = returned["lib"]
    code, report = intake(lib, returned["preferred"])
    assert code == 0
    assert summary(report) == [
        (
            "service-credits",
            "service-credits.cap_percent: 18 \u2192 15",
            "within authority",
            "Preferred (variant client; cap_percent at least 15; sole_remedy false)",
            (),
        ),
    ]
    out = Path(str(returned["preferred"].with_suffix("")) + "-out")
    patch = yaml.safe_load((out / "patch.yaml").read_text())
    assert patch == {"overrides": {"service-credits": {"cap_percent": 15}}}
    assert "# service-credits.cap_percent: 18 \u2192 15" in (out / "patch.yaml").read_text()
    # The deal with the patch merged drafts exactly the returned text of that clause.
    deal = yaml.safe_load((lib / "deals" / "small.yaml").read_text())
    (lib / "deals" / "patched.yaml").write_text(yaml.safe_dump(merge_patch(deal, patch)))
    doc = make_draft(load_library(lib), lib / "deals" / "patched.yaml", []).document
    word = read_word(returned["preferred"].read_bytes())
    returned_words = norm(" ".join(p.after for p in word.paras))
    assert clause_text(rendered(doc)["service-credits"]) in returned_words
    (lib / "deals" / "patched.yaml").unlink()


def test_response_redline_accepts_and_rejects(returned: dict[str, Path], tmp_path: Path) -> None:
    intake(returned["lib"], returned["mixed"], "--author", "Acme Legal")
    out = Path(str(returned["mixed"].with_suffix("")) + "-out")
    z = zipfile.ZipFile(out / "response.docx")
    body = z.read("word/document.xml").decode()
    # Their insertion "12%" stays theirs, deleted by us; their deletion "18%" is re-inserted by us.
    assert 'w:author="Provider Counsel"' in body and 'w:author="Acme Legal"' in body
    response = read_word((out / "response.docx").read_bytes())
    after = norm(" ".join(p.after for p in response.paras))
    assert "capped at 18% of the monthly Charges" in after
    assert "capped at 12%" not in after
    comments = z.read("word/comments.xml").decode()
    assert "Not accepted (needs approval, Fallback 1 (12% cap))" in comments
    assert "Credits should be paid quarterly." in comments  # theirs, kept
    soffice = soffice_or_skip()
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out / "response.docx"),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert (tmp_path / "response.pdf").stat().st_size > 1000


def test_preferred_change_is_accepted_in_the_response(returned: dict[str, Path]) -> None:
    intake(returned["lib"], returned["preferred"])
    out = Path(str(returned["preferred"].with_suffix("")) + "-out")
    body = zipfile.ZipFile(out / "response.docx").read("word/document.xml").decode()
    assert "<w:ins " not in body and "<w:del " not in body
    assert "capped at 15%" in norm(
        " ".join(p.after for p in read_word((out / "response.docx").read_bytes()).paras)
    )


def test_history_appends_rounds_and_keeps_what_people_wrote(returned: dict[str, Path]) -> None:
    lib = returned["lib"]
    hist = lib / "deals" / "small.negotiation.yaml"
    hist.write_text("# kept: our notes on this negotiation\nrounds:\n")
    for n in (1, 2):
        res = CliRunner().invoke(
            main,
            [
                "intake",
                str(returned["preferred"]),
                "--deal",
                str(lib / "deals" / "small.yaml"),
                "--library",
                str(lib),
                "-o",
                str(lib / f"round{n}"),
            ],
        )
        assert res.exit_code == 0, res.output
    text = hist.read_text()
    assert text.startswith("# kept: our notes on this negotiation\n")
    data = yaml.safe_load(text)
    assert [r["round"] for r in data["rounds"]] == [1, 2]
    assert data["rounds"][0]["changes"][0]["landed"] == "within authority"
    # A second run into the same folder refuses to overwrite a hand-edited file without --force.
    edited = lib / "round1" / "issues.md"
    edited.write_text(edited.read_text() + "\nOur notes.\n")
    res = CliRunner().invoke(
        main,
        [
            "intake",
            str(returned["preferred"]),
            "--deal",
            str(lib / "deals" / "small.yaml"),
            "--library",
            str(lib),
            "-o",
            str(lib / "round1"),
            "--no-history",
        ],
    )
    assert res.exit_code == 1 and "use --force" in res.output
    assert edited.read_text().endswith("Our notes.\n")
    hist.unlink()


def _docx(tmp: Path, name: str, parts: dict[str, bytes]) -> Path:
    path = tmp / name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in parts.items():
            z.writestr(k, v)
    path.write_bytes(buf.getvalue())
    return path


def test_bad_returned_files_are_refused_with_one_message(minilib: Path, tmp_path: Path) -> None:
    deal = str(minilib / "deals" / "small.yaml")
    sent = make_draft(load_library(minilib), minilib / "deals" / "small.yaml", ["docx"])
    good = zipfile.ZipFile(io.BytesIO(sent.files["small.docx"]))
    parts = {n: good.read(n) for n in good.namelist()}
    xxe = dict(parts)
    xxe["word/document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    )
    macro = dict(parts)
    macro["word/vbaProject.bin"] = b"\0" * 10
    (tmp_path / "notzip.docx").write_bytes(b"hello")
    (tmp_path / "ole.docx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    cases = {
        "notzip.docx": "not a .docx (not a zip file)",
        "ole.docx": "password-protected or in the old .doc format",
        _docx(tmp_path, "xxe.docx", xxe).name: "declares a DTD; refused",
        _docx(tmp_path, "macro.docx", macro).name: "contains macros; refused",
    }
    for name, message in cases.items():
        res = CliRunner().invoke(
            main, ["intake", str(tmp_path / name), "--deal", deal, "--library", str(minilib)]
        )
        assert res.exit_code == 2, (name, res.output)
        assert message in res.output and "Traceback" not in res.output
    # A file that is not one of ours, with no manifest and no --deal: say so.
    from generator.writers.docx.writer import render_docx
    from tests.helpers import document_for

    foreign = tmp_path / "foreign.docx"
    foreign.write_bytes(render_docx(document_for(minilib, "small.yaml")))  # no manifest part
    res = CliRunner().invoke(main, ["intake", str(foreign), "--library", str(minilib)])
    assert res.exit_code == 2
    assert "carries no Clausebook manifest" in res.output and "--deal" in res.output


def test_sent_text_read_from_word_equals_the_rendered_clauses() -> None:
    """The premise of intake: what the Word writer prints of each clause is the clause's words,
    for every sample deal (so a re-rendered candidate can be compared with returned text)."""
    from generator.intake.align import sent_clauses
    from generator.writers.docx.writer import bookmark_name

    repo = HERE.parents[1]
    lib = load_library(repo)
    for deal in sorted((repo / "deals").glob("*.yaml")):
        draft = make_draft(lib, deal, ["docx"])
        docx = next(v for k, v in draft.files.items() if k.endswith(".docx"))
        marks = {bookmark_name(c): c for c in rendered(draft.document)}
        words: dict[str, list[str]] = {}
        for cid, p in sent_clauses(read_word(docx), marks):
            words.setdefault(cid, []).append(p.before)
        for cid, rc in rendered(draft.document).items():
            assert norm(" ".join(words[cid])) == clause_text(rc), (deal.name, cid)


def _edit_sent(minilib: Path, tmp_path: Path, name: str, edit) -> Path:  # type: ignore[no-untyped-def]
    """The sent draft with its document.xml changed by ``edit`` (an lxml body -> None)."""
    from lxml import etree

    sent = make_draft(load_library(minilib), minilib / "deals" / "small.yaml", ["docx"])
    z = zipfile.ZipFile(io.BytesIO(sent.files["small.docx"]))
    parts = {n: z.read(n) for n in z.namelist()}
    body = etree.fromstring(parts["word/document.xml"])
    edit(body)
    parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8")
    return _docx(tmp_path, name, parts)


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para(body, text: str):  # type: ignore[no-untyped-def]
    return next(
        p
        for p in body.iter(W_NS + "p")
        if text in "".join(t.text or "" for t in p.iter(W_NS + "t"))
    )


def _intake_json(lib: Path, path: Path, out: Path) -> dict:  # type: ignore[type-arg]
    """`clausebook intake --format json` on PATH against the library's small deal."""
    res = CliRunner().invoke(
        main,
        [
            "intake",
            str(path),
            "--deal",
            str(lib / "deals" / "small.yaml"),
            "--library",
            str(lib),
            "--format",
            "json",
            "--no-history",
            "-o",
            str(out),
        ],
    )
    return dict(json.loads(res.stdout))


def test_a_move_as_word_writes_it_is_read_as_a_move(minilib: Path, tmp_path: Path) -> None:
    """Word records a moved paragraph as w:moveFrom at the old place and w:moveTo at the new."""
    import copy as _copy

    def move(body) -> None:  # type: ignore[no-untyped-def]
        src = _para(body, "without prejudice to other remedies")
        dst = _para(body, "The Supplier shall:")
        moved = _copy.deepcopy(src)
        for p, tag in ((src, "moveFrom"), (moved, "moveTo")):
            runs = [r for r in p if r.tag == W_NS + "r"]
            mark = p.makeelement(
                W_NS + tag,
                {
                    W_NS + "id": "77",
                    W_NS + "author": "Provider Counsel",
                    W_NS + "date": "2027-01-05T10:00:00Z",
                },
            )
            for r in runs:
                if tag == "moveFrom":
                    for t in r.iter(W_NS + "t"):
                        t.tag = W_NS + "delText"
                p.remove(r)
                mark.append(r)
            p.append(mark)
        dst.addprevious(moved)

    path = _edit_sent(minilib, tmp_path, "moved.docx", move)
    word = read_word(path.read_bytes())
    kinds = sorted({c.kind for c in word.changes})
    assert kinds == ["move-from", "move-to"]
    report = _intake_json(minilib, path, tmp_path / "o")
    by = {i["clause"]: i for i in report["issues"]}
    assert set(by) == {"services", "service-credits"}
    assert "text moved here from Clause 2.2" in by["services"]["summary"]
    assert "text moved from here to Clause 2.1" in by["service-credits"]["summary"]


def test_reordered_clauses_are_reported_as_moved_not_as_edits(
    minilib: Path, tmp_path: Path
) -> None:
    def reorder(body) -> None:  # type: ignore[no-untyped-def]
        # Services (its content control: heading and paragraphs) cut and pasted after Service
        # Credits, then every control unwrapped, as an editor that drops them would.
        def control(cid: str):  # type: ignore[no-untyped-def]
            return next(
                sdt
                for sdt in body.iter(W_NS + "sdt")
                if sdt.find(f"{W_NS}sdtPr/{W_NS}tag").get(W_NS + "val").endswith(f":{cid}#client")
            )

        control("service-credits").addnext(control("services"))
        for sdt in list(body.iter(W_NS + "sdt")):
            content = sdt.find(W_NS + "sdtContent")
            if content is None:
                continue
            for child in list(content):
                sdt.addprevious(child)
            sdt.getparent().remove(sdt)

    path = _edit_sent(minilib, tmp_path, "reordered.docx", reorder)
    report = _intake_json(minilib, path, tmp_path / "o")
    assert [(i["clause"], i["status"]) for i in report["issues"]] == [
        ("service-credits", "clause moved")
    ] or [(i["clause"], i["status"]) for i in report["issues"]] == [("services", "clause moved")]


def test_outcome_record_is_written_from_the_history(returned: dict[str, Path]) -> None:
    """Two rounds on service-credits, then signature: the record the playbook statistics read."""
    from generator.playbook.outcomes import load_outcomes

    lib = returned["lib"]
    deal = lib / "deals" / "small.yaml"
    hist = lib / "deals" / "small.negotiation.yaml"
    for n, name in enumerate(("mixed", "preferred"), start=1):
        res = CliRunner().invoke(
            main,
            [
                "intake",
                str(returned[name]),
                "--deal",
                str(deal),
                "--library",
                str(lib),
                "-o",
                str(lib / f"o{n}"),
            ],
            env={"SOURCE_DATE_EPOCH": str(1767225600 + n * 86400 * 5)},  # 2026-01-06, -11
        )
        assert res.exit_code in (0, 1), res.output
    res = CliRunner().invoke(
        main, ["outcome", str(deal), "--signed", "2026-01-20", "--library", str(lib)]
    )
    assert res.exit_code == 0, res.output
    record = yaml.safe_load((lib / "playbooks" / "outcomes" / "small.yaml").read_text())
    assert record["clauses"]["service-credits"] == {
        "opened": "client",
        "variant": "client",
        "parameters": {"cap_percent": 18, "sole_remedy": False},
        "accepted_first_time": False,
        "rounds": 2,
        "days_to_agree": 5,
    }
    records, errors = load_outcomes(load_library(lib), lib)
    assert errors == [] and [r.deal for r in records] == ["small"]
    hist.unlink()
    (lib / "playbooks" / "outcomes" / "small.yaml").unlink()


def test_the_word_draft_carries_its_manifest_and_clause_controls(minilib: Path) -> None:
    lib = load_library(minilib)
    draft = make_draft(lib, minilib / "deals" / "small.yaml", ["docx"])
    data = draft.files["small.docx"]
    word = read_word(data)
    assert word.manifest is not None
    assert word.manifest["deal"]["id"] == "small"
    assert word.manifest["deal"]["file"] == "deals/small.yaml"
    assert {c["id"]: c["variant"] for c in word.manifest["clauses"]}["service-credits"] == "client"
    tags = {p.clause_tag for p in word.paras if p.clause_tag}
    assert tags == {
        f"clausebook:clause:{c.id}#{c.variant}" for c in rendered(draft.document).values()
    }
    # not locked: a locked control would stop the counterparty's tracked changes
    assert b"w:lock" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    again = make_draft(lib, minilib / "deals" / "small.yaml", ["docx"])
    assert again.files["small.docx"] == data  # still byte-identical


def test_intake_finds_the_sent_draft_from_the_embedded_manifest(returned: dict[str, Path]) -> None:
    lib = returned["lib"]
    res = CliRunner().invoke(
        main,
        [
            "intake",
            str(returned["mixed"]),
            "--library",
            str(lib),
            "--format",
            "json",
            "--no-history",
            "-o",
            str(lib / "embedded"),
            "--force",
        ],
    )
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert report["sent_from"] == "the manifest embedded in the returned file"
    assert summary(report) == MIXED


def test_sent_manifest_rebuilds_the_draft_at_its_library_commit(
    minilib: Path, tmp_path: Path
) -> None:
    """The library moved on after the draft was sent: intake compares with the draft as sent."""
    from tests.gitlib import commit, git

    git(minilib, "init", "-q", "-b", "main")
    commit(minilib)
    draft = make_draft(load_library(minilib), minilib / "deals" / "small.yaml", ["docx"])
    (tmp_path / "sent.manifest.json").write_bytes(draft.files["small.manifest.json"])

    def accept_15(body) -> None:  # type: ignore[no-untyped-def]
        for t in body.iter(W_NS + "t"):
            if t.text and "capped at 18%" in t.text:
                t.text = t.text.replace("18%", "15%")

    z = zipfile.ZipFile(io.BytesIO(draft.files["small.docx"]))
    parts = {n: z.read(n) for n in z.namelist()}
    from lxml import etree

    body = etree.fromstring(parts["word/document.xml"])
    accept_15(body)
    parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8")
    returned_file = _docx(tmp_path, "returned.docx", parts)
    services = minilib / "clauses" / "core" / "services.yaml"
    services.write_text(services.read_text().replace("after the Effective Date", "after signature"))
    commit(minilib)  # the library moves on
    from generator import gitref

    gitref.head_commit.cache_clear()  # one process here; the CLI reads HEAD once a run
    res = CliRunner().invoke(
        main,
        [
            "intake",
            str(returned_file),
            "--sent",
            str(tmp_path / "sent.manifest.json"),
            "--library",
            str(minilib),
            "--format",
            "json",
            "--no-history",
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["sent_from"].startswith("--sent ") and "library at " in report["sent_from"]
    assert summary(report) == [
        (
            "service-credits",
            "service-credits.cap_percent: 18 \u2192 15",
            "within authority",
            "Preferred (variant client; cap_percent at least 15; sole_remedy false)",
            (),
        ),
    ]
    assert report["issues"][0]["untracked"] is True
