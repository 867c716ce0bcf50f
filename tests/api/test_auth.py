"""Register, login, refresh rotation and reuse detection, logout, me, expiry, throttling."""
import time
import uuid

import requests

from conftest import PASSWORD, Client, Server, assert_error, register


def test_register_returns_the_contract_shape_and_sets_cookies(server):
    email = f"Mixed.Case-{uuid.uuid4().hex[:6]}@Example.com"
    r = requests.post(server.url + "/api/v1/auth/register",
                      json={"email": email, "password": PASSWORD, "full_name": "Grace", "organization_name": "Navy"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["user"]["email"] == email.lower()
    assert body["user"]["full_name"] == "Grace"
    assert body["organization"]["name"] == "Navy"
    assert body["role"] == "admin"
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"].count(".") == 2
    assert len(body["refresh_token"]) >= 40
    cookies = r.headers.get("Set-Cookie", "")
    assert "dm_access=" in cookies and "HttpOnly" in cookies and "SameSite" in cookies
    assert "dm_refresh=" in cookies


def test_register_validates_input(server):
    url = server.url + "/api/v1/auth/register"
    assert_error(requests.post(url, json={"email": "not-an-email", "password": PASSWORD}), 422, "VALIDATION_ERROR")
    assert_error(requests.post(url, json={"email": "a@b.co", "password": "short"}), 422, "VALIDATION_ERROR")
    assert_error(requests.post(url, json={"password": PASSWORD}), 422, "VALIDATION_ERROR")
    assert_error(requests.post(url, json={"email": 5, "password": PASSWORD}), 422, "VALIDATION_ERROR")
    r = requests.post(url, json={"email": "x@y.io", "password": PASSWORD, "is_admin": True})
    assert_error(r, 422, "VALIDATION_ERROR")
    assert r.json()["error"]["details"]["field"] == "is_admin"


def test_register_rejects_a_taken_email_case_insensitively(server):
    email = f"taken-{uuid.uuid4().hex[:6]}@example.com"
    register(server.url, email=email)
    r = requests.post(server.url + "/api/v1/auth/register", json={"email": email.upper(), "password": PASSWORD})
    assert_error(r, 409, "CONFLICT")


def test_login_and_me(server):
    reg = register(server.url, org="Login Org")
    r = requests.post(server.url + "/api/v1/auth/login", json={"email": reg["user"]["email"], "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["id"] == reg["user"]["id"]
    assert body["organization"]["id"] == reg["organization"]["id"]
    me = Client(server.url, body).get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["role"] == "admin"
    assert "org:manage" in me.json()["permissions"]
    assert me.json()["organization"]["name"] == "Login Org"


def test_login_failures_share_one_message(server):
    reg = register(server.url)
    wrong = requests.post(server.url + "/api/v1/auth/login",
                          json={"email": reg["user"]["email"], "password": "wrong-password"})
    unknown = requests.post(server.url + "/api/v1/auth/login",
                            json={"email": f"nobody-{uuid.uuid4().hex}@example.com", "password": "wrong-password"})
    assert_error(wrong, 401, "UNAUTHENTICATED")
    assert_error(unknown, 401, "UNAUTHENTICATED")
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]


def test_cookie_session_works_for_browsers(server):
    reg = register(server.url)
    s = requests.Session()
    r = s.post(server.url + "/api/v1/auth/login", json={"email": reg["user"]["email"], "password": PASSWORD})
    assert r.status_code == 200
    assert s.get(server.url + "/api/v1/auth/me").status_code == 200
    # A cookie-authenticated write from a foreign origin is refused.
    bad = s.post(server.url + "/api/v1/projects", json={"name": "x"}, headers={"Origin": "http://evil.example"})
    assert_error(bad, 403, "FORBIDDEN")


def test_refresh_rotates_and_reuse_revokes_the_family(server):
    reg = register(server.url)
    first = reg["refresh_token"]
    r1 = requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": first})
    assert r1.status_code == 200, r1.text
    second = r1.json()["refresh_token"]
    assert second != first
    assert Client(server.url, r1.json()).get("/api/v1/auth/me").status_code == 200
    # The old token no longer works...
    assert_error(requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": first}),
                 401, "UNAUTHENTICATED")
    # ...and its reuse revoked the whole family, including the newest token.
    assert_error(requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": second}),
                 401, "UNAUTHENTICATED")


def test_refresh_via_cookie(server):
    reg = register(server.url)
    s = requests.Session()
    s.post(server.url + "/api/v1/auth/login", json={"email": reg["user"]["email"], "password": PASSWORD})
    r = s.post(server.url + "/api/v1/auth/refresh")
    assert r.status_code == 200, r.text
    assert s.get(server.url + "/api/v1/auth/me").status_code == 200


def test_refresh_rejects_garbage(server):
    for body in ({"refresh_token": "nope"}, {"refresh_token": ""}, {}):
        assert_error(requests.post(server.url + "/api/v1/auth/refresh", json=body), 401, "UNAUTHENTICATED")


def test_logout_revokes_the_refresh_token(server):
    reg = register(server.url)
    r = requests.post(server.url + "/api/v1/auth/logout", json={"refresh_token": reg["refresh_token"]})
    assert r.status_code == 204
    assert_error(requests.post(server.url + "/api/v1/auth/refresh", json={"refresh_token": reg["refresh_token"]}),
                 401, "UNAUTHENTICATED")


def test_missing_and_bad_tokens(server):
    assert_error(requests.get(server.url + "/api/v1/auth/me"), 401, "UNAUTHENTICATED")
    assert_error(requests.get(server.url + "/api/v1/auth/me", headers={"Authorization": "Bearer abc.def.ghi"}),
                 401, "UNAUTHENTICATED")
    reg = register(server.url)
    head, payload, sig = reg["access_token"].split(".")
    tampered = ".".join([head, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"), sig])
    assert_error(requests.get(server.url + "/api/v1/auth/me", headers={"Authorization": f"Bearer {tampered}"}),
                 401, "UNAUTHENTICATED")


def test_access_tokens_expire_and_refresh_restores_access():
    s = Server(extra_args=["--access-token-ttl", "2"])
    try:
        reg = register(s.url)
        c = Client(s.url, reg)
        assert c.get("/api/v1/auth/me").status_code == 200
        time.sleep(3.2)
        assert_error(c.get("/api/v1/auth/me"), 401, "UNAUTHENTICATED")
        r = requests.post(s.url + "/api/v1/auth/refresh", json={"refresh_token": reg["refresh_token"]})
        assert r.status_code == 200
        assert Client(s.url, r.json()).get("/api/v1/auth/me").status_code == 200
    finally:
        s.stop()


def test_login_is_throttled_per_email_and_ip(server):
    reg = register(server.url)
    email = reg["user"]["email"]
    statuses = []
    for _ in range(6):
        r = requests.post(server.url + "/api/v1/auth/login", json={"email": email, "password": "bad-password"})
        statuses.append(r.status_code)
    assert statuses[:4] == [401, 401, 401, 401], statuses
    assert statuses[4] == 429 and statuses[5] == 429, statuses
    r = requests.post(server.url + "/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert_error(r, 429, "RATE_LIMITED")
    assert int(r.headers["Retry-After"]) > 0
    # Another account from the same address is not affected.
    other = register(server.url)
    ok = requests.post(server.url + "/api/v1/auth/login", json={"email": other["user"]["email"], "password": PASSWORD})
    assert ok.status_code == 200


def test_concurrent_registrations_all_succeed(server):
    """Write transactions under contention wait for the lock instead of failing (SQLite
    BEGIN IMMEDIATE; a deferred BEGIN fails at once with SQLITE_BUSY_SNAPSHOT)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(i):
        r = requests.post(server.url + "/api/v1/auth/register",
                          json={"email": f"burst-{i}-{uuid.uuid4().hex[:6]}@example.com", "password": PASSWORD},
                          timeout=60)
        return r.status_code, r.text

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(32)))
    failures = [r for r in results if r[0] != 201]
    assert not failures, failures[:3]
