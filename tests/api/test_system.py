"""Health, OpenAPI, routing errors, hostile input, static files, CLI, graceful shutdown."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

import requests

from conftest import BINARY, PASSWORD, Client, Server, assert_error, register


def test_health(server):
    r = requests.get(server.url + "/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "healthy" and body["database"] == "connected" and body["storage"] == "available"
    assert body["version"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Request-Id"]


def test_health_reports_unwritable_storage():
    s = Server()
    try:
        os.chmod(s.data_dir, 0o500)
        if os.geteuid() == 0:
            # root bypasses permission bits; remove the directory's write ability another way
            os.chmod(s.data_dir, 0o700)
            return
        r = requests.get(s.url + "/health")
        assert r.status_code == 503 and r.json()["storage"] == "unavailable"
    finally:
        os.chmod(s.data_dir, 0o700)
        s.stop()


def test_openapi_document(server):
    r = requests.get(server.url + "/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    for path in ("/health", "/api/v1/auth/register", "/api/v1/projects/{id}", "/api/v1/organization/members"):
        assert path in doc["paths"], path


def test_request_id_is_echoed(server):
    r = requests.get(server.url + "/health", headers={"X-Request-Id": "abc-123"})
    assert r.headers["X-Request-Id"] == "abc-123"
    r = requests.get(server.url + "/health", headers={"X-Request-Id": "bad id\u00e9"})
    assert r.headers["X-Request-Id"] != "bad id"


def test_unknown_route_and_wrong_method(server):
    assert_error(requests.get(server.url + "/api/v1/nothing-here"), 404, "NOT_FOUND")
    r = requests.put(server.url + "/api/v1/projects")
    assert_error(r, 405, "METHOD_NOT_ALLOWED")
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]


def test_hostile_json(server, admin):
    url = server.url + "/api/v1/projects"
    h = {**admin.headers(), "Content-Type": "application/json"}
    assert_error(requests.post(url, data="{not json", headers=h), 400, "VALIDATION_ERROR")
    assert_error(requests.post(url, data="[1,2,3]", headers=h), 400, "VALIDATION_ERROR")
    assert_error(requests.post(url, data="", headers=h), 400, "VALIDATION_ERROR")
    assert_error(requests.post(url, data="[" * 30000 + "]" * 30000, headers=h), 400, "VALIDATION_ERROR")
    assert_error(requests.post(url, data=json.dumps({"name": "x" * (2 << 20)}), headers=h), 413, "PAYLOAD_TOO_LARGE")
    assert_error(requests.post(url, data="name=x", headers={**admin.headers(),
                                                             "Content-Type": "application/x-www-form-urlencoded"}),
                 415, "UNSUPPORTED_FORMAT")
    assert_error(requests.post(url, data=b"\xff\xfe\x00garbage", headers=h), 400, "VALIDATION_ERROR")
    assert server.alive()


def test_overlong_headers_and_garbage_requests(server):
    r = requests.get(server.url + "/health", headers={"X-Big": "a" * 20000})
    assert r.status_code == 431
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(b"\x16\x03\x01garbage that is not http\r\n\r\n")
        s.settimeout(5)
        data = s.recv(4096)
        assert data.startswith(b"HTTP/1.1 400")
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(b"GET /api/v1/projects/%zz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        assert s.recv(4096).split(b"\r\n")[0] in (b"HTTP/1.1 400 Bad Request", b"HTTP/1.1 404 Not Found")
    assert server.alive()


def test_static_files_and_traversal():
    web = tempfile.mkdtemp(prefix="dm-web-")
    os.makedirs(os.path.join(web, "assets"))
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>DataMorph</title>")
    with open(os.path.join(web, "assets", "app-123.js"), "w") as f:
        f.write("console.log(1)")
    secret_dir = os.path.dirname(web)
    with open(os.path.join(secret_dir, "secret.txt"), "w") as f:
        f.write("TOP SECRET")
    os.symlink(os.path.join(secret_dir, "secret.txt"), os.path.join(web, "assets", "link.js"))
    s = Server(web_dir=web)
    try:
        r = requests.get(s.url + "/")
        assert r.status_code == 200 and "DataMorph" in r.text and r.headers["Content-Type"].startswith("text/html")
        assert "Content-Security-Policy" in r.headers
        r = requests.get(s.url + "/assets/app-123.js")
        assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"]
        # A precompressed sibling is sent to clients that accept gzip, and only to them.
        import gzip
        big = "console.log('x');\n" * 2000
        with open(os.path.join(web, "assets", "big-1.js"), "w") as f:
            f.write(big)
        with gzip.open(os.path.join(web, "assets", "big-1.js.gz"), "wt") as f:
            f.write(big)
        r = requests.get(s.url + "/assets/big-1.js", headers={"Accept-Encoding": "gzip"})
        assert r.headers.get("Content-Encoding") == "gzip" and r.text == big  # requests inflates it
        assert int(r.headers["Content-Length"]) < len(big) / 10 and "Accept-Encoding" in r.headers["Vary"]
        assert r.headers["Content-Type"].startswith("text/javascript") or "javascript" in r.headers["Content-Type"]
        for refused in ("identity", "gzip;q=0", "br"):
            r = requests.get(s.url + "/assets/big-1.js", headers={"Accept-Encoding": refused})
            assert "Content-Encoding" not in r.headers and r.text == big, refused
        assert requests.get(s.url + "/projects/123/datasets").text.startswith("<!doctype html>")  # SPA fallback
        # A client-side route's page names the first screen's API requests (as boot.js makes
        # them) in a Link preload header; nothing from a hostile path reaches a header.
        preload = "; rel=preload; as=fetch; crossorigin"
        expected_links = {
            "/datasets/0a1b-2c": ["/api/v1/auth/me", "/api/v1/datasets/0a1b-2c",
                                  "/api/v1/datasets/0a1b-2c/rows?offset=0&limit=200"],
            "/datasets/0a1b-2c/profile": ["/api/v1/auth/me", "/api/v1/datasets/0a1b-2c"],
            "/projects": ["/api/v1/auth/me", "/api/v1/projects"],
            "/": ["/api/v1/auth/me", "/api/v1/projects"],
            "/projects/p-1": ["/api/v1/auth/me", "/api/v1/projects/p-1"],
            "/datasets/a%0d%0aSet-Cookie:%20x=1": ["/api/v1/auth/me"],
            "/datasets/a%3E%3Bb": ["/api/v1/auth/me"],
        }
        for path, urls in expected_links.items():
            r = requests.get(s.url + path)
            assert r.status_code == 200 and r.text.startswith("<!doctype html>"), path
            assert r.headers.get("Link") == ", ".join(f"<{u}>{preload}" for u in urls), (path, r.headers.get("Link"))
            assert "x=1" not in r.headers.get("Set-Cookie", ""), path
        for path in ("/sign-in", "/register", "/assets/app-123.js"):
            assert "Link" not in requests.get(s.url + path).headers, path
        assert requests.get(s.url + "/assets/missing.js").status_code == 404
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/assets/link.js",
                     "/..%5csecret.txt"):
            with socket.create_connection(("127.0.0.1", s.port)) as sock:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                sock.settimeout(5)
                data = b""
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                assert b"TOP SECRET" not in data, path
        assert s.alive()
    finally:
        s.stop()


def test_graceful_shutdown_finishes_in_flight_requests():
    s = Server()
    reg = register(s.url)
    body = json.dumps({"name": "finished during shutdown"}).encode()
    sock = socket.create_connection(("127.0.0.1", s.port))
    head = (f"POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {reg['access_token']}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    sock.sendall(head + body[:10])
    time.sleep(0.3)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert s.proc.poll() is None, "server exited with a request in flight"
    sock.sendall(body[10:])
    sock.settimeout(10)
    data = sock.recv(65536)
    assert data.startswith(b"HTTP/1.1 201"), data[:200]
    sock.close()
    assert s.proc.wait(timeout=15) == 0
    s.log.close()


def test_cli_version_migrate_and_user_create():
    out = subprocess.run([BINARY, "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("datamorph ")
    data = tempfile.mkdtemp(prefix="dm-cli-")
    env = dict(os.environ)
    if os.environ.get("DM_BACKEND") == "postgresql":
        from conftest import database_url
        env["DATAMORPH_DATABASE_URL"] = database_url()
    out = subprocess.run([BINARY, "migrate", "--data-dir", data], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([BINARY, "user", "create", "--email", "boot@example.com", "--password", PASSWORD, "--org",
                          "Bootstrap", "--role", "admin", "--data-dir", data], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    again = subprocess.run([BINARY, "user", "create", "--email", "boot@example.com", "--password", PASSWORD, "--org",
                            "Bootstrap", "--data-dir", data], capture_output=True, text=True, env=env)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = subprocess.run([BINARY, "user", "create", "--email", "x@example.com", "--password", PASSWORD, "--org", "B",
                          "--role", "owner", "--data-dir", data], capture_output=True, text=True, env=env)
    assert bad.returncode != 0
    s = Server(data_dir=data, db_url=env.get("DATAMORPH_DATABASE_URL"))
    try:
        r = requests.post(s.url + "/api/v1/auth/login", json={"email": "boot@example.com", "password": PASSWORD})
        assert r.status_code == 200, r.text
        assert r.json()["role"] == "admin" and r.json()["organization"]["name"] == "Bootstrap"
    finally:
        s.stop()
