"""Ingestion through the API: multipart uploads of every file in tests/data/ingest/ (each
compared with its <input>.expected.json), files, jobs (poll, cancel, WebSocket), tus 1.0
resumable uploads, upload limits, permissions and tenant isolation.

The helpers defined here (upload, wait_job, ingest, ...) are also used by test_datasets.py
and test_uploads_hostile.py."""
import base64
import datetime
import email.utils
import glob
import json
import math
import os
import re
import socket
import time
import urllib.parse
import uuid

import pytest
import requests

from conftest import BACKEND, ROOT, PASSWORD, Client, Server, add_member, assert_error, database_url, register

INGEST_DIR = os.path.join(ROOT, "tests", "data", "ingest")
BAD_DIR = os.path.join(ROOT, "tests", "data", "bad")
TERMINAL = {"succeeded", "failed", "canceled"}
JOB_STATUSES = TERMINAL | {"queued", "running"}
FILE_STATUSES = {"uploaded", "processing", "ready", "error"}
API_TYPES = {"integer", "float", "decimal", "boolean", "date", "timestamp", "time", "string"}
FORMATS = {"csv", "tsv", "json", "ndjson", "parquet", "xlsx", "xls", "ods", "pdf", "image", "unknown"}
JOB_TIMEOUT = float(os.environ.get("DM_JOB_TIMEOUT", "60"))

COMMA_CSV = os.path.join(INGEST_DIR, "comma.csv")


# ---------------------------------------------------------------------------------------
# Helpers (shared with the other ingestion test files)
# ---------------------------------------------------------------------------------------

def corpus(directory):
    """Every input file of a corpus directory: the files that have <name>.expected.json."""
    return sorted(p[: -len(".expected.json")] for p in glob.glob(os.path.join(directory, "*.expected.json"))
                  if os.path.isfile(p[: -len(".expected.json")]))


def expectation(path):
    with open(path + ".expected.json", encoding="utf-8") as f:
        return json.load(f)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def new_project(client, name=None):
    r = client.post("/api/v1/projects", {"name": name or f"Ingest {uuid.uuid4().hex[:6]}"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def upload(client, project_id, filename, data, content_type="application/octet-stream", timeout=60):
    """POST /api/v1/projects/{id}/uploads, multipart field `file`."""
    return client.session.post(f"{client.base}/api/v1/projects/{project_id}/uploads",
                               files={"file": (filename, data, content_type)},
                               headers=client.headers(), timeout=timeout)


def wait_job(client, job_id, timeout=JOB_TIMEOUT):
    """Polls GET /api/v1/jobs/{id} until the job is terminal; returns the job."""
    deadline = time.time() + timeout
    delay = 0.05
    job = None
    while time.time() < deadline:
        r = client.get(f"/api/v1/jobs/{job_id}")
        assert r.status_code == 200, f"GET /api/v1/jobs/{job_id} -> {r.status_code}: {r.text}"
        job = r.json()
        assert job.get("status") in JOB_STATUSES, job
        if job["status"] in TERMINAL:
            return job
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)
    raise AssertionError(f"job {job_id} not finished after {timeout} s; last state: {job}")


def start_upload(client, project_id, filename, data):
    r = upload(client, project_id, filename, data)
    assert r.status_code == 202, f"upload {filename!r}: expected 202, got {r.status_code}: {r.text[:500]}"
    return r.json()


def ingest(client, project_id, filename, data, expect="succeeded"):
    """Uploads, waits for the job; returns (upload response body, terminal job, file)."""
    body = start_upload(client, project_id, filename, data)
    job = wait_job(client, body["job"]["id"])
    if expect:
        assert job["status"] == expect, f"ingest of {filename!r}: job ended {job['status']}: {job}"
    f = client.get(f"/api/v1/files/{body['file']['id']}")
    assert f.status_code == 200, f.text
    return body, job, f.json()


def ingest_path(client, project_id, path, expect="succeeded"):
    return ingest(client, project_id, os.path.basename(path), read_bytes(path), expect)


def dataset(client, dataset_id):
    r = client.get(f"/api/v1/datasets/{dataset_id}")
    assert r.status_code == 200, f"GET /api/v1/datasets/{dataset_id} -> {r.status_code}: {r.text}"
    return r.json()


def all_rows(client, dataset_id, page=1000, sort=None):
    """Every row of a dataset, paging through /rows."""
    rows, offset, columns = [], 0, None
    while True:
        q = f"offset={offset}&limit={page}" + (f"&sort={sort}" if sort else "")
        r = client.get(f"/api/v1/datasets/{dataset_id}/rows?{q}")
        assert r.status_code == 200, r.text
        body = r.json()
        columns = body["columns"]
        rows += body["rows"]
        offset += len(body["rows"])
        if not body["rows"] or offset >= body["total"]:
            return columns, rows


def readable_error(text):
    """A job/file error a person can read: a non-empty sentence without server internals."""
    assert isinstance(text, str) and text.strip(), f"no readable error: {text!r}"
    for leak in ("/tmp/", "/work/", "/home/", "/var/", "dm-api-", ".cpp", "Traceback", "std::", "terminate called"):
        assert leak not in text, f"error leaks server internals ({leak!r}): {text!r}"
    assert len(text) < 2000, f"error is not a sentence ({len(text)} chars)"


_TS = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.0*)?(?:Z|[+-]00(?::?00)?)?$")


def same_value(expected, got, col_type=None):
    """Compares a JSON cell with an expectation.  Numbers by value (integers must stay
    integers); timestamps accept 'T' or ' ' and a zero fraction/UTC suffix; else exact."""
    if expected is None or isinstance(expected, bool):
        return got is expected
    if isinstance(expected, (int, float)):
        if isinstance(got, bool):
            return False
        if col_type == "decimal" and isinstance(got, str):
            try:
                got = float(got)
            except ValueError:
                return False
        if not isinstance(got, (int, float)):
            return False
        if col_type == "integer" and not isinstance(got, int):
            return False
        return math.isclose(float(got), float(expected), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, str) and isinstance(got, str) and col_type == "timestamp":
        me, mg = _TS.match(expected), _TS.match(got)
        if me and mg:
            return me.groups() == mg.groups()
    return expected == got


def datasets_by_name(client, dataset_ids):
    out = {}
    for did in dataset_ids:
        d = dataset(client, did)
        assert d["name"] not in out, f"two datasets named {d['name']!r}"
        out[d["name"]] = d
    return out


def check_table(client, d, table, file_id, where):
    """Compares one dataset with one table expectation from a corpus .expected.json."""
    assert d["row_count"] == table["row_count"], f"{where}: row_count {d['row_count']} != {table['row_count']}"
    if "columns" in table:
        names = [c["name"] for c in d["columns"]]
        assert names == [c["name"] for c in table["columns"]], f"{where}: column names {names}"
        for got, exp in zip(d["columns"], table["columns"]):
            if "type" in exp:
                assert got["type"] == exp["type"], f"{where}: column {exp['name']!r} type {got['type']!r}, expected {exp['type']!r}"
    ncols = table.get("column_count", len(table.get("columns", [])) or None)
    if ncols is not None:
        assert d["column_count"] == ncols, f"{where}: column_count {d['column_count']} != {ncols}"
        assert len(d["columns"]) == ncols, f"{where}: {len(d['columns'])} column entries"
    assert d["version"] == 1, f"{where}: version {d['version']} after ingest"
    assert d["source_file_id"] == file_id, where
    for c in d["columns"]:
        assert c["type"] in API_TYPES, f"{where}: column type {c['type']!r} is not an API type"
        assert isinstance(c["nullable"], bool), f"{where}: nullable {c['nullable']!r}"
    if "first_row" in table or table["row_count"] == 0:
        r = client.get(f"/api/v1/datasets/{d['id']}/rows?offset=0&limit=1")
        assert r.status_code == 200, f"{where}: rows -> {r.status_code}: {r.text}"
        page = r.json()
        assert page["total"] == table["row_count"], f"{where}: rows total {page['total']}"
        assert page["columns"] == [c["name"] for c in d["columns"]], f"{where}: rows columns {page['columns']}"
        if table["row_count"] == 0:
            assert page["rows"] == [], where
        else:
            assert len(page["rows"]) == 1, where
            got = page["rows"][0]
            exp = table["first_row"]
            assert len(got) == len(exp), f"{where}: first row {got!r}, expected {exp!r}"
            types = [c["type"] for c in d["columns"]]
            bad = [(d["columns"][i]["name"], exp[i], got[i]) for i in range(len(exp))
                   if not same_value(exp[i], got[i], types[i])]
            assert not bad, f"{where}: first row differs (column, expected, got): {bad}; row {got!r}"


def rejected_rows_of(file_json):
    """The file's rejected rows: details.rejected_rows, or per table in details.tables[]."""
    details = file_json.get("details") or {}
    if isinstance(details.get("rejected_rows"), list):
        return details["rejected_rows"]
    rows = None
    for t in details.get("tables") or []:
        if isinstance(t, dict) and isinstance(t.get("rejected_rows"), list):
            rows = (rows or []) + t["rejected_rows"]
    return rows


def check_rejections(file_json, tables, where):
    """rejected_row_count in the file's details, when the corpus expects rejections."""
    details = file_json.get("details") or {}
    expected = sum(t.get("rejected_row_count", 0) for t in tables)
    got = details.get("rejected_row_count", 0)
    assert got == expected, f"{where}: details.rejected_row_count {got!r}, expected {expected}; details {details}"
    if expected:
        rejected = rejected_rows_of(file_json)
        assert isinstance(rejected, list) and len(rejected) == expected, f"{where}: rejected_rows {rejected!r}"
        for item in rejected:
            assert isinstance(item.get("line"), int) and item["line"] >= 1, item
            assert isinstance(item.get("reason"), str) and item["reason"].strip(), item


def login_session(base, email, password=PASSWORD):
    """A requests.Session signed in with cookies only (no Authorization header)."""
    s = requests.Session()
    r = s.post(base + "/api/v1/auth/login", json={"email": email, "password": password}, timeout=30)
    assert r.status_code == 200, r.text
    assert s.cookies.get("dm_access"), f"login set no dm_access cookie: {r.headers}"
    return s


def raw_http(base, method, path, headers, body=b"", chunked=False, early_wait=0.5):
    """One HTTP/1.1 request on a raw socket, tolerant of a server that answers (e.g. 413)
    before reading the whole body.  Returns (status, {lower-case header: value}, body)."""
    u = urllib.parse.urlparse(base)
    sock = socket.create_connection((u.hostname, u.port), timeout=30)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: {u.hostname}:{u.port}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}")
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        # An early answer (a server refusing on the headers alone) wins.
        sock.settimeout(early_wait)
        early = b""
        try:
            early = sock.recv(65536)
        except socket.timeout:
            pass
        sock.settimeout(30)
        if not early:
            try:
                step = 64 * 1024
                for i in range(0, len(body), step):
                    part = body[i:i + step]
                    sock.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
                if chunked:
                    sock.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        data = early
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    h, _, rest = data.partition(b"\r\n\r\n")
                    m = re.search(rb"(?im)^content-length:\s*(\d+)", h)
                    if m and len(rest) >= int(m.group(1)):
                        break
        except (ConnectionResetError, socket.timeout):
            pass
    finally:
        sock.close()
    assert data, f"{method} {path}: connection closed without any response"
    h, _, rest = data.partition(b"\r\n\r\n")
    lines = h.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, rest


def multipart_body(filename_header_value, data, field="file", boundary=None):
    """A hand-made multipart body, for filenames requests would escape."""
    boundary = boundary or "----dmtest" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"".encode()
            + filename_header_value + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            + data + f"\r\n--{boundary}--\r\n".encode())
    return body, f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def org(server):
    """One organization for the corpus tests: its admin and a project."""
    client = Client(server.url, register(server.url, org="Ingest Co"))
    return client, new_project(client, "Corpus")


@pytest.fixture(scope="module")
def small_server():
    s = Server(extra_args=["--max-upload-mb", "1"])
    yield s
    s.stop()


# ---------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------

INGEST_CORPUS = corpus(INGEST_DIR)


def test_corpus_is_there():
    assert len(INGEST_CORPUS) >= 10, INGEST_CORPUS


@pytest.mark.parametrize("path", INGEST_CORPUS, ids=[os.path.basename(p) for p in INGEST_CORPUS])
def test_ingest_corpus_file(org, path):
    client, project = org
    exp = expectation(path)
    name = os.path.basename(path)
    data = read_bytes(path)
    body = start_upload(client, project, name, data)
    f = body["file"]
    assert f["original_filename"] == name
    assert f["size_bytes"] == len(data)
    assert f["detected_format"] == exp["format"], f"{name}: detected_format {f['detected_format']!r} at upload"
    job = wait_job(client, body["job"]["id"])
    assert job["status"] == "succeeded", f"{name}: {job}"
    assert job["type"] == "ingest"
    assert job["result"]["file_id"] == f["id"]
    ids = job["result"]["dataset_ids"]
    assert len(ids) == len(exp["tables"]), f"{name}: {len(ids)} datasets, expected {len(exp['tables'])}"
    file_json = client.get(f"/api/v1/files/{f['id']}").json()
    assert file_json["status"] == "ready", file_json
    assert file_json["detected_format"] == exp["format"]
    assert sorted(file_json["dataset_ids"]) == sorted(ids)
    assert file_json["size_bytes"] == len(data)
    by_name = datasets_by_name(client, ids)
    assert sorted(by_name) == sorted(t["name"] for t in exp["tables"]), f"{name}: dataset names {sorted(by_name)}"
    for table in exp["tables"]:
        d = by_name[table["name"]]
        assert d["project_id"] == project
        check_table(client, d, table, f["id"], f"{name}/{table['name']}")
    check_rejections(file_json, exp["tables"], name)


def test_ragged_rows_are_reported_with_line_numbers(org):
    client, project = org
    _, _, f = ingest_path(client, project, os.path.join(INGEST_DIR, "ragged.csv"))
    rejected = rejected_rows_of(f)
    # Line 1 is the header; "99,Too,Many,Fields,Here" is line 6 and "77,Short" line 11.
    assert sorted(r["line"] for r in rejected) == [6, 11], rejected


def test_multi_sheet_workbook_gives_a_dataset_per_sheet(admin):
    project = new_project(admin)
    path = os.path.join(INGEST_DIR, "workbook.xlsx")
    body, job, f = ingest_path(admin, project, path)
    ids = job["result"]["dataset_ids"]
    assert len(ids) >= 2
    names = {dataset(admin, i)["name"] for i in ids}
    assert names == {t["name"] for t in expectation(path)["tables"]} == {"Sales", "Lookup"}
    listing = admin.get(f"/api/v1/projects/{project}/datasets")
    assert listing.status_code == 200, listing.text
    items = listing.json()["items"]
    assert listing.json()["total"] == len(items) == len(ids)
    assert {d["name"] for d in items} == names
    assert all(d["source_file_id"] == f["id"] for d in items)


# ---------------------------------------------------------------------------------------
# Upload, file and job shapes
# ---------------------------------------------------------------------------------------

def test_upload_response_file_and_job(admin):
    project = new_project(admin)
    data = read_bytes(COMMA_CSV)
    r = upload(admin, project, "people export.csv", data, "text/csv")
    assert r.status_code == 202, r.text
    body = r.json()
    assert set(body) >= {"file", "job"}
    f = body["file"]
    for key in ("id", "original_filename", "size_bytes", "detected_format", "status"):
        assert key in f, f
    assert f["original_filename"] == "people export.csv"
    assert f["size_bytes"] == len(data)
    assert f["detected_format"] == "csv"
    assert f["status"] in FILE_STATUSES
    assert body["job"]["status"] in JOB_STATUSES
    job = wait_job(admin, body["job"]["id"])
    for key in ("id", "type", "status", "progress", "message", "result", "error", "created_at", "started_at",
                "finished_at"):
        assert key in job, f"job lacks {key}: {job}"
    assert job["id"] == body["job"]["id"]
    assert job["type"] == "ingest"
    assert job["status"] == "succeeded", job
    assert job["progress"] == 100
    assert job["error"] is None
    assert job["created_at"] and job["started_at"] and job["finished_at"]
    assert job["created_at"] <= job["started_at"] <= job["finished_at"], job
    assert job["result"]["file_id"] == f["id"]
    assert len(job["result"]["dataset_ids"]) == 1
    got = admin.get(f"/api/v1/files/{f['id']}")
    assert got.status_code == 200, got.text
    fj = got.json()
    for key in ("id", "project_id", "original_filename", "size_bytes", "detected_format", "status",
                "error_message", "dataset_ids", "created_at"):
        assert key in fj, f"file lacks {key}: {fj}"
    assert fj["project_id"] == project and fj["status"] == "ready" and fj["error_message"] is None
    assert fj["dataset_ids"] == job["result"]["dataset_ids"]
    d = dataset(admin, fj["dataset_ids"][0])
    assert d["name"] == "people export"  # the file's stem
    listing = admin.get(f"/api/v1/projects/{project}/files")
    assert listing.status_code == 200, listing.text
    assert listing.json()["total"] == 1 and [x["id"] for x in listing.json()["items"]] == [f["id"]]
    assert listing.json()["items"][0]["status"] == "ready"


def test_detected_format_ignores_the_extension(admin):
    project = new_project(admin)
    ndjson = b'{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n'
    body, job, f = ingest(admin, project, "records.csv", ndjson)
    assert body["file"]["detected_format"] == "ndjson" == f["detected_format"]
    d = dataset(admin, job["result"]["dataset_ids"][0])
    assert d["row_count"] == 2 and [c["name"] for c in d["columns"]] == ["a", "b"]
    csv = read_bytes(COMMA_CSV)
    body, job, f = ingest(admin, project, "data.xlsx", csv)
    assert f["detected_format"] == "csv"
    assert dataset(admin, job["result"]["dataset_ids"][0])["row_count"] == 20


def test_analyst_uploads_viewer_cannot(admin):
    project = new_project(admin)
    analyst = add_member(admin, "analyst")
    viewer = add_member(admin, "viewer")
    data = read_bytes(COMMA_CSV)
    assert_error(upload(viewer, project, "comma.csv", data), 403, "FORBIDDEN")
    assert admin.get(f"/api/v1/projects/{project}/files").json()["total"] == 0
    body, job, f = ingest(analyst, project, "comma.csv", data)
    # A viewer reads what was uploaded.
    assert viewer.get(f"/api/v1/files/{f['id']}").status_code == 200
    assert viewer.get(f"/api/v1/jobs/{job['id']}").status_code == 200
    assert viewer.get(f"/api/v1/projects/{project}/files").json()["total"] == 1


def test_upload_requires_authentication(server, admin):
    project = new_project(admin)
    r = requests.post(f"{server.url}/api/v1/projects/{project}/uploads",
                      files={"file": ("comma.csv", b"a,b\n1,2\n")}, timeout=30)
    assert_error(r, 401, "UNAUTHENTICATED")


def test_upload_to_unknown_or_foreign_project_is_404(admin, other_admin):
    data = read_bytes(COMMA_CSV)
    theirs = new_project(other_admin)
    for pid in (theirs, str(uuid.uuid4()), "not-a-project"):
        assert_error(upload(admin, pid, "comma.csv", data), 404, "NOT_FOUND")
    assert other_admin.get(f"/api/v1/projects/{theirs}/files").json()["total"] == 0


def test_upload_without_file_part_or_not_multipart(admin):
    project = new_project(admin)
    url = f"{admin.base}/api/v1/projects/{project}/uploads"
    r = admin.session.post(url, files={"other": ("x.csv", b"a\n1\n")}, headers=admin.headers(), timeout=30)
    assert_error(r, 400, "VALIDATION_ERROR")
    r = admin.session.post(url, data={"file": "just a form field"}, headers=admin.headers(), timeout=30)
    assert r.status_code in (400, 415), r.text
    assert_error(r, r.status_code, "VALIDATION_ERROR" if r.status_code == 400 else "UNSUPPORTED_FORMAT")
    r = admin.post(f"/api/v1/projects/{project}/uploads", {"file": "a,b\n1,2\n"})
    assert r.status_code in (400, 415), r.text
    assert_error(r, r.status_code, "VALIDATION_ERROR" if r.status_code == 400 else "UNSUPPORTED_FORMAT")
    r = admin.session.post(url, data=b"a,b\n1,2\n", headers={**admin.headers(), "Content-Type": "text/csv"},
                           timeout=30)
    assert r.status_code in (400, 415), r.text
    # Multipart with a broken body (no closing boundary).
    r = admin.session.post(url, data=b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\""
                                     b"\r\n\r\na,b\n1,2\n",
                           headers={**admin.headers(), "Content-Type": "multipart/form-data; boundary=xyz"}, timeout=30)
    assert_error(r, 400, "VALIDATION_ERROR")
    assert admin.get(f"/api/v1/projects/{project}/files").json()["total"] == 0


def test_upload_over_the_limit_is_413_and_nothing_is_stored(small_server):
    client = Client(small_server.url, register(small_server.url))
    project = new_project(client)
    big = (b"id,text\n" + b"".join(b"%d,%s\n" % (i, b"x" * 90) for i in range(22000)))[: 2 * 1024 * 1024]
    body, ctype = multipart_body(b"big.csv", big)
    path = f"/api/v1/projects/{project}/uploads"
    for chunked in (False, True):
        status, headers, resp = raw_http(small_server.url, "POST", path,
                                         {"Authorization": f"Bearer {client.token}", "Content-Type": ctype},
                                         body, chunked=chunked)
        assert status == 413, f"chunked={chunked}: {status} {resp[:300]!r}"
        err = json.loads(resp)["error"]
        assert err["code"] == "PAYLOAD_TOO_LARGE" and err["message"], err
    assert small_server.alive()
    assert client.get(f"/api/v1/projects/{project}/files").json()["total"] == 0
    # Just under the limit is fine.
    ok = big[: 900 * 1024]
    ok = ok[: ok.rindex(b"\n") + 1]
    body_, job, f = ingest(client, project, "ok.csv", ok)
    assert f["size_bytes"] == len(ok)


def test_files_and_jobs_of_another_organization_are_404(admin, other_admin):
    project = new_project(admin)
    body, job, f = ingest_path(admin, project, COMMA_CSV)
    for path in (f"/api/v1/files/{f['id']}", f"/api/v1/jobs/{job['id']}"):
        assert_error(other_admin.get(path), 404, "NOT_FOUND")
    assert_error(other_admin.post(f"/api/v1/jobs/{job['id']}/cancel"), 404, "NOT_FOUND")
    assert_error(other_admin.get(f"/api/v1/projects/{project}/files"), 404, "NOT_FOUND")
    assert_error(other_admin.get(f"/api/v1/projects/{project}/datasets"), 404, "NOT_FOUND")
    for bad in (str(uuid.uuid4()), "nope"):
        assert_error(admin.get(f"/api/v1/files/{bad}"), 404, "NOT_FOUND")
        assert_error(admin.get(f"/api/v1/jobs/{bad}"), 404, "NOT_FOUND")
        assert_error(admin.post(f"/api/v1/jobs/{bad}/cancel"), 404, "NOT_FOUND")
    assert admin.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "succeeded"
    assert admin.get(f"/api/v1/files/{f['id']}").json()["status"] == "ready"


def test_cancel_of_a_finished_job_leaves_it_finished(admin):
    project = new_project(admin)
    body, job, f = ingest_path(admin, project, COMMA_CSV)
    r = admin.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert r.status_code == 202, r.text
    got = r.json()
    got = got.get("job", got)
    assert got["id"] == job["id"] and got["status"] == "succeeded", got
    assert admin.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "succeeded"
    assert dataset(admin, job["result"]["dataset_ids"][0])["row_count"] == 20


def test_cancel_while_running(admin):
    """Cancel right after the upload of a few MB: the job ends canceled (then the file is
    not ready and no dataset was made) or, if it won the race, succeeded."""
    project = new_project(admin)
    data = b"id,name,value\n" + b"".join(b"%d,name %d,%d.5\n" % (i, i % 97, i) for i in range(300000))
    body = start_upload(admin, project, "cancel.csv", data)
    r = admin.post(f"/api/v1/jobs/{body['job']['id']}/cancel")
    assert r.status_code == 202, r.text
    job = wait_job(admin, body["job"]["id"])
    assert job["status"] in ("canceled", "succeeded"), job
    f = admin.get(f"/api/v1/files/{body['file']['id']}").json()
    datasets = admin.get(f"/api/v1/projects/{project}/datasets").json()
    if job["status"] == "canceled":
        assert f["status"] != "ready" and f["dataset_ids"] == [], f
        assert datasets["total"] == 0, datasets
        assert job["finished_at"], job
    else:
        assert datasets["total"] == 1


def test_failed_job_has_a_readable_error_and_the_file_is_error(admin):
    project = new_project(admin)
    body, job, f = ingest(admin, project, "garbage.csv", bytes(range(256)) * 16, expect="failed")
    readable_error(job["error"])
    assert job["result"] in (None, {}) or not job["result"].get("dataset_ids"), job
    assert f["status"] == "error", f
    readable_error(f["error_message"])
    assert job["error_code"] == f["error_code"] == "UNSUPPORTED_FORMAT", (job, f)
    assert f["dataset_ids"] == []
    assert admin.get(f"/api/v1/projects/{project}/datasets").json()["total"] == 0


def test_cancel_of_a_queued_ingest_leaves_the_file_in_a_final_state():
    """With no worker to run it, the ingest stays queued; canceling it ends the job and
    marks its file, so nothing is left 'uploaded' forever."""
    s = Server(extra_args=["--workers", "0"])
    try:
        client = Client(s.url, register(s.url))
        project = new_project(client)
        r = client.session.post(f"{client.base}/api/v1/projects/{project}/uploads", headers=client.headers(),
                                files={"file": ("q.csv", b"a,b\n1,2\n", "text/csv")}, timeout=30)
        assert r.status_code == 202, r.text
        job_id, file_id = r.json()["job"]["id"], r.json()["file"]["id"]
        assert client.get(f"/api/v1/jobs/{job_id}").json()["status"] == "queued"
        assert client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 202
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        assert job["status"] == "canceled" and job["error_code"] == "CANCELED", job
        f = client.get(f"/api/v1/files/{file_id}").json()
        assert f["status"] == "error" and f["error_code"] == "CANCELED", f
        readable_error(f["error_message"])
    finally:
        s.stop()


# ---------------------------------------------------------------------------------------
# WebSocket job updates
# ---------------------------------------------------------------------------------------

def ws_url(base, query=""):
    return "ws://" + base.split("://", 1)[1] + "/api/v1/ws" + query


def ws_follow(conn, job_id, timeout=JOB_TIMEOUT):
    """Subscribes and collects job messages until a terminal one."""
    conn.send(json.dumps({"subscribe": f"job:{job_id}"}))
    messages = []
    deadline = time.time() + timeout
    conn.settimeout(10)
    while time.time() < deadline:
        msg = json.loads(conn.recv())
        messages.append(msg)
        job = msg.get("job", msg) if isinstance(msg, dict) else msg
        assert "error" not in msg or job.get("id"), f"error message: {msg}"
        if job.get("id") == job_id and job.get("status") in TERMINAL:
            return messages
    raise AssertionError(f"no terminal job over the WebSocket in {timeout} s: {messages}")


def _job_of(msg):
    return msg.get("job", msg)


@pytest.mark.parametrize("how", ["header", "query", "cookie"])
def test_websocket_job_updates(server, how):
    websocket = pytest.importorskip("websocket")
    email = f"ws-{uuid.uuid4().hex[:8]}@example.com"
    client = Client(server.url, register(server.url, email=email))
    project = new_project(client)
    data = b"id,name,value\n" + b"".join(b"%d,name %d,%d.5\n" % (i, i % 97, i) for i in range(100000))
    body = start_upload(client, project, "ws.csv", data)
    job_id = body["job"]["id"]
    if how == "header":
        conn = websocket.create_connection(ws_url(server.url), header=[f"Authorization: Bearer {client.token}"],
                                           timeout=10)
    elif how == "query":
        conn = websocket.create_connection(ws_url(server.url, "?access_token=" + client.token), timeout=10)
    else:
        s = login_session(server.url, email)
        conn = websocket.create_connection(ws_url(server.url), cookie=f"dm_access={s.cookies['dm_access']}",
                                           timeout=10)
    try:
        messages = ws_follow(conn, job_id)
    finally:
        conn.close()
    jobs = [_job_of(m) for m in messages]
    assert all(j["id"] == job_id for j in jobs), messages
    order = {"queued": 0, "running": 1, "succeeded": 2, "failed": 2, "canceled": 2}
    ranks = [order[j["status"]] for j in jobs]
    assert ranks == sorted(ranks), f"job states went backwards: {[j['status'] for j in jobs]}"
    progress = [j["progress"] for j in jobs]
    assert progress == sorted(progress), f"progress went backwards: {progress}"
    final = jobs[-1]
    assert final["status"] == "succeeded", final
    polled = client.get(f"/api/v1/jobs/{job_id}").json()
    assert final["result"] == polled["result"] and final["finished_at"] == polled["finished_at"]


def test_websocket_subscription_to_a_finished_job_sends_it_at_once(admin):
    websocket = pytest.importorskip("websocket")
    project = new_project(admin)
    body, job, f = ingest_path(admin, project, COMMA_CSV)
    conn = websocket.create_connection(ws_url(admin.base), header=[f"Authorization: Bearer {admin.token}"],
                                       timeout=10)
    try:
        messages = ws_follow(conn, job["id"], timeout=10)
    finally:
        conn.close()
    assert _job_of(messages[0])["status"] == "succeeded" and len(messages) == 1, messages


def test_websocket_other_tenants_job_and_unauthenticated(admin, other_admin):
    websocket = pytest.importorskip("websocket")
    project = new_project(admin)
    body, job, f = ingest_path(admin, project, COMMA_CSV)
    conn = websocket.create_connection(ws_url(other_admin.base),
                                       header=[f"Authorization: Bearer {other_admin.token}"], timeout=10)
    try:
        for target in (job["id"], str(uuid.uuid4())):
            conn.send(json.dumps({"subscribe": f"job:{target}"}))
            msg = json.loads(conn.recv())
            assert set(msg) == {"error"} and msg["error"]["code"] == "NOT_FOUND", msg
            assert job["id"] not in json.dumps(msg) or "result" not in json.dumps(msg)
        # Garbage keeps the connection usable or closes it; it never crashes the server.
        conn.send("this is not json")
        conn.settimeout(2)
        try:
            conn.recv()
        except Exception:  # noqa: BLE001 - a close is acceptable
            pass
    finally:
        conn.close()
    for kwargs in ({}, {"header": ["Authorization: Bearer not-a-token"]}):
        with pytest.raises(websocket.WebSocketBadStatusException) as e:
            websocket.create_connection(ws_url(admin.base), timeout=10, **kwargs)
        assert e.value.status_code == 401
    with pytest.raises(websocket.WebSocketBadStatusException) as e:
        websocket.create_connection(ws_url(admin.base, "?access_token=garbage"), timeout=10)
    assert e.value.status_code == 401


# ---------------------------------------------------------------------------------------
# tus 1.0
# ---------------------------------------------------------------------------------------

def b64(s):
    return base64.b64encode(s.encode()).decode()


def tus_headers(client=None, **extra):
    h = {"Tus-Resumable": "1.0.0"}
    if client is not None:
        h["Authorization"] = f"Bearer {client.token}"
    h.update(extra)
    return h


def tus_create(client, project_id, length, filename="tus.csv"):
    return requests.post(client.base + "/api/v1/tus", timeout=30, headers=tus_headers(
        client, **{"Upload-Length": str(length),
                   "Upload-Metadata": f"filename {b64(filename)},project_id {b64(project_id)}"}))


def tus_location(resp):
    loc = resp.headers.get("Location", "")
    path = urllib.parse.urlparse(loc).path
    assert re.fullmatch(r"/api/v1/tus/[A-Za-z0-9_-]+", path), f"Location {loc!r}"
    return path


def tus_patch(client, path, offset, chunk, **extra):
    h = tus_headers(client, **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
    h.update(extra)
    return requests.patch(client.base + path, data=chunk, headers=h, timeout=60)


def test_tus_options(admin):
    r = requests.options(admin.base + "/api/v1/tus", headers=tus_headers(admin), timeout=30)
    assert r.status_code == 204, r.text
    assert r.headers.get("Tus-Resumable") == "1.0.0"
    assert "1.0.0" in [v.strip() for v in r.headers.get("Tus-Version", "").split(",")]
    ext = {v.strip() for v in r.headers.get("Tus-Extension", "").split(",")}
    assert {"creation", "termination", "expiration"} <= ext, r.headers
    assert int(r.headers["Tus-Max-Size"]) > 0


def test_tus_full_upload(admin):
    project = new_project(admin)
    data = read_bytes(COMMA_CSV)
    r = tus_create(admin, project, len(data), "people.csv")
    assert r.status_code == 201, r.text
    assert r.headers.get("Tus-Resumable") == "1.0.0"
    path = tus_location(r)
    expires = email.utils.parsedate_to_datetime(r.headers["Upload-Expires"])
    assert expires > datetime.datetime.now(datetime.timezone.utc), r.headers["Upload-Expires"]
    h = requests.head(admin.base + path, headers=tus_headers(admin), timeout=30)
    assert h.status_code == 200
    assert h.headers["Upload-Offset"] == "0" and h.headers["Upload-Length"] == str(len(data))
    assert h.headers.get("Tus-Resumable") == "1.0.0"
    # Protocol errors do not move the offset.
    assert tus_patch(admin, path, 5, data[:10]).status_code == 409
    assert tus_patch(admin, path, 0, data[:10], **{"Content-Type": "text/csv"}).status_code == 415
    h = {"Authorization": f"Bearer {admin.token}", "Upload-Offset": "0",
         "Content-Type": "application/offset+octet-stream"}
    assert requests.patch(admin.base + path, data=data[:10], headers=h, timeout=30).status_code == 412
    assert requests.head(admin.base + path, headers=tus_headers(admin), timeout=30).headers["Upload-Offset"] == "0"
    # Three chunks.
    cut1, cut2 = 100, 400
    r = tus_patch(admin, path, 0, data[:cut1])
    assert r.status_code == 204, r.text
    assert r.headers["Upload-Offset"] == str(cut1)
    assert "X-File-Id" not in r.headers
    r = tus_patch(admin, path, cut1, data[cut1:cut2])
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(cut2)
    assert requests.head(admin.base + path, headers=tus_headers(admin), timeout=30).headers["Upload-Offset"] == str(cut2)
    r = tus_patch(admin, path, cut2, data[cut2:])
    assert r.status_code == 204, r.text
    assert r.headers["Upload-Offset"] == str(len(data))
    file_id, job_id = r.headers.get("X-File-Id"), r.headers.get("X-Job-Id")
    assert file_id and job_id, f"final PATCH lacks X-File-Id/X-Job-Id: {dict(r.headers)}"
    job = wait_job(admin, job_id)
    assert job["status"] == "succeeded", job
    assert job["result"]["file_id"] == file_id
    f = admin.get(f"/api/v1/files/{file_id}").json()
    assert f["original_filename"] == "people.csv" and f["size_bytes"] == len(data) and f["project_id"] == project
    assert f["detected_format"] == "csv" and f["status"] == "ready"
    d = dataset(admin, job["result"]["dataset_ids"][0])
    assert d["row_count"] == 20 and d["name"] == "people"
    assert admin.get(f"/api/v1/projects/{project}/files").json()["total"] == 1


def test_tus_termination_and_isolation(admin, other_admin):
    project = new_project(admin)
    r = tus_create(admin, project, 1000)
    assert r.status_code == 201, r.text
    path = tus_location(r)
    assert tus_patch(admin, path, 0, b"a,b\n1,2\n").status_code == 204
    # Another organization cannot see, extend or end it.
    assert requests.head(other_admin.base + path, headers=tus_headers(other_admin), timeout=30).status_code == 404
    assert tus_patch(other_admin, path, 8, b"3,4\n").status_code == 404
    assert requests.delete(other_admin.base + path, headers=tus_headers(other_admin), timeout=30).status_code == 404
    assert requests.head(admin.base + path, headers=tus_headers(admin), timeout=30).headers["Upload-Offset"] == "8"
    # Nor can nobody.
    assert requests.head(admin.base + path, headers=tus_headers(), timeout=30).status_code == 401
    r = requests.delete(admin.base + path, headers=tus_headers(admin), timeout=30)
    assert r.status_code == 204, r.text
    assert requests.head(admin.base + path, headers=tus_headers(admin), timeout=30).status_code == 404
    assert tus_patch(admin, path, 8, b"3,4\n").status_code == 404
    assert admin.get(f"/api/v1/projects/{project}/files").json()["total"] == 0
    # Creation for another tenant's project, an unknown project, or by a viewer.
    theirs = new_project(other_admin)
    assert tus_create(admin, theirs, 10).status_code == 404
    assert tus_create(admin, str(uuid.uuid4()), 10).status_code == 404
    viewer = add_member(admin, "viewer")
    assert tus_create(viewer, project, 10).status_code == 403
    r = requests.post(admin.base + "/api/v1/tus", timeout=30, headers=tus_headers(
        None, **{"Upload-Length": "10", "Upload-Metadata": f"filename {b64('a.csv')},project_id {b64(project)}"}))
    assert r.status_code == 401
    # Missing metadata, missing length, missing Tus-Resumable.
    r = requests.post(admin.base + "/api/v1/tus", headers=tus_headers(admin, **{"Upload-Length": "10"}), timeout=30)
    assert r.status_code in (400, 404), r.text
    r = requests.post(admin.base + "/api/v1/tus", timeout=30, headers=tus_headers(
        admin, **{"Upload-Metadata": f"filename {b64('a.csv')},project_id {b64(project)}"}))
    assert r.status_code == 400, r.text
    r = requests.post(admin.base + "/api/v1/tus", timeout=30, headers={
        "Authorization": f"Bearer {admin.token}", "Upload-Length": "10",
        "Upload-Metadata": f"filename {b64('a.csv')},project_id {b64(project)}"})
    assert r.status_code == 412, r.text


def test_tus_cookie_auth(server):
    email = f"tus-{uuid.uuid4().hex[:8]}@example.com"
    client = Client(server.url, register(server.url, email=email))
    project = new_project(client)
    s = login_session(server.url, email)
    data = b"x,y\n1,2\n3,4\n"
    r = s.post(server.url + "/api/v1/tus", timeout=30, headers=tus_headers(
        None, **{"Upload-Length": str(len(data)),
                 "Upload-Metadata": f"filename {b64('c.csv')},project_id {b64(project)}"}))
    assert r.status_code == 201, r.text
    r = s.patch(server.url + tus_location(r), data=data, timeout=30, headers=tus_headers(
        None, **{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}))
    assert r.status_code == 204, r.text
    job = wait_job(client, r.headers["X-Job-Id"])
    assert job["status"] == "succeeded"
    assert dataset(client, job["result"]["dataset_ids"][0])["row_count"] == 2


def test_tus_upload_length_over_the_limit_is_413(small_server):
    client = Client(small_server.url, register(small_server.url))
    project = new_project(client)
    r = tus_create(client, project, 2 * 1024 * 1024)
    assert r.status_code == 413, r.text
    opts = requests.options(small_server.url + "/api/v1/tus", headers=tus_headers(client), timeout=30)
    assert int(opts.headers["Tus-Max-Size"]) == 1024 * 1024
    # A PATCH that would go past Upload-Length is refused too.
    r = tus_create(client, project, 10)
    assert r.status_code == 201
    path = tus_location(r)
    r = tus_patch(client, path, 0, b"a,b\n1,2\n3,4\n5,6\n")
    assert r.status_code in (400, 409, 413), r.text
    assert small_server.alive()


def _send_head_and_wait(base, path, headers, wait=1.0):
    """Sends only the request head; returns (socket, bytes answered within `wait` s)."""
    u = urllib.parse.urlparse(base)
    sock = socket.create_connection((u.hostname, u.port), timeout=10)
    head = [f"POST {path} HTTP/1.1", f"Host: {u.hostname}:{u.port}"] + [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    sock.settimeout(wait)
    try:
        got = sock.recv(65536)
    except socket.timeout:
        got = b""
    sock.settimeout(10)
    return sock, got


def test_expect_100_continue(small_server):
    """curl (and other clients) send `Expect: 100-continue` before a large body: the server
    answers 100 Continue, or the final status at once (413 when the declared size is over
    the limit), instead of leaving the client to wait for its timeout."""
    client = Client(small_server.url, register(small_server.url))
    project = new_project(client)
    path = f"/api/v1/projects/{project}/uploads"
    data = b"a,b\n1,2\n"
    body, ctype = multipart_body(b"e.csv", data)
    auth = {"Authorization": f"Bearer {client.token}", "Content-Type": ctype, "Expect": "100-continue"}
    sock, got = _send_head_and_wait(small_server.url, path, {**auth, "Content-Length": str(5 * 1024 * 1024)})
    sock.close()
    assert got.startswith(b"HTTP/1.1 413"), f"over-limit upload with Expect: 100-continue answered {got[:200]!r} in 1 s"
    sock, got = _send_head_and_wait(small_server.url, path, {**auth, "Content-Length": str(len(body))})
    try:
        assert got.startswith(b"HTTP/1.1 100"), f"Expect: 100-continue answered {got[:200]!r} within 1 s"
        sock.sendall(body)
        rest = b""
        while b"\r\n\r\n" not in rest.split(b"HTTP/1.1 100", 1)[-1]:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        assert b"HTTP/1.1 202" in got + rest, (got + rest)[:300]
    finally:
        sock.close()


def test_parallel_uploads_from_two_organizations(admin, other_admin):
    """Uploads arriving together all finish, each in its own organization and dataset."""
    import concurrent.futures
    pa, pb = new_project(admin), new_project(other_admin)
    jobs = []

    def one(i):
        client, project = (admin, pa) if i % 2 else (other_admin, pb)
        rows = 1000 + i
        data = b"id,v\n" + b"".join(b"%d,%d\n" % (j, i) for j in range(rows))
        body = start_upload(client, project, f"p{i}.csv", data)
        return client, rows, i, wait_job(client, body["job"]["id"])

    with concurrent.futures.ThreadPoolExecutor(6) as ex:
        jobs = list(ex.map(one, range(8)))
    for client, rows, i, job in jobs:
        assert job["status"] == "succeeded", job
        d = dataset(client, job["result"]["dataset_ids"][0])
        assert d["row_count"] == rows and d["name"] == f"p{i}"
    assert admin.get(f"/api/v1/projects/{pa}/datasets").json()["total"] == 4
    assert other_admin.get(f"/api/v1/projects/{pb}/datasets").json()["total"] == 4


def test_viewer_cannot_cancel_jobs(admin):
    viewer = add_member(admin, "viewer")
    project = new_project(admin)
    body, job, f = ingest_path(admin, project, COMMA_CSV)
    assert_error(viewer.post(f"/api/v1/jobs/{job['id']}/cancel"), 403, "FORBIDDEN")


def test_websocket_with_cookie_from_another_origin_is_refused(server):
    """Cross-site WebSocket hijacking: a page on another origin must not ride the session cookie."""
    websocket = pytest.importorskip("websocket")
    email = f"wso-{uuid.uuid4().hex[:8]}@example.com"
    register(server.url, email=email)
    s = login_session(server.url, email)
    with pytest.raises(websocket.WebSocketBadStatusException) as e:
        conn = websocket.create_connection(ws_url(server.url), cookie=f"dm_access={s.cookies['dm_access']}",
                                           origin="http://evil.example", timeout=10)
        conn.close()
    assert e.value.status_code in (401, 403)
    # The same origin is fine.
    conn = websocket.create_connection(ws_url(server.url), cookie=f"dm_access={s.cookies['dm_access']}",
                                       origin=server.url, timeout=10)
    conn.close()


def test_tus_concurrent_patches_do_not_corrupt(admin):
    """Two PATCHes racing at the same offset: one wins, the other is refused; one file, intact."""
    import concurrent.futures
    project = new_project(admin)
    data = b"id,v\n" + b"".join(b"%d,%d\n" % (i, i * 7) for i in range(200000))
    r = tus_create(admin, project, len(data), "race.csv")
    assert r.status_code == 201, r.text
    path = tus_location(r)
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        results = list(ex.map(lambda _: tus_patch(admin, path, 0, data), range(2)))
    codes = sorted(x.status_code for x in results)
    assert codes[0] == 204 and codes[1] in (409, 423), codes
    done = [x for x in results if x.status_code == 204]
    job = wait_job(admin, done[0].headers["X-Job-Id"])
    assert job["status"] == "succeeded", job
    files = admin.get(f"/api/v1/projects/{project}/files").json()
    assert files["total"] == 1 and files["items"][0]["size_bytes"] == len(data), files
    assert dataset(admin, job["result"]["dataset_ids"][0])["row_count"] == 200000


def test_tus_malformed_headers_are_400(admin):
    project = new_project(admin)
    meta = f"filename {b64('a.csv')},project_id {b64(project)}"
    for headers in ({"Upload-Length": "-5", "Upload-Metadata": meta},
                    {"Upload-Length": "ten", "Upload-Metadata": meta}):
        r = requests.post(admin.base + "/api/v1/tus", headers=tus_headers(admin, **headers), timeout=30)
        assert r.status_code == 400, f"{headers}: {r.status_code} {r.text}"
    r = tus_create(admin, project, 10)
    assert r.status_code == 201
    path = tus_location(r)
    for offset in ("abc", "-1", ""):
        r = tus_patch(admin, path, offset, b"a,b\n")
        assert r.status_code in (400, 409), f"Upload-Offset {offset!r}: {r.status_code} {r.text}"
    assert requests.head(admin.base + path, headers=tus_headers(admin), timeout=30).headers["Upload-Offset"] == "0"
    assert admin.get(f"/api/v1/projects/{project}/files").json()["total"] == 0


def test_cookie_uploads_from_another_origin_are_refused(server):
    """The cookie session's cross-origin guard covers multipart and tus uploads too."""
    email = f"csrf-{uuid.uuid4().hex[:8]}@example.com"
    client = Client(server.url, register(server.url, email=email))
    project = new_project(client)
    s = login_session(server.url, email)
    evil = {"Origin": "http://evil.example"}
    r = s.post(f"{server.url}/api/v1/projects/{project}/uploads", files={"file": ("a.csv", b"a,b\n1,2\n")},
               headers=evil, timeout=30)
    assert_error(r, 403, "FORBIDDEN")
    r = s.post(server.url + "/api/v1/tus", timeout=30, headers=tus_headers(
        None, **evil, **{"Upload-Length": "8", "Upload-Metadata": f"filename {b64('a.csv')},project_id {b64(project)}"}))
    assert r.status_code == 403, r.text
    ok = tus_create(client, project, 8)
    path = tus_location(ok)
    r = s.patch(server.url + path, data=b"a,b\n1,2\n", timeout=30, headers=tus_headers(
        None, **evil, **{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}))
    assert r.status_code == 403, r.text
    r = s.delete(server.url + path, headers=tus_headers(None, **evil), timeout=30)
    assert r.status_code == 403, r.text
    assert requests.head(server.url + path, headers=tus_headers(client), timeout=30).status_code == 200
    assert client.get(f"/api/v1/projects/{project}/files").json()["total"] == 0


def read_http_response(sock):
    """Reads one Content-Length response from a keep-alive socket: (status, body bytes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before the response head: {data!r}"
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed mid-body"
        rest += chunk
    return int(lines[0].split()[1]), rest[:length]


@pytest.mark.parametrize("piece", [7 * 1024, 300 * 1024])
def test_trickled_upload_completes_and_the_connection_serves_the_next_request(admin, piece):
    """The body is read straight from the socket in large pieces (SO_RCVLOWAT): a client
    sending small pieces with pauses must still be served promptly, byte for byte, and the
    same keep-alive connection must then answer its next request."""
    project = admin.post("/api/v1/projects", {"name": "trickle"}).json()["id"]
    rows = "".join(f"{i},{'x' * (i % 50)}\n" for i in range(20000))
    b = "----trickle"
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\nn,s\n{rows}\r\n--{b}--\r\n").encode()
    u = urllib.parse.urlparse(admin.base)
    sock = socket.create_connection((u.hostname, u.port), timeout=30)
    try:
        sock.sendall((f"POST /api/v1/projects/{project}/uploads HTTP/1.1\r\nHost: x\r\n"
                      f"Authorization: Bearer {admin.token}\r\nContent-Type: multipart/form-data; boundary={b}\r\n"
                      f"Content-Length: {len(body)}\r\n\r\n").encode())
        started = time.time()
        for i in range(0, len(body), piece):
            sock.sendall(body[i:i + piece])
            time.sleep(0.01)
        status, payload = read_http_response(sock)
        assert status == 202, payload
        # Less than the sender's own pacing plus a margin: no wait for bytes that never come.
        assert time.time() - started < 0.01 * (len(body) / piece + 1) + 5
        job = json.loads(payload)["job"]
        # The same connection serves the next request (the body was consumed exactly).
        sock.sendall(f"GET /api/v1/jobs/{job['id']} HTTP/1.1\r\nHost: x\r\n"
                     f"Authorization: Bearer {admin.token}\r\n\r\n".encode())
        status, payload = read_http_response(sock)
        assert status == 200, payload
    finally:
        sock.close()
    job = wait_job(admin, job["id"])
    assert job["status"] == "succeeded", job
    dataset = admin.get(f"/api/v1/datasets/{job['result']['dataset_ids'][0]}").json()
    assert dataset["row_count"] == 20000


@pytest.mark.skipif(BACKEND != "postgresql", reason="several nodes share PostgreSQL, not SQLite")
def test_tus_patches_racing_on_two_nodes_do_not_corrupt():
    """Two `serve` processes on one PostgreSQL database and one data directory: PATCHes to
    the same upload at the same offset, one per node, many times over. The upload's row lock
    (FOR UPDATE) serialises them across processes: exactly one wins each race and the
    stored file is byte-identical to what was sent."""
    import concurrent.futures
    db = database_url()
    a = Server(db_url=db)
    b = Server(db_url=db, data_dir=a.data_dir)
    try:
        client_a = Client(a.url, register(a.url))
        client_b = Client(b.url, {"access_token": client_a.token})
        project = new_project(client_a)
        for round_ in range(5):
            data = b"id,v\n" + b"".join(b"%d,%d\n" % (i, i * round_) for i in range(100000))
            half = len(data) // 2
            r = tus_create(client_a, project, len(data), f"race{round_}.csv")
            assert r.status_code == 201, r.text
            path = tus_location(r)
            with concurrent.futures.ThreadPoolExecutor(2) as ex:
                first = list(ex.map(lambda c: tus_patch(c, path, 0, data[:half]), (client_a, client_b)))
            assert sorted(x.status_code for x in first)[0] == 204, [x.status_code for x in first]
            assert sorted(x.status_code for x in first)[1] in (409, 423), [x.text for x in first]
            with concurrent.futures.ThreadPoolExecutor(2) as ex:
                second = list(ex.map(lambda c: tus_patch(c, path, half, data[half:]), (client_b, client_a)))
            done = [x for x in second if x.status_code == 204]
            assert len(done) == 1, [(x.status_code, x.text) for x in second]
            job = wait_job(client_a, done[0].headers["X-Job-Id"])
            assert job["status"] == "succeeded", job
            f = client_a.get(f"/api/v1/files/{job['result']['file_id']}").json()
            assert f["size_bytes"] == len(data), f
            assert dataset(client_a, job["result"]["dataset_ids"][0])["row_count"] == 100000
    finally:
        b.stop()
        a.stop()


@pytest.mark.skipif(BACKEND != "postgresql", reason="several nodes share PostgreSQL, not SQLite")
def test_websocket_on_one_node_follows_a_job_run_by_another():
    """Node A serves the API with no workers; node B only runs jobs. A WebSocket client on
    A still sees the job B runs go to 'succeeded' (LISTEN/NOTIFY relays B's changes)."""
    websocket = pytest.importorskip("websocket")
    db = database_url()
    a = Server(db_url=db, extra_args=["--workers", "0"])
    b = None
    try:
        client = Client(a.url, register(a.url))
        project = new_project(client)
        data = b"id,name,value\n" + b"".join(b"%d,name %d,%d.5\n" % (i, i % 97, i) for i in range(100000))
        job_id = start_upload(client, project, "relay.csv", data)["job"]["id"]
        conn = websocket.create_connection(ws_url(a.url), header=[f"Authorization: Bearer {client.token}"],
                                           timeout=30)
        try:
            conn.send(json.dumps({"subscribe": f"job:{job_id}"}))
            first = _job_of(json.loads(conn.recv()))
            assert first["status"] == "queued", first  # nobody runs it yet
            b = Server(db_url=db, data_dir=a.data_dir)  # the worker node arrives
            seen = []
            while not seen or seen[-1]["status"] not in ("succeeded", "failed", "canceled"):
                seen.append(_job_of(json.loads(conn.recv())))
        finally:
            conn.close()
        assert seen[-1]["status"] == "succeeded", seen[-1]
    finally:
        if b:
            b.stop()
        a.stop()
