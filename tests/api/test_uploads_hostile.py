"""Hostile uploads: every file in tests/data/bad/ plus inputs made here (a 10 MB cell,
20,000 columns, JSON nested 100,000 deep, NUL bytes, hostile file names and multipart
bodies).  Each job ends succeeded or failed with a readable error (matching the
.expected.json where there is one), the server stays up, and a dataset made before the
hostile uploads is untouched.

Runs its own server, so a crash here does not take the rest of the suite down with it."""
import glob
import json
import os
import uuid

import pytest

from conftest import Client, Server, register
from test_ingest import (BAD_DIR, COMMA_CSV, all_rows, check_table, corpus, dataset, expectation, ingest_path,
                         multipart_body, new_project, raw_http, read_bytes, readable_error, start_upload, wait_job)

BAD_CORPUS = corpus(BAD_DIR)
MB = 1024 * 1024


@pytest.fixture(scope="module")
def hostile():
    """(server, client, project, baseline dataset id, baseline rows)."""
    s = Server()
    client = Client(s.url, register(s.url, org="Hostile Ltd"))
    project = new_project(client, "Hostile")
    _, job, _ = ingest_path(client, project, COMMA_CSV)
    did = job["result"]["dataset_ids"][0]
    yield s, client, project, did, all_rows(client, did)
    s.stop()


def error_text(job):
    e = job.get("error")
    return e.get("message") if isinstance(e, dict) else e


def check_untouched(hostile_env):
    s, client, project, did, rows = hostile_env
    assert s.alive(), "the server died: " + s.read_log()[-3000:]
    assert all_rows(client, did) == rows
    d = dataset(client, did)
    assert d["row_count"] == len(rows[1]) == 20 and d["version"] == 1


def run_hostile(hostile_env, name, data, exp=None):
    """Uploads one hostile input; returns (job, file).  Checks the invariants."""
    s, client, project, _, _ = hostile_env
    exp = exp or {}
    body = start_upload(client, project, name, data)
    if "format" in exp:
        assert body["file"]["detected_format"] == exp["format"], f"{name}: detected {body['file']['detected_format']!r}"
    job = wait_job(client, body["job"]["id"], timeout=120)
    f = client.get(f"/api/v1/files/{body['file']['id']}").json()
    assert job["status"] in ("succeeded", "failed"), f"{name}: {job}"
    if job["status"] == "failed":
        readable_error(error_text(job))
        readable_error(f["error_message"])
        assert f["status"] == "error", f
        assert f["dataset_ids"] == [], f
    else:
        assert f["status"] == "ready", f
        assert f["dataset_ids"] == job["result"]["dataset_ids"] and f["dataset_ids"], f
    if "error_code" in exp:
        assert job["status"] == "failed", f"{name}: expected failure {exp['error_code']}, got {job}"
        if "message_contains" in exp:
            assert exp["message_contains"].lower() in error_text(job).lower(), (
                f"{name}: error {error_text(job)!r} lacks {exp['message_contains']!r}")
        # The job and its file both carry the envelope code of the failure.
        assert job.get("error_code") == exp["error_code"], f"{name}: job error_code {job.get('error_code')!r}"
        assert f.get("error_code") == exp["error_code"], f"{name}: file error_code {f.get('error_code')!r}"
    if "tables" in exp:
        assert job["status"] == "succeeded", f"{name}: expected tables, got {job}"
        ids = job["result"]["dataset_ids"]
        by_name = {dataset(client, i)["name"]: dataset(client, i) for i in ids}
        assert sorted(by_name) == sorted(t["name"] for t in exp["tables"]), by_name.keys()
        for t in exp["tables"]:
            check_table(client, by_name[t["name"]], t, body["file"]["id"], f"{name}/{t['name']}")
    check_untouched(hostile_env)
    return job, f


@pytest.mark.parametrize("path", BAD_CORPUS, ids=[os.path.basename(p) for p in BAD_CORPUS])
def test_bad_corpus_file(hostile, path):
    run_hostile(hostile, os.path.basename(path), read_bytes(path), expectation(path))


def test_bad_corpus_is_there():
    assert len(BAD_CORPUS) >= 5
    assert all(os.path.exists(p + ".expected.json") for p in BAD_CORPUS)
    # Every file in the directory is either an input or an expectation.
    loose = [p for p in glob.glob(os.path.join(BAD_DIR, "*"))
             if not p.endswith(".expected.json") and p not in BAD_CORPUS]
    assert not loose, loose


def test_ten_megabyte_cell(hostile):
    cell = b"x" * (10 * MB)
    job, f = run_hostile(hostile, "big_cell.csv", b"id,text\n1,\"" + cell + b"\"\n2,short\n")
    if job["status"] == "succeeded":
        s, client, *_ = hostile
        d = dataset(client, f["dataset_ids"][0])
        assert d["row_count"] == 2 and [c["name"] for c in d["columns"]] == ["id", "text"]
        r = client.post(f"/api/v1/datasets/{d['id']}/query", {"sql": "SELECT length(text) AS n FROM data ORDER BY id"})
        assert r.status_code == 200 and r.json()["rows"] == [[10 * MB], [5]], r.text[:300]


def test_twenty_thousand_columns(hostile):
    n = 20000
    header = ",".join(f"c{i}" for i in range(1, n + 1))
    row = ",".join(str(i % 10) for i in range(n))
    job, f = run_hostile(hostile, "wide_20000.csv", (header + "\n" + row + "\n" + row + "\n").encode())
    if job["status"] == "succeeded":
        d = dataset(hostile[1], f["dataset_ids"][0])
        assert d["column_count"] == n and d["row_count"] == 2


def test_twenty_thousand_and_one_columns(hostile):
    n = 20001
    header = ",".join(f"c{i}" for i in range(1, n + 1))
    run_hostile(hostile, "wide_20001.csv", (header + "\n" + ",".join("1" * n) + "\n").encode())


@pytest.mark.parametrize("kind", ["array", "object", "ndjson"])
def test_json_nested_100000_deep(hostile, kind):
    depth = 100000
    if kind == "array":
        data = b"[" * depth + b"]" * depth
    elif kind == "object":
        data = b'{"a":' * depth + b"1" + b"}" * depth
    else:
        data = b'{"id": 1}\n' + b'{"id": 2, "x": ' + b"[" * depth + b"]" * depth + b"}\n"
    run_hostile(hostile, f"deep_{kind}.json", data)


@pytest.mark.parametrize("kind", ["in_cells", "all_nul", "nul_header", "utf16_nul"])
def test_nul_bytes(hostile, kind):
    data = {
        "in_cells": b"id,name\n1,a\x00b\n2,\x00\x00\x00\n3,c\n",
        "all_nul": b"\x00" * 65536,
        "nul_header": b"i\x00d,na\x00me\n1,a\n2,b\n",
        "utf16_nul": "id,name\n1,a\n".encode("utf-16-le"),  # no BOM: NULs everywhere
    }[kind]
    run_hostile(hostile, f"nul_{kind}.csv", data)


LYING = {
    "random.csv": lambda: os.urandom(256 * 1024),
    "fake.parquet": lambda: b"PAR1" + os.urandom(4096) + b"PAR1",
    "fake.xlsx": lambda: b"PK\x03\x04" + os.urandom(4096),
    "fake.pdf": lambda: b"%PDF-1.7\n" + os.urandom(1024),
    "fake.json": lambda: b'{"a": [1, 2, "unterminated',
    "quotes.csv": lambda: b'id,text\n1,"never closed\n2,x\n3,y\n',
    "fake.ndjson": lambda: b'{"a": 1}\n{"a": \n',
    "fake.ods": lambda: b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
                        + os.urandom(2048),
    "fake.xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096),
}


@pytest.mark.parametrize("name", sorted(LYING))
def test_binary_and_lying_content(hostile, name):
    run_hostile(hostile, name, LYING[name]())


def test_hostile_file_names(hostile):
    s, client, project, _, _ = hostile
    mark = uuid.uuid4().hex[:8]
    names = [f"../../evil-{mark}.csv".encode(), f"..\\..\\evil-{mark}.csv".encode(), f"/tmp/evil-{mark}.csv".encode(),
             ("é" * 300 + ".csv").encode(), b"x" * 5000 + b".csv", f"semi;colon'quote-{mark}.csv".encode(),
             "名前 data.csv".encode(), b"%2e%2e%2fevil.csv"]
    url = f"/api/v1/projects/{project}/uploads"
    data = b"a,b\n1,2\n"
    for name in names:
        body, ctype = multipart_body(name, data)
        status, headers, resp = raw_http(s.url, "POST", url, {"Authorization": f"Bearer {client.token}",
                                                              "Content-Type": ctype}, body)
        assert status in (202, 400), f"{name[:60]!r}: {status} {resp[:300]!r}"
        if status == 202:
            up = json.loads(resp)
            job = wait_job(client, up["job"]["id"])
            assert job["status"] == "succeeded", (name[:60], job)
            did = job["result"]["dataset_ids"][0]
            r = client.get(f"/api/v1/datasets/{did}/export?format=csv")
            assert r.status_code == 200
            cd = r.headers.get("Content-Disposition", "")
            assert cd.startswith("attachment") and "\r" not in cd and "\n" not in cd, cd
    # Nothing was written outside the data directory.
    parent = os.path.dirname(s.data_dir.rstrip("/"))
    for root in (parent, os.path.dirname(parent), "/tmp"):
        leaked = glob.glob(os.path.join(root, f"evil-{mark}*"))
        assert not leaked, leaked
    check_untouched(hostile)


def test_hostile_multipart_bodies(hostile):
    s, client, project, _, _ = hostile
    url = f"/api/v1/projects/{project}/uploads"
    auth = {"Authorization": f"Bearer {client.token}"}
    cases = []
    # 10,000 small fields before the file.
    b = "----dmhostile"
    parts = b"".join(f"--{b}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n".encode() for i in range(10000))
    file_part = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n"
                 f"a,b\n1,2\n\r\n--{b}--\r\n").encode()
    cases.append((parts + file_part, f"multipart/form-data; boundary={b}"))
    # Two file parts.
    two = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\n1,2\n\r\n"
           f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.csv\"\r\n\r\nc,d\n3,4\n\r\n"
           f"--{b}--\r\n").encode()
    cases.append((two, f"multipart/form-data; boundary={b}"))
    # No boundary parameter; an absurdly long boundary; a part header of 1 MB.
    cases.append((file_part, "multipart/form-data"))
    long_b = "b" * 5000
    cases.append((file_part.replace(b.encode(), long_b.encode()), f"multipart/form-data; boundary={long_b}"))
    huge_header = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nX-Pad: "
                   + "p" * MB + f"\r\n\r\na,b\n1,2\n\r\n--{b}--\r\n").encode()
    cases.append((huge_header, f"multipart/form-data; boundary={b}"))
    for body, ctype in cases:
        status, _, resp = raw_http(s.url, "POST", url, {**auth, "Content-Type": ctype}, body)
        assert status in (202, 400, 413, 415, 431), f"{ctype[:60]}: {status} {resp[:300]!r}"
        if status == 202:
            job = wait_job(client, json.loads(resp)["job"]["id"])
            assert job["status"] in ("succeeded", "failed"), job
        else:
            err = json.loads(resp)["error"]
            assert err["code"] and err["message"], err
    # A body shorter than its Content-Length, then the client goes away.
    import socket
    import urllib.parse
    u = urllib.parse.urlparse(s.url)
    sock = socket.create_connection((u.hostname, u.port), timeout=10)
    sock.sendall((f"POST {url} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {client.token}\r\n"
                  f"Content-Type: multipart/form-data; boundary={b}\r\nContent-Length: {10 * MB}\r\n\r\n").encode()
                 + file_part[:40])
    sock.close()
    check_untouched(hostile)
    files = client.get(f"/api/v1/projects/{project}/files").json()
    assert all(x["status"] in ("ready", "error") for x in files["items"]), [
        (x["original_filename"][:40], x["status"]) for x in files["items"] if x["status"] not in ("ready", "error")]


def test_memory_stayed_bounded(hostile):
    """After the zip bomb, the billion laughs and friends the server never held gigabytes."""
    s = hostile[0]
    with open(f"/proc/{s.proc.pid}/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    peak_kb = int(status["VmHWM"].split()[0])
    assert peak_kb < 2 * 1024 * 1024, f"peak RSS {peak_kb // 1024} MB"
    check_untouched(hostile)


def _strict_json(text):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_special_floats_give_valid_json(hostile):
    """nan/inf in a float column: every JSON the API sends stays valid JSON (no NaN/Infinity)."""
    s, client, *_ = hostile
    job, f = run_hostile(hostile, "special_floats.csv", b"id,x\n1,1.5\n2,nan\n3,inf\n4,-inf\n5,\n")
    if job["status"] != "succeeded":
        return
    did = f["dataset_ids"][0]
    bad = []
    for method, path, body in (("GET", f"/api/v1/datasets/{did}", None), ("GET", f"/api/v1/datasets/{did}/rows", None),
                               ("GET", f"/api/v1/datasets/{did}/export?format=json", None),
                               ("GET", f"/api/v1/datasets/{did}/export?format=ndjson", None),
                               ("POST", f"/api/v1/datasets/{did}/query", {"sql": "SELECT * FROM data ORDER BY id"})):
        r = client.session.request(method, client.base + path, json=body, headers=client.headers(), timeout=30)
        assert r.status_code == 200, f"{method} {path} -> {r.status_code}: {r.text[:300]}"
        docs = [r.text] if "ndjson" not in path else [x for x in r.text.splitlines() if x.strip()]
        for doc in docs:
            try:
                _strict_json(doc)
            except ValueError as e:
                bad.append(f"{method} {path.replace(did, '{id}')}: {e}: {r.text[:200]!r}")
                break
    assert not bad, "invalid JSON:\n" + "\n".join(bad)
