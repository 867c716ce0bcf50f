"""Black-box API tests: each test talks HTTP to the real `datamorph serve` binary on a
free loopback port with a temporary data directory. DM_BACKEND selects the metadata
backend (sqlite, or postgresql with DM_PG_DIR naming the server scripts/pg.sh started)."""
import os
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("DM_BINARY", os.path.join(ROOT, "build", "datamorph"))
BACKEND = os.environ.get("DM_BACKEND", "sqlite")
PASSWORD = "correct-horse-battery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    if BACKEND != "postgresql":
        return None
    name = "dm_" + uuid.uuid4().hex[:12]
    out = subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "createdb", os.environ["DM_PG_DIR"], name],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


class Server:
    """A running datamorph process."""

    def __init__(self, extra_args=(), env=None, web_dir=None, data_dir=None, db_url=None):
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="dm-api-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [BINARY, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", self.data_dir,
                "--log-level", "warn"]
        db = db_url or database_url()
        if db:
            args += ["--database-url", db]
        if web_dir:
            args += ["--web-dir", web_dir]
        args += list(extra_args)
        full_env = dict(os.environ)
        full_env.pop("DATAMORPH_WEB_DIR", None)
        full_env.update(env or {})
        self.log = open(os.path.join(self.data_dir, "server.log"), "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early: {self.read_log()}")
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not become healthy in 30 s")

    def read_log(self):
        self.log.flush()
        with open(os.path.join(self.data_dir, "server.log")) as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None and requests.get(self.url + "/health", timeout=5).status_code == 200

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class Client:
    """A signed-in API client (Bearer token) with helpers."""

    def __init__(self, base, auth):
        self.base = base
        self.auth = auth
        self.token = auth["access_token"]
        self.session = requests.Session()

    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path, **kw):
        return self.session.get(self.base + path, headers=self.headers(), timeout=30, **kw)

    def post(self, path, json=None, **kw):
        return self.session.post(self.base + path, json=json, headers=self.headers(), timeout=30, **kw)

    def patch(self, path, json=None, **kw):
        return self.session.patch(self.base + path, json=json, headers=self.headers(), timeout=30, **kw)

    def delete(self, path, **kw):
        return self.session.delete(self.base + path, headers=self.headers(), timeout=30, **kw)


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


def register(base, email=None, org="Acme", password=PASSWORD, full_name="Ada Lovelace"):
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    r = requests.post(base + "/api/v1/auth/register",
                      json={"email": email, "password": password, "full_name": full_name,
                            "organization_name": org}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def admin(server):
    return Client(server.url, register(server.url))


@pytest.fixture
def other_admin(server):
    return Client(server.url, register(server.url, org="Other Corp"))


def add_member(admin_client, role, password=PASSWORD):
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    r = admin_client.post("/api/v1/organization/members", {"email": email, "role": role, "password": password})
    assert r.status_code == 201, r.text
    login = requests.post(admin_client.base + "/api/v1/auth/login", json={"email": email, "password": password},
                          timeout=30)
    assert login.status_code == 200, login.text
    return Client(admin_client.base, login.json())


def assert_error(resp, status, code):
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text}"
    body = resp.json()
    assert set(body.keys()) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    assert "Traceback" not in resp.text and "/tmp/" not in resp.text and ".cpp" not in resp.text
