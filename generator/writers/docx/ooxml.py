"""WordprocessingML building blocks as strings: all WordprocessingML knowledge lives here.

Text is always XML-escaped into ``<w:t>``: clause text can never become a field, a tag or
markup, whatever it contains ("{ DDEAUTO ... }", "<w:fldSimple>").
"""

from __future__ import annotations


def escape(text: str, extra: dict[str, str] | None = None) -> str:
    """XML-escape text (xml.sax.saxutils pulls in urllib and http.client: 35 ms at start-up)."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for old, new in (extra or {}).items():
        out = out.replace(old, new)
    return out


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

LEGAL_NUM, SCHEDULE_NUM, BULLET_NUM = 1, 2, 3


def text_run(text: str, bold: bool = False, italic: bool = False, caps: bool = False) -> str:
    props = (
        ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + ("<w:caps/>" if caps else "")
    )
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def field(instr: str, cached: str, bold: bool = False) -> str:
    """A complex field with a cached result, so it reads right before any update."""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve">{escape(cached)}</w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def para(
    runs: str,
    style: str | None = None,
    num: tuple[int, int] | None = None,
    ind_left: int | None = None,
    hanging: int | None = None,
    align: str | None = None,
    keep_next: bool = False,
    page_break_before: bool = False,
    spacing_after: int | None = None,
    spacing_before: int | None = None,
) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if page_break_before:
        ppr += "<w:pageBreakBefore/>"
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if spacing_after is not None or spacing_before is not None:
        before = f' w:before="{spacing_before}"' if spacing_before is not None else ""
        after = f' w:after="{spacing_after}"' if spacing_after is not None else ""
        ppr += f"<w:spacing{before}{after}/>"
    if ind_left is not None:
        ppr += f'<w:ind w:left="{ind_left}"' + (f' w:hanging="{hanging}"' if hanging else "") + "/>"
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{runs}</w:p>"


def watermark(text: str) -> str:
    """A pale diagonal text watermark behind the page (VML, as Word writes its own)."""
    return (
        '<w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="ClausebookWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;'
        "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d8d8d8" stroked="f">'
        f'<v:fill opacity=".5"/><v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="{escape(text)}"/>'
        "</v:shape></w:pict></w:r>"
    )


def bookmark(bid: int, name: str, inner: str) -> str:
    return f'<w:bookmarkStart w:id="{bid}" w:name="{name}"/>{inner}<w:bookmarkEnd w:id="{bid}"/>'


TABLE_GRID = "ClausebookTable"  # the named table style; restyle it in the reference .docx


def table(
    header: list[str],
    rows: list[list[str]],
    widths: list[int],
    indent: int = 0,
) -> str:
    """A grid table in the house table style with a repeated header row; cells hold
    ready-made paragraph XML. ``indent`` lines the table up with the clause text."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE_GRID}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblInd w:w="{indent}" w:type="dxa"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="43" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="43" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    ]

    def row(cells: list[str], head: bool) -> str:
        trpr = (
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            if head
            else "<w:trPr><w:cantSplit/></w:trPr>"
        )
        tcs = []
        for w, cell in zip(widths, cells, strict=True):
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if head else ""
            tcs.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr>{cell}</w:tc>'
            )
        return f"<w:tr>{trpr}{''.join(tcs)}</w:tr>"

    out.append(row(header, True))
    out.extend(row(r, False) for r in rows)
    out.append("</w:tbl>")
    return "".join(out)


def _lvl(
    ilvl: int,
    fmt: str,
    text: str,
    left: int,
    hanging: int,
    bold: bool = False,
    suff: str = "",
    style: str = "",
) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    suffix = f'<w:suff w:val="{suff}"/>' if suff else ""
    linked = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{linked}{suffix}'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
    )


def numbering_xml() -> str:
    """Legal multi-level numbering (1. / 1.1 / 1.1.1 / (a) / (i) / (A)), schedules and bullets."""
    legal = "".join(
        [
            # articles and clauses are linked to Heading 1 and 2: a heading a lawyer adds in
            # Word is numbered as the generated ones are
            _lvl(0, "decimal", "%1.", 720, 720, bold=True, style="Heading1"),
            _lvl(1, "decimal", "%1.%2", 720, 720, bold=True, style="Heading2"),
            _lvl(2, "decimal", "%1.%2.%3", 1440, 720),
            _lvl(3, "lowerLetter", "(%4)", 2160, 720),
            _lvl(4, "lowerRoman", "(%5)", 2880, 720),
            _lvl(5, "upperLetter", "(%6)", 3600, 720),
        ]
    )
    schedule = "".join(
        [
            # "SCHEDULE 1" on a line of its own, the title under it (the heading starts with a
            # line break, so no tab follows the number)
            _lvl(0, "decimal", "Schedule %1", 0, 0, bold=True, suff="nothing"),
            _lvl(1, "decimal", "%2.", 720, 720),
            _lvl(2, "lowerLetter", "(%3)", 1440, 720),
            _lvl(3, "lowerRoman", "(%4)", 2160, 720),
            _lvl(4, "upperLetter", "(%5)", 2880, 720),
        ]
    )
    bullet = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{1440 + 720 * i}" w:hanging="360"/></w:pPr></w:lvl>'
        for i in range(4)
    )
    abstracts = [
        (LEGAL_NUM, legal, "ClausebookLegal"),
        (SCHEDULE_NUM, schedule, "ClausebookSchedule"),
        (BULLET_NUM, bullet, "ClausebookBullet"),
    ]
    body = "".join(
        f'<w:abstractNum w:abstractNumId="{n}"><w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>{lv}</w:abstractNum>'
        for n, lv, name in abstracts
    )
    body += "".join(
        f'<w:num w:numId="{n}"><w:abstractNumId w:val="{n}"/></w:num>' for n, _, _ in abstracts
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {NSDECL}>{body}</w:numbering>'


def toc_field(entries: list[tuple[str, str, str, str]], text_w: int) -> str:
    """A TOC field over heading level 1, cached with its entries as Word writes them.

    Each entry is (number, title, bookmark, page): a TOC 1 paragraph with a hyperlink to the
    heading's bookmark, the title after a tab, and a PAGEREF field after a right tab with dot
    leaders at the text width. ``page`` is "" when no layout pass has counted the pages."""
    paras = []
    for i, (number, title, mark, page) in enumerate(entries):
        head = ""
        if i == 0:
            head = (
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            )
        tail = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == len(entries) - 1 else ""
        link = (
            f'<w:hyperlink w:anchor="{mark}" w:history="1">'
            + text_run(number)
            + "<w:r><w:tab/></w:r>"
            + text_run(title)
            + "<w:r><w:tab/></w:r>"
            + field(f"PAGEREF {mark} \\h", page)
            + "</w:hyperlink>"
        )
        paras.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC1"/><w:tabs><w:tab w:val="left" w:pos="1440"/>'
            f'<w:tab w:val="right" w:leader="dot" w:pos="{text_w}"/></w:tabs></w:pPr>'
            f"{head}{link}{tail}</w:p>"
        )
    return "".join(paras)


def custom_properties_xml(props: tuple[tuple[str, str], ...]) -> str:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for i, (name, value) in enumerate(props, start=2)
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{ns}" xmlns:vt="{vt}">{items}</Properties>'


_ATTR = {'"': "&quot;"}


def sdt_open(tag: str, alias: str, sdt_id: int) -> str:
    """A block content control around a clause: tagged, titled, never locked (a locked
    control stops the counterparty's tracked changes)."""
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{escape(alias, _ATTR)}"/>'
        f'<w:tag w:val="{escape(tag, _ATTR)}"/><w:id w:val="{sdt_id}"/></w:sdtPr><w:sdtContent>'
    )


SDT_CLOSE = "</w:sdtContent></w:sdt>"
