#!/usr/bin/python3
"""Generates the ingest test corpus (tests/data/ingest) and the hostile-input corpus
(tests/data/bad). Standard library only. Generated files are committed; rerun after editing.

Each input <name>.<ext> has <name>.<ext>.expected.json:
  {"format": ..., "tables": [{"name", "row_count", "columns": [{"name","type"}], "first_row", "rejected_row_count"}]}
or {"format": ..., "error_code": "...", "message_contains": "..."}.
Keys left out of an expectation are not checked.
"""
import json
import os
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(os.path.dirname(HERE), "bad")


def write(directory, name, data, expected):
    os.makedirs(directory, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(directory, name), mode, **({} if mode == "wb" else {"newline": ""})) as f:
        f.write(data)
    with open(os.path.join(directory, name + ".expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


def table(name, rows, columns, first_row=None, rejected=0):
    t = {"name": name, "row_count": rows, "columns": [{"name": n, "type": t} for n, t in columns],
         "rejected_row_count": rejected}
    if first_row is not None:
        t["first_row"] = first_row
    return t


PEOPLE = [(i, f"Person {i}", round(10 + i * 1.25, 2), f"2024-01-{i:02d}") for i in range(1, 21)]
PEOPLE_COLS = [("id", "integer"), ("name", "string"), ("score", "float"), ("joined", "date")]
PEOPLE_FIRST = [1, "Person 1", 11.25, "2024-01-01"]


def delimited(sep, rows=PEOPLE, header=("id", "name", "score", "joined"), nl="\n"):
    lines = [sep.join(header)] if header else []
    lines += [sep.join(str(v) for v in r) for r in rows]
    return nl.join(lines) + nl


def csv_corpus():
    d = HERE
    write(d, "comma.csv", delimited(","), {"format": "csv", "tables": [table("comma", 20, PEOPLE_COLS, PEOPLE_FIRST)]})
    write(d, "tab.tsv", delimited("\t"), {"format": "tsv", "tables": [table("tab", 20, PEOPLE_COLS, PEOPLE_FIRST)]})
    write(d, "pipe.csv", delimited("|"), {"format": "csv", "tables": [table("pipe", 20, PEOPLE_COLS, PEOPLE_FIRST)]})
    semi = "id;name;amount\n" + "".join(f"{i};Item {i};{i},{i * 5 % 100:02d}\n" for i in range(1, 21))
    write(d, "semicolon_decimal_comma.csv", semi,
          {"format": "csv", "tables": [table("semicolon_decimal_comma", 20,
                                             [("id", "integer"), ("name", "string"), ("amount", "float")],
                                             [1, "Item 1", 1.05])]})
    text = "id,city,note\n1,Zürich,naïve café\n2,São Paulo,€ price\n3,Kraków,łódź\n"
    write(d, "utf8_bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8"),
          {"format": "csv", "tables": [table("utf8_bom", 3, [("id", "integer"), ("city", "string"), ("note", "string")],
                                             [1, "Zürich", "naïve café"])]})
    write(d, "utf16le.csv", b"\xff\xfe" + text.encode("utf-16-le"),
          {"format": "csv", "tables": [table("utf16le", 3, [("id", "integer"), ("city", "string"), ("note", "string")],
                                             [1, "Zürich", "naïve café"])]})
    write(d, "utf16be.csv", b"\xfe\xff" + text.encode("utf-16-be"),
          {"format": "csv", "tables": [table("utf16be", 3, [("id", "integer"), ("city", "string"), ("note", "string")],
                                             [1, "Zürich", "naïve café"])]})
    latin = "id,city,note\n1,Zürich,naïve café\n2,Málaga,€ 5\n3,Århus,smørrebrød\n"
    write(d, "latin1.csv", latin.encode("cp1252"),
          {"format": "csv", "tables": [table("latin1", 3, [("id", "integer"), ("city", "string"), ("note", "string")],
                                             [1, "Zürich", "naïve café"])]})
    quoted = 'id,text,n\n1,"line one\nline two",5\n2,"say ""hi""",6\n3,"a, b",7\n4,plain,8\n'
    write(d, "quoted_newlines.csv", quoted,
          {"format": "csv", "tables": [table("quoted_newlines", 4, [("id", "integer"), ("text", "string"), ("n", "integer")],
                                             [1, "line one\nline two", 5])]})
    write(d, "headerless.csv", delimited(",", header=None),
          {"format": "csv", "tables": [table("headerless", 20, [("column_1", "integer"), ("column_2", "string"),
                                                                ("column_3", "float"), ("column_4", "date")],
                                             PEOPLE_FIRST)]})
    lines = delimited(",").splitlines()
    lines.insert(5, "99,Too,Many,Fields,Here")
    lines.insert(10, "77,Short")
    write(d, "ragged.csv", "\n".join(lines) + "\n",
          {"format": "csv", "tables": [table("ragged", 20, PEOPLE_COLS, PEOPLE_FIRST, rejected=2)]})
    lines = ["# exported by a tool", "# another comment"] + delimited(",").splitlines()
    lines.insert(8, "")
    lines.insert(12, "")
    write(d, "comments_blank_lines.csv", "\n".join(lines) + "\n",
          {"format": "csv", "tables": [table("comments_blank_lines", 20, PEOPLE_COLS, PEOPLE_FIRST)]})
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(delimited(",").splitlines()))
    write(d, "mixed_line_endings.csv", mixed,
          {"format": "csv", "tables": [table("mixed_line_endings", 20, PEOPLE_COLS, PEOPLE_FIRST)]})
    # Old Mac line endings (a lone CR): the reader's line-length check counts them as breaks.
    write(d, "cr_line_endings.csv", "".join(line + "\r" for line in delimited(",").splitlines()),
          {"format": "csv", "tables": [table("cr_line_endings", 20, PEOPLE_COLS, PEOPLE_FIRST)]})
    header = ",".join(f"c{i}" for i in range(500))
    body = "".join(",".join(str(r * 1000 + i) for i in range(500)) + "\n" for r in range(5))
    write(d, "wide_500.csv", header + "\n" + body,
          {"format": "csv", "tables": [{"name": "wide_500", "row_count": 5, "column_count": 500,
                                        "rejected_row_count": 0}]})
    # Day-first dates need the sniffed format; ISO dates and timestamps (space or T) are read
    # by DuckDB's native parser, the format the sniffer reports for them being left out.
    dates = "id,day,at,logged\n" + "".join(
        f"{i},{i:02d}/03/2024,2024-03-{i:02d} 08:{i:02d}:00,2024-03-{i:02d}T09:15:{i:02d}\n" for i in range(1, 21))
    write(d, "date_formats.csv", dates,
          {"format": "csv", "tables": [table("date_formats", 20, [("id", "integer"), ("day", "date"),
                                                                 ("at", "timestamp"), ("logged", "timestamp")],
                                             [1, "2024-03-01", "2024-03-01T08:01:00", "2024-03-01T09:15:01"])]})
    dup = " id ,name,,name,\n1,a,x,b,y\n2,c,z,d,w\n"
    write(d, "duplicate_names.csv", dup,
          {"format": "csv", "tables": [table("duplicate_names", 2, [("id", "integer"), ("name", "string"),
                                                                    ("column_3", "string"), ("name_2", "string"),
                                                                    ("column_5", "string")],
                                             [1, "a", "x", "b", "y"])]})


def json_corpus():
    d = HERE
    records = [{"id": i, "name": f"n{i}", "address": {"city": f"City {i}", "geo": {"lat": 1.5 * i, "lon": -2.0}},
                "tags": ["a", "b"]} for i in range(1, 6)]
    write(d, "nested_array.json", json.dumps(records, indent=2),
          {"format": "json", "tables": [table("nested_array", 5,
                                              [("id", "integer"), ("name", "string"), ("address.city", "string"),
                                               ("address.geo.lat", "float"), ("address.geo.lon", "float"),
                                               ("tags", "string")],
                                              [1, "n1", "City 1", 1.5, -2.0, "[\"a\",\"b\"]"])]})
    lines = "".join(json.dumps({"id": i, "ok": i % 2 == 0, "v": i * 0.5}) + "\n" for i in range(1, 11))
    write(d, "records.ndjson", lines,
          {"format": "ndjson", "tables": [table("records", 10, [("id", "integer"), ("ok", "boolean"), ("v", "float")],
                                                [1, False, 0.5])]})


# ---------------------------------------------------------------- OOXML / ODF

def col_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def xlsx_cell(ref, value, strings):
    """value: str (shared string), ("inline", s), int/float, bool, ("date", serial), ("datetime", serial),
    ("formula", f, cached)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, str):
        if value not in strings:
            strings.append(value)
        return f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>'
    kind = value[0]
    if kind == "inline":
        return f'<c r="{ref}" t="inlineStr"><is><t>{value[1]}</t></is></c>'
    if kind == "date":
        return f'<c r="{ref}" s="1"><v>{value[1]}</v></c>'
    if kind == "datetime":
        return f'<c r="{ref}" s="2"><v>{value[1]}</v></c>'
    if kind == "formula":
        return f'<c r="{ref}"><f>{value[1]}</f><v>{value[2]}</v></c>'
    raise ValueError(kind)


def make_xlsx(sheets, date1904=False):
    """sheets: list of (name, {row_index: [values or None]})."""
    import io
    strings = []
    sheet_xml = []
    for _, rows in sheets:
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
        for r in sorted(rows):
            cells = "".join(xlsx_cell(f"{col_letter(c)}{r + 1}", v, strings)
                            for c, v in enumerate(rows[r]) if v is not None)
            out.append(f'<row r="{r + 1}">{cells}</row>')
        out.append("</sheetData></worksheet>")
        sheet_xml.append("".join(out))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(len(sheets)))
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=overrides))
        z.writestr("_rels/.rels", ROOT_RELS)
        pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' + pr + "<sheets>" +
                   "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (n, _) in enumerate(sheets)) +
                   "</sheets></workbook>")
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
        n = len(sheets)
        rels += (f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels +
                   "</Relationships>")
        for i, xml in enumerate(sheet_xml):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        z.writestr("xl/sharedStrings.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
                   f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
        z.writestr("xl/styles.xml", STYLES)
    return buf.getvalue()


def make_ods(sheets):
    import io
    body = []
    for name, rows in sheets:
        body.append(f'<table:table table:name="{name}">')
        last = -1
        for r in sorted(rows):
            if r > last + 1:
                body.append(f'<table:table-row table:number-rows-repeated="{r - last - 1}"><table:table-cell/></table:table-row>')
            cells = []
            for v in rows[r]:
                if v is None:
                    cells.append("<table:table-cell/>")
                elif isinstance(v, bool):
                    cells.append(f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(v).lower()}"><text:p>{v}</text:p></table:table-cell>')
                elif isinstance(v, (int, float)):
                    cells.append(f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>')
                elif isinstance(v, tuple) and v[0] == "date":
                    cells.append(f'<table:table-cell office:value-type="date" office:date-value="{v[1]}"><text:p>{v[1]}</text:p></table:table-cell>')
                else:
                    cells.append(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>')
            body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
            last = r
        body.append("</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               "<office:body><office:spreadsheet>" + "".join(body) +
               "</office:spreadsheet></office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   "</manifest:manifest>", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


SALES_ROWS = {
    0: ["Quarterly sales"],                       # a title row above the header
    2: ["region", ("inline", "units"), "price", "active", "day", "stamp", "total"],
    3: ["North", 10, 2.5, True, ("date", 45292), ("datetime", 45292.5), ("formula", "B4*C4", 25)],
    4: ["South", 20, 3.25, False, ("date", 45293), ("datetime", 45293.25), ("formula", "B5*C5", 65)],
    6: ["East", 5, 1, True, ("date", 45294), ("datetime", 45294.75), ("formula", "B7*C7", 5)],  # sparse: row 6 absent
}
SALES_COLS = [("region", "string"), ("units", "integer"), ("price", "float"), ("active", "boolean"),
              ("day", "date"), ("stamp", "timestamp"), ("total", "integer")]


def sheet_corpus():
    d = HERE
    lookup = {0: ["code", "label"], 1: ["A", "Alpha"], 2: ["B", "Beta"]}
    book = make_xlsx([("Sales", SALES_ROWS), ("Empty", {}), ("Lookup", lookup)])
    expected = {"format": "xlsx", "tables": [
        table("Sales", 3, SALES_COLS, ["North", 10, 2.5, True, "2024-01-01", "2024-01-01T12:00:00", 25]),
        table("Lookup", 2, [("code", "string"), ("label", "string")], ["A", "Alpha"])]}
    write(d, "workbook.xlsx", book, expected)
    write(d, "really_xlsx.csv", book, dict(expected, tables=[dict(t) for t in expected["tables"]]))
    book1904 = make_xlsx([("Dates", {0: ["when", "n"], 1: [("date", 43831), 1], 2: [("date", 43832), 2]})],
                         date1904=True)
    write(d, "dates_1904.xlsx", book1904,
          {"format": "xlsx", "tables": [table("Dates", 2, [("when", "date"), ("n", "integer")], ["2024-01-02", 1])]})
    headerless = make_xlsx([("Numbers", {0: [1, 2.5], 1: [2, 3.5]})])
    write(d, "headerless.xlsx", headerless,
          {"format": "xlsx", "tables": [table("Numbers", 2, [("column_1", "integer"), ("column_2", "float")], [1, 2.5])]})
    ods = make_ods([("People", {0: ["name", "age", "member", "since"], 1: ["Ann", 31, True, ("date", "2020-05-01")],
                                3: ["Bob", 42, False, ("date", "2021-06-02")]}),
                    ("Blank", {})])
    write(d, "people.ods", ods,
          {"format": "ods", "tables": [table("People", 2, [("name", "string"), ("age", "integer"),
                                                           ("member", "boolean"), ("since", "date")],
                                             ["Ann", 31, True, "2020-05-01"])]})


def bad_corpus():
    d = BAD
    write(d, "empty.csv", b"", {"format": "unknown", "error_code": "VALIDATION_ERROR", "message_contains": "empty"})
    write(d, "header_only.csv", "id,name,score\n",
          {"format": "csv", "tables": [{"name": "header_only", "row_count": 0, "rejected_row_count": 0,
                                        "columns": [{"name": "id"}, {"name": "name"}, {"name": "score"}]}]})
    garbage = bytes((i * 7919 + 13) % 256 for i in range(4096))
    write(d, "garbage.csv", garbage,
          {"format": "unknown", "error_code": "UNSUPPORTED_FORMAT", "message_contains": "not recognised"})
    book = make_xlsx([("Sales", SALES_ROWS)])
    write(d, "truncated.xlsx", book[: len(book) // 2], {"format": "unknown", "error_code": "UNSUPPORTED_FORMAT"})
    # Zip bomb: a 200 MB sheet of zeros deflates to ~200 KB.
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        real = zipfile.ZipFile(io.BytesIO(book))
        for info in real.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, real.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"0" * (1 << 20)
            for _ in range(200):
                sheet.write(chunk)
    write(d, "zip_bomb.xlsx", buf.getvalue(), {"format": "xlsx", "error_code": "PAYLOAD_TOO_LARGE"})
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        real = zipfile.ZipFile(io.BytesIO(book))
        for info in real.infolist():
            z.writestr(info.filename, laughs if info.filename == "xl/worksheets/sheet1.xml" else real.read(info.filename))
    write(d, "billion_laughs.xlsx", buf.getvalue(), {"format": "xlsx", "error_code": "VALIDATION_ERROR"})
    invalid = b"id,name\n1,ok\n2,bad \xff\xfe byte\n3,\xc3\x28 broken\n"
    write(d, "invalid_utf8.csv", invalid,
          {"format": "csv", "tables": [{"name": "invalid_utf8", "row_count": 3, "rejected_row_count": 0,
                                        "columns": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}]})
    nul = b"id,name\n1,a\x00b\n2,c\n3,d\n"
    write(d, "nul_bytes.csv", nul, {"format": "csv"})


if __name__ == "__main__":
    csv_corpus()
    json_corpus()
    sheet_corpus()
    bad_corpus()
