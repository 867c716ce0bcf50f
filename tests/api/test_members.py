"""Organization members and the audit trail of member, project and auth events."""
import uuid

import requests

from conftest import PASSWORD, Client, add_member, assert_error, register


def test_members_list_add_change_remove(admin):
    listing = admin.get("/api/v1/organization/members").json()
    assert [m["email"] for m in listing["items"]] == [admin.auth["user"]["email"]]
    assert set(listing["items"][0]) >= {"user_id", "email", "full_name", "role"}

    email = f"new-{uuid.uuid4().hex[:6]}@example.com"
    r = admin.post("/api/v1/organization/members", {"email": email, "role": "analyst", "password": PASSWORD})
    assert r.status_code == 201, r.text
    uid = r.json()["user_id"]
    assert r.json()["role"] == "analyst"
    r = admin.patch(f"/api/v1/organization/members/{uid}", {"role": "manager"})
    assert r.status_code == 200 and r.json()["role"] == "manager"
    member = Client(admin.base, requests.post(admin.base + "/api/v1/auth/login",
                                              json={"email": email, "password": PASSWORD}).json())
    assert member.get("/api/v1/auth/me").json()["role"] == "manager"
    assert admin.delete(f"/api/v1/organization/members/{uid}").status_code == 204
    # Removal takes effect at once, even for a still-valid access token.
    assert_error(member.get("/api/v1/auth/me"), 401, "UNAUTHENTICATED")
    assert_error(admin.delete(f"/api/v1/organization/members/{uid}"), 404, "NOT_FOUND")


def test_existing_account_joins_another_organization(admin, server):
    outsider = register(server.url, org="Elsewhere")
    r = admin.post("/api/v1/organization/members", {"email": outsider["user"]["email"], "role": "viewer"})
    assert r.status_code == 201, r.text
    assert_error(admin.post("/api/v1/organization/members", {"email": outsider["user"]["email"], "role": "viewer"}),
                 409, "CONFLICT")


def test_member_validation(admin):
    assert_error(admin.post("/api/v1/organization/members", {"email": "a@b.io", "role": "owner", "password": PASSWORD}),
                 422, "VALIDATION_ERROR")
    assert_error(admin.post("/api/v1/organization/members", {"email": f"{uuid.uuid4().hex}@b.io", "role": "viewer"}),
                 422, "VALIDATION_ERROR")
    assert_error(admin.post("/api/v1/organization/members", {"email": "nope", "role": "viewer", "password": PASSWORD}),
                 422, "VALIDATION_ERROR")


def test_the_last_admin_cannot_leave_or_be_demoted(admin):
    me = admin.auth["user"]["id"]
    assert_error(admin.patch(f"/api/v1/organization/members/{me}", {"role": "viewer"}), 409, "CONFLICT")
    assert_error(admin.delete(f"/api/v1/organization/members/{me}"), 409, "CONFLICT")


def test_audit_log_records_who_did_what(server):
    reg = register(server.url, org="Audited")
    admin = Client(server.url, reg)
    requests.post(server.url + "/api/v1/auth/login", json={"email": reg["user"]["email"], "password": "wrong-pass"},
                  headers={"User-Agent": "audit-test/1.0"})
    requests.post(server.url + "/api/v1/auth/login", json={"email": reg["user"]["email"], "password": PASSWORD})
    p = admin.post("/api/v1/projects", {"name": "Audit me"}).json()
    admin.patch(f"/api/v1/projects/{p['id']}", {"name": "Audited"})
    admin.delete(f"/api/v1/projects/{p['id']}")
    viewer = add_member(admin, "viewer")
    admin.patch(f"/api/v1/organization/members/{viewer.auth['user']['id']}", {"role": "analyst"})
    admin.delete(f"/api/v1/organization/members/{viewer.auth['user']['id']}")

    items = admin.get("/api/v1/audit-logs?limit=100").json()["items"]
    actions = [e["action"] for e in items]
    for expected in ("auth.register", "auth.login", "auth.login_failed", "project.create", "project.update",
                     "project.delete", "member.add", "member.role_change", "member.remove"):
        assert expected in actions, (expected, actions)
    failed = next(e for e in items if e["action"] == "auth.login_failed")
    assert failed["ip"] == "127.0.0.1" and failed["user_agent"] == "audit-test/1.0"
    created = next(e for e in items if e["action"] == "project.create")
    assert created["user_id"] == reg["user"]["id"] and created["target_id"] == p["id"] and created["created_at"]
    projects_only = admin.get("/api/v1/audit-logs?action=project.").json()["items"]
    assert {e["action"] for e in projects_only} == {"project.create", "project.update", "project.delete"}
    assert_error(viewer.get("/api/v1/audit-logs"), 401, "UNAUTHENTICATED")  # removed above


def test_odd_bytes_in_headers_and_names_are_stored_safely(server):
    """Headers can carry any bytes; PostgreSQL refuses invalid UTF-8, so the audit row
    must still be written (the sign-in must not fail)."""
    reg = register(server.url)
    r = requests.post(server.url + "/api/v1/auth/login", json={"email": reg["user"]["email"], "password": PASSWORD},
                      headers={"User-Agent": b"agent/\xff\xfe\xc3".decode("latin-1")})
    assert r.status_code == 200, r.text
    admin = Client(server.url, r.json())
    r = admin.post("/api/v1/organization/members",
                   {"email": f"u-{uuid.uuid4().hex[:6]}@example.com", "role": "viewer", "password": PASSWORD,
                    "full_name": "é" * 150})
    assert r.status_code == 201, r.text
    assert len(r.json()["full_name"].encode()) <= 200
