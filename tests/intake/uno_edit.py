"""Edit a Word file as a counterparty would, in LibreOffice with change tracking on.

Run with the system Python that has Debian's python3-uno (not the project's venv):

    /usr/bin/python3 tests/intake/uno_edit.py IN.docx OUT.docx EDITS.json [--untracked]

EDITS.json is a list of edits, applied in order:
  {"replace": OLD, "with": NEW}          every occurrence of OLD becomes NEW
  {"insert_after": TEXT, "text": NEW}    NEW is typed right after the first TEXT
  {"delete_paragraph": TEXT}             the paragraph holding TEXT is deleted, mark and all
  {"comment_on": TEXT, "text": NOTE}     a comment on the first TEXT
The author of every change and comment is the counterparty named by --author.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe: str, profile: str) -> tuple[subprocess.Popen[bytes], object]:
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(600):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return proc, ctx
        except NoConnectException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("LibreOffice did not start")


def set_author(ctx: object, author: str) -> None:
    smgr = ctx.ServiceManager  # type: ignore[attr-defined]
    cp = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = cp.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    given, _, family = author.partition(" ")
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def find(doc: object, text: str) -> object:
    desc = doc.createSearchDescriptor()  # type: ignore[attr-defined]
    desc.SearchString = text
    found = doc.findFirst(desc)  # type: ignore[attr-defined]
    if found is None:
        raise SystemExit(f"text not found in the document: {text!r}")
    return found


def apply(doc: object, edit: dict[str, str]) -> None:
    if "replace" in edit:
        desc = doc.createReplaceDescriptor()  # type: ignore[attr-defined]
        desc.SearchString = edit["replace"]
        desc.ReplaceString = edit["with"]
        if doc.replaceAll(desc) == 0:  # type: ignore[attr-defined]
            raise SystemExit(f"text not found in the document: {edit['replace']!r}")
    elif "insert_after" in edit:
        rng = find(doc, edit["insert_after"])
        rng.getText().insertString(rng.getEnd(), edit["text"], False)  # type: ignore[attr-defined]
    elif "delete_paragraph" in edit:
        rng = find(doc, edit["delete_paragraph"])
        cur = rng.getText().createTextCursorByRange(rng.getStart())  # type: ignore[attr-defined]
        cur.gotoStartOfParagraph(False)
        cur.gotoNextParagraph(True)
        cur.setString("")
    elif "comment_on" in edit:
        rng = find(doc, edit["comment_on"])
        note = doc.createInstance("com.sun.star.text.textfield.Annotation")  # type: ignore[attr-defined]
        note.Author = edit.get("author", "")
        note.Content = edit["text"]
        rng.getText().insertTextContent(rng, note, True)  # type: ignore[attr-defined]
    else:
        raise SystemExit(f"unknown edit: {edit}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    untracked = "--untracked" in sys.argv
    author = next(
        (a.split("=", 1)[1] for a in sys.argv if a.startswith("--author=")), "Provider Counsel"
    )
    src, out, edits_file = (Path(a).resolve() for a in args)
    edits = json.loads(edits_file.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as profile:
        proc, ctx = connect(f"cbintake{os.getpid()}", profile)
        try:
            set_author(ctx, author)
            desktop = ctx.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
                "com.sun.star.frame.Desktop", ctx
            )
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(str(src)), "_blank", 0, (prop("Hidden", True),)
            )
            doc.RecordChanges = not untracked
            for e in edits:
                e.setdefault("author", author)
                apply(doc, e)
            doc.storeToURL(
                uno.systemPathToFileUrl(str(out)), (prop("FilterName", "MS Word 2007 XML"),)
            )
            doc.close(True)
        finally:
            with contextlib.suppress(Exception):
                desktop.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
