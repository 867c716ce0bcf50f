#!/usr/bin/python3
"""Generates the spreadsheet fixtures read by tests/unit/engine/spreadsheet_reader_test.cpp.

Run with Debian's interpreter from this directory's parent or anywhere:
    /usr/bin/python3 tests/data/spreadsheets/make_spreadsheets.py
XLSX and ODS packages are written with the standard library only (zipfile), as minimal
hand-written OOXML/ODF parts so each feature the reader handles is present exactly once.
The XLS fixture needs python3-xlwt (Debian package, listed in scripts/debian-packages.txt).
The outputs are committed; rerunning reproduces them byte for byte (fixed zip timestamps).
"""

import io
import os
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_DATE = (2024, 1, 2, 3, 4, 6)

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_SHEET = NS_REL + "/worksheet"
REL_SST = NS_REL + "/sharedStrings"
REL_STYLES = NS_REL + "/styles"


def write_zip(name, entries, compression=zipfile.ZIP_DEFLATED):
    """entries: list of (arcname, bytes|str); stored with a fixed timestamp."""
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, "w") as zf:
        for arcname, data in entries:
            if isinstance(data, str):
                data = data.encode("utf-8")
            info = zipfile.ZipInfo(arcname, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED if arcname == "mimetype" else compression
            zf.writestr(info, data)
    return path


# ---------------------------------------------------------------------------- XLSX

def content_types(sheet_count, extra=""):
    overrides = "".join(
        '<Override PartName="/xl/worksheets/sheet%d.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        % (i + 1) for i in range(sheet_count))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + overrides + extra + '</Types>')


ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="%s">'
             '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>' % (NS_PKG_REL, NS_REL))


def workbook(sheets, date1904=False):
    """sheets: list of (name, rel_id)."""
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr defaultThemeVersion="124226"/>'
    body = "".join('<sheet name="%s" sheetId="%d" r:id="%s"/>' % (n, i + 1, rid)
                   for i, (n, rid) in enumerate(sheets))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="%s" xmlns:r="%s">%s<sheets>%s</sheets></workbook>'
            % (NS_MAIN, NS_REL, pr, body))


def workbook_rels(rels):
    """rels: list of (id, type, target)."""
    body = "".join('<Relationship Id="%s" Type="%s" Target="%s"/>' % r for r in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="%s">%s</Relationships>' % (NS_PKG_REL, body))


def worksheet(sheet_data, prolog=""):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + prolog +
            '<worksheet xmlns="%s" xmlns:r="%s"><dimension ref="A1"/>'
            '<sheetData>%s</sheetData></worksheet>' % (NS_MAIN, NS_REL, sheet_data))


SHARED_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<sst xmlns="%s" count="5" uniqueCount="5">'
    '<si><t>Name</t></si>'                                              # 0
    '<si><t xml:space="preserve">  Amount </t></si>'                    # 1
    '<si><r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve"> text</t></r>'
    '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>'                     # 2
    '<si><t>caf\u00e9 &amp; &lt;tea&gt;</t></si>'                        # 3
    '<si><t>line1_x000D__x000A_line2</t></si>'                          # 4
    '</sst>' % NS_MAIN)

STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="%s">'
    '<numFmts count="4">'
    '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="0.00&quot; days&quot;;[Red]\\-0.00"/>'
    '<numFmt numFmtId="166" formatCode="[$-409]d\\ mmmm\\ yyyy;@"/>'
    '<numFmt numFmtId="167" formatCode="[h]:mm:ss"/>'
    '</numFmts>'
    '<cellXfs count="8">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'                          # 0 general
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'   # 1 date
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 2 datetime
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 3 not a date
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 4 date, [$-409]
    '<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'   # 5 time h:mm:ss
    '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'  # 6 elapsed
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'   # 7 percent
    '</cellXfs></styleSheet>' % NS_MAIN)

# Sheet "Data": every cell type. Expected values are asserted in the C++ test.
SHEET_DATA = (
    # Row 1: shared strings, one with surrounding spaces, rich text, escaped text.
    '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    # Row 2: numbers (integer, negative decimal, exponent, percent style), booleans.
    '<row r="2"><c r="A2"><v>42</v></c><c r="B2" t="n"><v>-3.5</v></c><c r="C2"><v>1.5E+3</v></c>'
    '<c r="D2" s="7"><v>0.25</v></c><c r="E2" t="b"><v>1</v></c><c r="F2" t="b"><v>0</v></c></row>'
    # Row 3: inline string, rich inline string, error, formula number, formula string, _x escape.
    '<row r="3"><c r="A3" t="inlineStr"><is><t>inline</t></is></c>'
    '<c r="B3" t="inlineStr"><is><r><t>in</t></r><r><rPr><i/></rPr><t>line rich</t></r></is></c>'
    '<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="D3"><f>A2*2</f><v>84</v></c>'
    '<c r="E3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
    '<c r="F3" t="s"><v>4</v></c></row>'
    # Row 4: dates and datetimes by style: built-in 14, custom datetime, [$-409] date,
    # fractional serial under a date-only style, a non-date custom format with quotes and [Red].
    '<row r="4"><c r="A4" s="1"><v>45306</v></c><c r="B4" s="2"><v>45306.5</v></c>'
    '<c r="C4" s="4"><v>36526</v></c><c r="D4" s="1"><v>45306.75</v></c>'
    '<c r="E4" s="3"><v>12.5</v></c><c r="F4" s="2"><v>45306</v></c></row>'
    # Row 5: 1900 leap-year bug around serial 60, time of day, elapsed duration.
    '<row r="5"><c r="A5" s="1"><v>59</v></c><c r="B5" s="1"><v>60</v></c><c r="C5" s="1"><v>61</v></c>'
    '<c r="D5" s="5"><v>0.5625</v></c><c r="E5" s="6"><v>1.5</v></c><c r="F5" s="1"><v>1</v></c></row>'
    # Rows 6-7 absent. Row 8: sparse cells (B, E), an empty <c/>, a cell with no value.
    '<row r="8"><c r="B8"><v>1</v></c><c r="C8" s="1"/><c r="D8" t="s"></c><c r="E8" t="inlineStr"><is><t>e</t></is></c></row>'
    # Row 9: styled empty cells only -> skipped.
    '<row r="9"><c r="A9" s="1"/><c r="B9" s="2"/></row>'
    # Rows without r= continue from the previous row (10, 11); cells without r= continue
    # from the previous cell.
    '<row><c><v>10</v></c><c><v>11</v></c><c r="E10"><v>12</v></c><c><v>13</v></c></row>'
    '<row><c t="inlineStr"><is><t>next</t></is></c></row>'
    # Row 13: invalid number text is kept as a string; a 't="d"' ISO date cell.
    '<row r="13"><c r="A13"><v>abc</v></c><c r="B13" t="d"><v>2024-02-29T13:14:15</v></c>'
    '<c r="C13" t="d"><v>2024-03-01</v></c></row>'
)

SHEET_SECOND = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>second</t></is></c></row>'
    '<row r="2"><c r="C2"><v>3</v></c></row>'
)


def make_basic_xlsx():
    rels = [
        ("rId1", REL_SHEET, "worksheets/sheet1.xml"),
        # Deliberately out of order relative to the workbook, and one absolute target.
        ("rId3", REL_SHEET, "worksheets/sheet3.xml"),
        ("rId2", REL_SHEET, "/xl/worksheets/sheet2.xml"),
        ("rId4", REL_SST, "sharedStrings.xml"),
        ("rId5", REL_STYLES, "styles.xml"),
    ]
    entries = [
        ("[Content_Types].xml", content_types(3)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook([("Data", "rId1"), ("Second", "rId2"), ("Empty", "rId3")])),
        ("xl/_rels/workbook.xml.rels", workbook_rels(rels)),
        ("xl/sharedStrings.xml", SHARED_STRINGS),
        ("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet1.xml", worksheet(SHEET_DATA)),
        ("xl/worksheets/sheet2.xml", worksheet(SHEET_SECOND)),
        ("xl/worksheets/sheet3.xml", worksheet("")),
    ]
    return write_zip("basic.xlsx", entries)


def simple_xlsx(name, sheet_xml, date1904=False, styles=None, compression=zipfile.ZIP_DEFLATED,
                sheet_bytes=None):
    rels = [("rId1", REL_SHEET, "worksheets/sheet1.xml")]
    entries = [
        ("[Content_Types].xml", content_types(1)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook([("Sheet1", "rId1")], date1904=date1904)),
    ]
    if styles is not None:
        rels.append(("rId2", REL_STYLES, "styles.xml"))
        entries.append(("xl/styles.xml", styles))
    entries.append(("xl/_rels/workbook.xml.rels", workbook_rels(rels)))
    entries.append(("xl/worksheets/sheet1.xml", sheet_bytes if sheet_bytes is not None else sheet_xml))
    return write_zip(name, entries, compression)


def make_date1904_xlsx():
    sheet = worksheet('<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43843</v></c>'
                      '<c r="C1" s="2"><v>1.25</v></c></row>')
    simple_xlsx("date1904.xlsx", sheet, date1904=True, styles=STYLES)


def make_truncated_xlsx():
    with open(os.path.join(HERE, "basic.xlsx"), "rb") as f:
        data = f.read()
    with open(os.path.join(HERE, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])


def make_zip_bomb_xlsx():
    """A worksheet entry of 256 MiB of zeros, deflated to ~250 KB (ratio ~1000:1)."""
    path = os.path.join(HERE, "zip_bomb.xlsx")
    rels = [("rId1", REL_SHEET, "worksheets/sheet1.xml")]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for arcname, data in [("[Content_Types].xml", content_types(1)), ("_rels/.rels", ROOT_RELS),
                              ("xl/workbook.xml", workbook([("Bomb", "rId1")])),
                              ("xl/_rels/workbook.xml.rels", workbook_rels(rels))]:
            zf.writestr(zipfile.ZipInfo(arcname, date_time=FIXED_DATE), data,
                        compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=FIXED_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = b"\0" * (1 << 20)
        with zf.open(info, "w") as out:
            for _ in range(256):
                out.write(chunk)


def make_lying_size_xlsx():
    """A worksheet whose zip headers declare 100 bytes but which inflates to 16 MiB.

    The content is well-formed XML (whitespace between tags) so that only the reader's own
    count of decompressed bytes can stop it, not an XML error.
    """
    body = (b'<?xml version="1.0"?><worksheet xmlns="' + NS_MAIN.encode() + b'"><sheetData>' +
            b" " * (16 << 20) + b'</sheetData></worksheet>')
    path = simple_xlsx("lying_size.xlsx", None, sheet_bytes=body)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    name = b"xl/worksheets/sheet1.xml"
    declared = 100
    # Local file header: signature, ..., uncompressed size at offset 22.
    pos = 0
    patched = 0
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", data, pos + 26)[0]
        if data[pos + 30: pos + 30 + name_len] == name:
            struct.pack_into("<I", data, pos + 22, declared)
            patched += 1
        pos += 4
    # Central directory header: uncompressed size at offset 24.
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + name_len] == name:
            struct.pack_into("<I", data, pos + 24, declared)
            patched += 1
        pos += 4
    assert patched == 2, patched
    with open(path, "wb") as f:
        f.write(data)


def make_hostile_xml_xlsx():
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
              '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
              '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
              '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
              '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
              '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
              '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>')
    simple_xlsx("billion_laughs.xlsx",
                worksheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', laughs))
    xxe = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    simple_xlsx("xxe.xlsx",
                worksheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>', xxe))


def make_bad_refs_xlsx():
    simple_xlsx("too_many_columns.xlsx",
                worksheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFE1"><v>2</v></c></row>'))
    simple_xlsx("bad_ref.xlsx",
                worksheet('<row r="1"><c r="A1"><v>1</v></c><c r="ZZZZZZZZZZZZZZZZ99999999999999999999"><v>2</v></c></row>'))
    simple_xlsx("bad_row.xlsx",
                worksheet('<row r="99999999999999999999"><c><v>1</v></c></row>'))
    simple_xlsx("missing_shared_string.xlsx",
                worksheet('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'))
    simple_xlsx("malformed_xml.xlsx",
                worksheet('<row r="1"><c r="A1"><v>1</v></row>'))


# ---------------------------------------------------------------------------- ODS

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'office:version="1.3"')

ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>' % ODS_MIME)


def ods_content(tables, prolog=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + prolog +
            '<office:document-content %s><office:body><office:spreadsheet>%s'
            '</office:spreadsheet></office:body></office:document-content>' % (ODS_NS, tables))


def write_ods(name, content, mimetype=ODS_MIME):
    write_zip(name, [("mimetype", mimetype), ("META-INF/manifest.xml", ODS_MANIFEST),
                     ("content.xml", content)])


EMPTY_TAIL_ROWS = ('<table:table-row table:number-rows-repeated="1048553">'
                   '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')

ODS_PEOPLE = (
    '<table:table table:name="People">'
    '<table:table-column table:number-columns-repeated="1024"/>'
    # Row 1: strings; repeated empty cells between and after.
    '<table:table-row>'
    '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Name</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="2"/>'
    '<table:table-cell office:value-type="string"><text:p>Score</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="1020"/>'
    '</table:table-row>'
    # Row 2: float, percentage, currency, booleans.
    '<table:table-row>'
    '<table:table-cell office:value-type="float" office:value="3.25"><text:p>3.25</text:p></table:table-cell>'
    '<table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell>'
    '<table:table-cell office:value-type="currency" office:currency="EUR" office:value="-12"><text:p>-12 EUR</text:p></table:table-cell>'
    '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>'
    '<table:table-cell office:value-type="boolean" office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell>'
    '</table:table-row>'
    # Row 3: date, datetime, datetime with fraction, time, duration over a day.
    '<table:table-row>'
    '<table:table-cell office:value-type="date" office:date-value="2024-01-15"><text:p>01/15/24</text:p></table:table-cell>'
    '<table:table-cell office:value-type="date" office:date-value="2024-01-15T12:30:00"><text:p>x</text:p></table:table-cell>'
    '<table:table-cell office:value-type="date" office:date-value="1899-12-30T00:00:01.5"><text:p>x</text:p></table:table-cell>'
    '<table:table-cell office:value-type="time" office:time-value="PT13H45M30S"><text:p>13:45:30</text:p></table:table-cell>'
    '<table:table-cell office:value-type="time" office:time-value="PT36H00M00S"><text:p>36:00:00</text:p></table:table-cell>'
    '</table:table-row>'
    # Row 4: paragraphs, spaces, tab, line break, spans, an annotation that is not content.
    '<table:table-row>'
    '<table:table-cell office:value-type="string"><text:p>first</text:p><text:p>second <text:span>part</text:span></text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b<text:s/>c<text:tab/>d<text:line-break/>e</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="1">'
    '<office:annotation><dc:creator>me</dc:creator><text:p>a comment</text:p></office:annotation><text:p>1</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="0" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
    '</table:table-row>'
    # Rows 5-6 empty (repeated), row 7 repeated 3 times with data (rows 7,8,9).
    '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    '<table:table-row table:number-rows-repeated="3">'
    '<table:table-cell table:number-columns-repeated="2"/>'
    '<table:table-cell office:value-type="float" office:value="7" table:number-columns-repeated="2"><text:p>7</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="1020"/>'
    '</table:table-row>'
    # Row 10: a merged cell and its covered neighbour; a cell with text but no value type.
    '<table:table-row>'
    '<table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>merged</text:p></table:table-cell>'
    '<table:covered-table-cell/>'
    '<table:table-cell><text:p>plain</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="not-a-number"><text:p>oops</text:p></table:table-cell>'
    '</table:table-row>'
    + EMPTY_TAIL_ROWS +
    '</table:table>'
)

ODS_OTHER = (
    '<table:table table:name="Other">'
    '<table:table-header-rows><table:table-row><table:table-cell office:value-type="string"><text:p>h</text:p></table:table-cell></table:table-row></table:table-header-rows>'
    '<table:table-row><table:table-cell/><table:table-cell office:value-type="float" office:value="2"/></table:table-row>'
    '</table:table>'
    '<table:table table:name="Blank"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>'
)


def make_ods():
    write_ods("basic.ods", ods_content(ODS_PEOPLE + ODS_OTHER))
    write_ods("wrong_mimetype.ods", ods_content(ODS_OTHER), mimetype="application/vnd.oasis.opendocument.text")
    write_ods("wide.ods", ods_content(
        '<table:table table:name="Wide"><table:table-row>'
        '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="20000"/>'
        '</table:table-row></table:table>'))
    laughs = ('<!DOCTYPE office:document-content [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    write_ods("entities.ods", ods_content(
        '<table:table table:name="T"><table:table-row><table:table-cell office:value-type="string">'
        '<text:p>&b;</text:p></table:table-cell></table:table-row></table:table>', laughs))


# ---------------------------------------------------------------------------- XLS

def make_xls():
    try:
        import xlwt  # Debian: python3-xlwt
    except ImportError:
        sys.exit("python3-xlwt is required to write basic.xls (apt-get install python3-xlwt)")
    import datetime
    book = xlwt.Workbook(encoding="utf-8")
    first = book.add_sheet("Inventory")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    datetime_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    time_style = xlwt.easyxf(num_format_str="hh:mm:ss")
    first.write(0, 0, "Item")
    first.write(0, 1, "Count")
    first.write(0, 3, "caf\u00e9")
    first.write(1, 0, "apple")
    first.write(1, 1, 3)
    first.write(1, 2, 2.5)
    first.write(1, 3, True)
    first.write(3, 0, datetime.date(2024, 1, 15), date_style)
    first.write(3, 1, datetime.datetime(2024, 1, 15, 12, 30, 0), datetime_style)
    first.write(3, 2, datetime.time(13, 45, 30), time_style)
    first.write(3, 3, -1234567.125)
    second = book.add_sheet("Notes")
    second.write(1, 1, "only cell")
    book.add_sheet("Empty")
    out = io.BytesIO()
    book.save(out)
    with open(os.path.join(HERE, "basic.xls"), "wb") as f:
        f.write(out.getvalue())


def main():
    make_basic_xlsx()
    make_date1904_xlsx()
    make_truncated_xlsx()
    make_zip_bomb_xlsx()
    make_lying_size_xlsx()
    make_hostile_xml_xlsx()
    make_bad_refs_xlsx()
    make_ods()
    make_xls()
    with open(os.path.join(HERE, "not_a_workbook.xlsx"), "wb") as f:
        f.write(b"this is plain text, not a zip archive\n")


if __name__ == "__main__":
    main()
