"""Datasets made by ingestion: metadata, rows (paging, sorting), versions, export, the
read-only SQL query endpoint (and what it must refuse), deletion, roles and tenant isolation."""
import csv
import io
import json
import os
import uuid

import pytest

from conftest import Client, add_member, assert_error, register
from test_ingest import COMMA_CSV, all_rows, dataset, ingest_path, new_project

PEOPLE = [[i, f"Person {i}", round(10 + i * 1.25, 2), f"2024-01-{i:02d}"] for i in range(1, 21)]


@pytest.fixture(scope="module")
def ds(server):
    """comma.csv ingested once: (admin client, viewer client, project id, dataset, file)."""
    admin = Client(server.url, register(server.url, org="Datasets Inc"))
    viewer = add_member(admin, "viewer")
    project = new_project(admin, "Datasets")
    body, job, f = ingest_path(admin, project, COMMA_CSV)
    d = dataset(admin, job["result"]["dataset_ids"][0])
    return admin, viewer, project, d, f


def rows_of(client, did, query):
    r = client.get(f"/api/v1/datasets/{did}/rows?{query}")
    assert r.status_code == 200, f"rows?{query} -> {r.status_code}: {r.text}"
    return r.json()


def test_dataset_metadata(ds):
    admin, viewer, project, d, f = ds
    for key in ("id", "project_id", "name", "version", "row_count", "column_count", "columns", "quality_score",
                "source_file_id", "created_at"):
        assert key in d, f"dataset lacks {key}: {d}"
    assert d["project_id"] == project and d["name"] == "comma" and d["version"] == 1
    assert d["row_count"] == 20 and d["column_count"] == 4 and d["source_file_id"] == f["id"]
    assert [(c["name"], c["type"]) for c in d["columns"]] == [
        ("id", "integer"), ("name", "string"), ("score", "float"), ("joined", "date")]
    for c in d["columns"]:
        assert set(c) >= {"name", "type", "semantic_type", "nullable"}, c
        assert c["nullable"] in (True, False)
    assert d["quality_score"] is None or 0 <= d["quality_score"] <= 100
    listing = admin.get(f"/api/v1/projects/{project}/datasets")
    assert listing.status_code == 200, listing.text
    assert listing.json()["total"] == 1 and listing.json()["items"][0]["id"] == d["id"]
    assert listing.json()["items"][0]["row_count"] == 20


def test_rows_default_page_is_everything_in_file_order(ds):
    admin, _, _, d, _ = ds
    page = rows_of(admin, d["id"], "")
    assert page["columns"] == ["id", "name", "score", "joined"]
    assert page["total"] == 20 and page["offset"] == 0 and page["limit"] >= 20
    assert page["rows"] == PEOPLE


def test_rows_paging(ds):
    admin, _, _, d, _ = ds
    page = rows_of(admin, d["id"], "offset=5&limit=5")
    assert page["offset"] == 5 and page["limit"] == 5 and page["total"] == 20
    assert page["rows"] == PEOPLE[5:10]
    assert rows_of(admin, d["id"], "offset=18&limit=10")["rows"] == PEOPLE[18:]
    assert rows_of(admin, d["id"], "offset=20&limit=10")["rows"] == []
    assert rows_of(admin, d["id"], "offset=500&limit=10")["rows"] == []
    assert len(rows_of(admin, d["id"], "limit=1000")["rows"]) == 20
    assert_error(admin.get(f"/api/v1/datasets/{d['id']}/rows?limit=1001"), 400, "VALIDATION_ERROR")
    for q in ("limit=-1", "offset=-1", "limit=abc", "offset=1.5"):
        assert_error(admin.get(f"/api/v1/datasets/{d['id']}/rows?{q}"), 400, "VALIDATION_ERROR")


def test_rows_sorting(ds):
    admin, _, _, d, _ = ds
    assert rows_of(admin, d["id"], "sort=score:desc")["rows"] == PEOPLE[::-1]
    assert rows_of(admin, d["id"], "sort=id:asc&limit=3")["rows"] == PEOPLE[:3]
    names = [r[1] for r in rows_of(admin, d["id"], "sort=name:asc")["rows"]]
    assert names == sorted(names)
    assert rows_of(admin, d["id"], "sort=joined:desc&offset=1&limit=2")["rows"] == [PEOPLE[18], PEOPLE[17]]
    for bad in ("nope:asc", "id:sideways", "id;DROP TABLE data:asc"):
        r = admin.get(f"/api/v1/datasets/{d['id']}/rows", params={"sort": bad})
        assert_error(r, 400, "VALIDATION_ERROR")
    assert dataset(admin, d["id"])["row_count"] == 20


def test_versions_after_ingest(ds):
    admin, _, _, d, _ = ds
    r = admin.get(f"/api/v1/datasets/{d['id']}/versions")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert len(items) == 1, items
    v = items[0]
    for key in ("version", "parent_version", "row_count", "column_count", "quality_score", "operations",
                "created_at", "created_by"):
        assert key in v, f"version lacks {key}: {v}"
    assert v["version"] == 1 and v["parent_version"] is None
    assert v["row_count"] == 20 and v["column_count"] == 4
    assert v["created_by"] == admin.auth["user"]["id"] or v["created_by"] in (
        admin.auth["user"]["email"], admin.auth["user"].get("full_name")), v


def _export(client, did, fmt):
    r = client.get(f"/api/v1/datasets/{did}/export?format={fmt}")
    assert r.status_code == 200, f"export {fmt} -> {r.status_code}: {r.text[:300]}"
    cd = r.headers.get("Content-Disposition", "")
    assert cd.lower().startswith("attachment"), f"export {fmt}: Content-Disposition {cd!r}"
    assert f".{fmt}" in cd, f"export {fmt}: file name in {cd!r}"
    return r


def _num(v):
    return float(v) if isinstance(v, str) else v


def test_export_formats(ds):
    admin, viewer, _, d, _ = ds
    r = _export(admin, d["id"], "csv")
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0] == ["id", "name", "score", "joined"]
    assert len(table) == 21
    assert table[1][:2] == ["1", "Person 1"] and float(table[1][2]) == 11.25 and table[1][3] == "2024-01-01"
    r = _export(admin, d["id"], "json")
    records = r.json()
    assert isinstance(records, list) and len(records) == 20, str(records)[:300]
    assert records[0]["id"] == 1 and records[0]["name"] == "Person 1" and _num(records[0]["score"]) == 11.25
    r = _export(admin, d["id"], "ndjson")
    lines = [json.loads(x) for x in r.content.decode().splitlines() if x.strip()]
    assert len(lines) == 20 and lines[19]["id"] == 20 and lines[19]["joined"] == "2024-01-20"
    r = _export(admin, d["id"], "parquet")
    assert r.content[:4] == b"PAR1" and r.content[-4:] == b"PAR1"
    r = _export(admin, d["id"], "xlsx")
    assert r.content[:2] == b"PK"
    import zipfile
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert any(n.startswith("xl/worksheets/") for n in z.namelist()), z.namelist()
        sheet = z.read([n for n in z.namelist() if n.startswith("xl/worksheets/sheet")][0]).decode()
        assert sheet.count("<row") == 21, "xlsx export should have a header row and 20 data rows"
    # A viewer exports too.
    assert _export(viewer, d["id"], "csv").content == _export(admin, d["id"], "csv").content
    for bad in ("exe", "", "CSV;rm", "../csv"):
        assert_error(admin.get(f"/api/v1/datasets/{d['id']}/export", params={"format": bad}), 400, "VALIDATION_ERROR")


def test_query(ds):
    admin, viewer, _, d, _ = ds
    for client in (admin, viewer):
        r = client.post(f"/api/v1/datasets/{d['id']}/query", {"sql": "SELECT count(*) AS n FROM data"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["columns"] == ["n"] and body["rows"] == [[20]] and body["row_count"] == 1
        assert body["truncated"] is False
    r = admin.post(f"/api/v1/datasets/{d['id']}/query",
                   {"sql": "select name, score from data where id between 3 and 4 order by id"})
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [["Person 3", 13.75], ["Person 4", 15.0]]
    r = admin.post(f"/api/v1/datasets/{d['id']}/query",
                   {"sql": "WITH t AS (SELECT * FROM data) SELECT max(joined) AS last FROM t"})
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [["2024-01-20"]]
    # Trailing semicolon and comments are one statement.
    r = admin.post(f"/api/v1/datasets/{d['id']}/query", {"sql": "-- hi\nSELECT 1 AS one;"})
    assert r.status_code == 200 and r.json()["rows"] == [[1]], r.text
    # Errors in a valid read are 400 with a message, not 500.
    assert_error(admin.post(f"/api/v1/datasets/{d['id']}/query", {"sql": "SELECT nope FROM data"}),
                 400, "VALIDATION_ERROR")
    assert_error(admin.post(f"/api/v1/datasets/{d['id']}/query", {"sql": "SELEC"}), 400, "VALIDATION_ERROR")
    for body in ({}, {"sql": ""}, {"sql": 42}):
        r = admin.post(f"/api/v1/datasets/{d['id']}/query", body)
        assert r.status_code in (400, 422), r.text
        assert_error(r, r.status_code, "VALIDATION_ERROR")


MARK = uuid.uuid4().hex[:8]
REFUSED = [
    "SELECT * FROM read_csv('/etc/passwd')",
    f"COPY data TO '/tmp/x-{MARK}.csv'",
    f"ATTACH '/tmp/x-{MARK}.db'",
    "INSTALL httpfs",
    "SET memory_limit='1GB'",
    "CREATE TABLE t AS SELECT 1",
    "DELETE FROM data",
    "SELECT 1; SELECT 2",
    # Other ways to reach a file or leave the sandbox.
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT content FROM read_blob('/etc/hostname')",
    "LOAD httpfs",
    "DROP TABLE data",
    "UPDATE data SET id = 0",
    "INSERT INTO data SELECT * FROM data",
    f"EXPORT DATABASE '/tmp/x-{MARK}'",
    "SELECT 1; DROP TABLE data",
    "SET enable_external_access = true",
    "DETACH data",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_query_refuses(ds, sql):
    admin, _, _, d, _ = ds
    r = admin.post(f"/api/v1/datasets/{d['id']}/query", {"sql": sql})
    assert_error(r, 400, "VALIDATION_ERROR")
    assert "root:" not in r.text
    assert len(r.json()["error"]["message"]) > 10
    for leftover in (f"/tmp/x-{MARK}.csv", f"/tmp/x-{MARK}.db", f"/tmp/x-{MARK}"):
        assert not os.path.exists(leftover), f"{sql!r} wrote {leftover}"
    assert rows_of(admin, d["id"], "limit=1000")["rows"] == PEOPLE
    r = admin.post(f"/api/v1/datasets/{d['id']}/query", {"sql": "SELECT count(*) FROM data"})
    assert r.status_code == 200 and r.json()["rows"] == [[20]], r.text


def test_viewer_reads_but_cannot_delete_and_delete_works(admin):
    viewer = add_member(admin, "viewer")
    analyst = add_member(admin, "analyst")
    project = new_project(admin)
    _, job, _ = ingest_path(admin, project, COMMA_CSV)
    did = job["result"]["dataset_ids"][0]
    assert viewer.get(f"/api/v1/datasets/{did}").status_code == 200
    assert viewer.get(f"/api/v1/datasets/{did}/rows").status_code == 200
    assert viewer.get(f"/api/v1/datasets/{did}/versions").status_code == 200
    assert viewer.get(f"/api/v1/projects/{project}/datasets").json()["total"] == 1
    assert_error(viewer.delete(f"/api/v1/datasets/{did}"), 403, "FORBIDDEN")
    assert dataset(admin, did)["row_count"] == 20
    r = analyst.delete(f"/api/v1/datasets/{did}")
    assert r.status_code == 204, r.text
    assert r.content == b""
    for path in ("", "/rows", "/versions", "/export?format=csv"):
        assert_error(admin.get(f"/api/v1/datasets/{did}{path}"), 404, "NOT_FOUND")
    assert_error(admin.post(f"/api/v1/datasets/{did}/query", {"sql": "SELECT 1"}), 404, "NOT_FOUND")
    assert_error(admin.delete(f"/api/v1/datasets/{did}"), 404, "NOT_FOUND")
    assert admin.get(f"/api/v1/projects/{project}/datasets").json()["total"] == 0


def test_another_organization_sees_nothing(ds, other_admin):
    admin, _, project, d, f = ds
    did = d["id"]
    before = all_rows(admin, did)
    for path in (f"/api/v1/datasets/{did}", f"/api/v1/datasets/{did}/rows", f"/api/v1/datasets/{did}/versions",
                 f"/api/v1/datasets/{did}/export?format=csv", f"/api/v1/datasets/{did}/export?format=parquet",
                 f"/api/v1/files/{f['id']}", f"/api/v1/projects/{project}/datasets",
                 f"/api/v1/projects/{project}/files"):
        assert_error(other_admin.get(path), 404, "NOT_FOUND")
    assert_error(other_admin.post(f"/api/v1/datasets/{did}/query", {"sql": "SELECT * FROM data"}), 404, "NOT_FOUND")
    assert_error(other_admin.delete(f"/api/v1/datasets/{did}"), 404, "NOT_FOUND")
    after = dataset(admin, did)
    shape = lambda x: (x["id"], x["version"], x["row_count"], [(c["name"], c["type"]) for c in x["columns"]])
    assert shape(after) == shape(d)
    assert all_rows(admin, did) == before


def test_unknown_dataset_ids_are_404(admin):
    for did in (str(uuid.uuid4()), "not-a-uuid", "..%2F..%2Fetc%2Fpasswd"):
        for path in ("", "/rows", "/versions", "/export?format=csv"):
            assert_error(admin.get(f"/api/v1/datasets/{did}{path}"), 404, "NOT_FOUND")
        assert_error(admin.post(f"/api/v1/datasets/{did}/query", {"sql": "SELECT 1"}), 404, "NOT_FOUND")
        assert_error(admin.delete(f"/api/v1/datasets/{did}"), 404, "NOT_FOUND")
    assert_error(admin.get(f"/api/v1/projects/{uuid.uuid4()}/datasets"), 404, "NOT_FOUND")


def test_two_uploads_of_the_same_file_make_two_datasets(admin):
    project = new_project(admin)
    _, j1, _ = ingest_path(admin, project, COMMA_CSV)
    _, j2, _ = ingest_path(admin, project, COMMA_CSV)
    ids = j1["result"]["dataset_ids"] + j2["result"]["dataset_ids"]
    assert len(set(ids)) == 2
    listing = admin.get(f"/api/v1/projects/{project}/datasets").json()
    assert listing["total"] == 2 and {x["id"] for x in listing["items"]} == set(ids)
    admin.delete(f"/api/v1/datasets/{ids[0]}")
    assert all_rows(admin, ids[1])[1] == PEOPLE


def test_query_result_is_capped_and_says_so(ds):
    admin, _, _, d, _ = ds
    r = admin.post(f"/api/v1/datasets/{d['id']}/query",
                   {"sql": "SELECT a.id AS a, b.id AS b, c.id AS c, e.id AS e FROM data a, data b, data c, data e"})
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["truncated"] is True, {k: body[k] for k in ("row_count", "truncated")}
    assert 0 < len(body["rows"]) < 160000
    assert body["columns"] == ["a", "b", "c", "e"]


def test_sort_on_a_dotted_column_name(admin):
    """Flattened JSON columns are named a.b.c; sort must take them as names, not paths."""
    from test_ingest import INGEST_DIR
    project = new_project(admin)
    _, job, _ = ingest_path(admin, project, os.path.join(INGEST_DIR, "nested_array.json"))
    did = job["result"]["dataset_ids"][0]
    asc = rows_of(admin, did, "sort=address.geo.lat:asc")
    desc = rows_of(admin, did, "sort=address.geo.lat:desc")
    i = asc["columns"].index("address.geo.lat")
    lats = [r[i] for r in asc["rows"]]
    assert lats == sorted(lats) and [r[i] for r in desc["rows"]] == sorted(lats, reverse=True)
    r = admin.post(f"/api/v1/datasets/{did}/query", {"sql": 'SELECT max("address.geo.lat") AS m FROM data'})
    assert r.status_code == 200 and r.json()["rows"] == [[max(lats)]], r.text


def test_deleting_the_project_removes_its_datasets_and_files(admin):
    project = new_project(admin)
    _, job, f = ingest_path(admin, project, COMMA_CSV)
    did = job["result"]["dataset_ids"][0]
    assert admin.delete(f"/api/v1/projects/{project}").status_code == 204
    for path in (f"/api/v1/datasets/{did}", f"/api/v1/datasets/{did}/rows", f"/api/v1/files/{f['id']}",
                 f"/api/v1/datasets/{did}/export?format=csv"):
        assert_error(admin.get(path), 404, "NOT_FOUND")
    assert_error(admin.post(f"/api/v1/datasets/{did}/query", {"sql": "SELECT 1"}), 404, "NOT_FOUND")


@pytest.mark.parametrize("sql", ["SELECT * FROM duckdb_views()", "SELECT * FROM duckdb_tables()",
                                 "SELECT * FROM duckdb_databases()", "SELECT * FROM duckdb_settings()",
                                 "EXPLAIN SELECT * FROM data", "SELECT * FROM pragma_database_list"])
def test_query_does_not_reveal_where_data_is_stored(server, ds, sql):
    """Catalog functions answer or are refused, but never show the server's storage paths."""
    admin, _, _, d, _ = ds
    r = admin.post(f"/api/v1/datasets/{d['id']}/query", {"sql": sql})
    assert r.status_code in (200, 400), r.text[:300]
    assert server.data_dir not in r.text and "blobs/" not in r.text, f"{sql!r} reveals a storage path: {r.text[:400]}"


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "parquet", "xlsx"])
def test_export_then_upload_round_trips(ds, fmt):
    """What the server exports, it reads back: same format detected, same columns, same rows."""
    from test_ingest import ingest
    admin, _, project, d, _ = ds
    r = _export(admin, d["id"], fmt)
    body, job, f = ingest(admin, project, f"roundtrip.{fmt}", r.content)
    assert f["detected_format"] == fmt, f
    back = dataset(admin, job["result"]["dataset_ids"][0])
    try:
        assert [c["name"] for c in back["columns"]] == [c["name"] for c in d["columns"]]
        if fmt in ("parquet", "csv", "xlsx"):
            assert [c["type"] for c in back["columns"]] == [c["type"] for c in d["columns"]], back["columns"]
        columns, rows = all_rows(admin, back["id"])
        if fmt in ("json", "ndjson"):  # JSON has no date type: compare the text
            rows = [[r[0], r[1], r[2], str(r[3])[:10]] for r in rows]
        assert rows == PEOPLE
    finally:
        admin.delete(f"/api/v1/datasets/{back['id']}")
