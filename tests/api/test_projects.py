"""Projects CRUD, role permissions and tenant isolation."""
import uuid

import requests

from conftest import add_member, assert_error


def test_project_crud(admin):
    r = admin.post("/api/v1/projects", {"name": "  Sales 2026 ", "description": "Quarterly"})
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["name"] == "Sales 2026"
    assert p["status"] == "active"
    for key in ("id", "name", "description", "status", "created_at", "updated_at"):
        assert key in p
    assert admin.get(f"/api/v1/projects/{p['id']}").json()["description"] == "Quarterly"
    listing = admin.get("/api/v1/projects").json()
    assert listing["total"] >= 1 and any(x["id"] == p["id"] for x in listing["items"])
    r = admin.patch(f"/api/v1/projects/{p['id']}", {"name": "Renamed", "status": "archived"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Renamed" and r.json()["status"] == "archived"
    assert any(x["id"] == p["id"] for x in admin.get("/api/v1/projects?status=archived").json()["items"])
    assert admin.delete(f"/api/v1/projects/{p['id']}").status_code == 204
    assert_error(admin.get(f"/api/v1/projects/{p['id']}"), 404, "NOT_FOUND")


def test_project_listing_pages(admin):
    for i in range(5):
        assert admin.post("/api/v1/projects", {"name": f"P{i}"}).status_code == 201
    page = admin.get("/api/v1/projects?limit=2&offset=0").json()
    assert len(page["items"]) == 2 and page["total"] >= 5
    assert_error(admin.get("/api/v1/projects?limit=0"), 400, "VALIDATION_ERROR")
    assert_error(admin.get("/api/v1/projects?limit=abc"), 400, "VALIDATION_ERROR")
    assert_error(admin.get("/api/v1/projects?status=deleted"), 400, "VALIDATION_ERROR")


def test_project_validation(admin):
    assert_error(admin.post("/api/v1/projects", {"name": "   "}), 422, "VALIDATION_ERROR")
    assert_error(admin.post("/api/v1/projects", {"name": "x" * 201}), 422, "VALIDATION_ERROR")
    assert_error(admin.post("/api/v1/projects", {"description": "no name"}), 422, "VALIDATION_ERROR")
    assert_error(admin.post("/api/v1/projects", {"name": "ok", "owner": "me"}), 422, "VALIDATION_ERROR")
    p = admin.post("/api/v1/projects", {"name": "v"}).json()
    assert_error(admin.patch(f"/api/v1/projects/{p['id']}", {"status": "deleted"}), 422, "VALIDATION_ERROR")
    assert_error(admin.patch(f"/api/v1/projects/{p['id']}", {"name": 42}), 422, "VALIDATION_ERROR")


def test_unknown_and_malformed_ids_are_404(admin):
    for pid in (str(uuid.uuid4()), "not-a-uuid", "..%2F..%2Fetc%2Fpasswd"):
        assert_error(admin.get(f"/api/v1/projects/{pid}"), 404, "NOT_FOUND")
        assert_error(admin.patch(f"/api/v1/projects/{pid}", {"name": "x"}), 404, "NOT_FOUND")
        assert_error(admin.delete(f"/api/v1/projects/{pid}"), 404, "NOT_FOUND")


def test_role_permissions(admin):
    viewer = add_member(admin, "viewer")
    analyst = add_member(admin, "analyst")
    manager = add_member(admin, "manager")
    p = admin.post("/api/v1/projects", {"name": "Shared"}).json()
    # Everyone reads.
    for c in (viewer, analyst, manager):
        assert c.get(f"/api/v1/projects/{p['id']}").status_code == 200
        assert c.get("/api/v1/organization/members").status_code == 200
    # Viewers and analysts cannot manage projects; managers can.
    for c in (viewer, analyst):
        assert_error(c.post("/api/v1/projects", {"name": "Nope"}), 403, "FORBIDDEN")
        assert_error(c.patch(f"/api/v1/projects/{p['id']}", {"name": "Nope"}), 403, "FORBIDDEN")
        assert_error(c.delete(f"/api/v1/projects/{p['id']}"), 403, "FORBIDDEN")
    assert manager.post("/api/v1/projects", {"name": "Managed"}).status_code == 201
    assert manager.patch(f"/api/v1/projects/{p['id']}", {"description": "by manager"}).status_code == 200
    # Only admins manage members.
    for c in (viewer, analyst, manager):
        assert_error(c.post("/api/v1/organization/members", {"email": "z@z.io", "role": "viewer", "password": "x" * 10}),
                     403, "FORBIDDEN")
    assert admin.get(f"/api/v1/projects/{p['id']}").json()["name"] == "Shared"
    me = viewer.get("/api/v1/auth/me").json()
    assert me["role"] == "viewer" and "project:write" not in me["permissions"] and "data:write" not in me["permissions"]


def test_tenant_isolation(admin, other_admin):
    mine = admin.post("/api/v1/projects", {"name": "Secret plans", "description": "ours"}).json()
    theirs_before = other_admin.get("/api/v1/projects").json()
    assert all(x["id"] != mine["id"] for x in theirs_before["items"])
    assert_error(other_admin.get(f"/api/v1/projects/{mine['id']}"), 404, "NOT_FOUND")
    assert_error(other_admin.patch(f"/api/v1/projects/{mine['id']}", {"name": "pwned"}), 404, "NOT_FOUND")
    assert_error(other_admin.delete(f"/api/v1/projects/{mine['id']}"), 404, "NOT_FOUND")
    admin_member_id = admin.auth["user"]["id"]
    assert_error(other_admin.patch(f"/api/v1/organization/members/{admin_member_id}", {"role": "viewer"}),
                 404, "NOT_FOUND")
    assert_error(other_admin.delete(f"/api/v1/organization/members/{admin_member_id}"), 404, "NOT_FOUND")
    assert all(m["user_id"] != admin_member_id for m in other_admin.get("/api/v1/organization/members").json()["items"])
    # Nothing changed.
    after = admin.get(f"/api/v1/projects/{mine['id']}").json()
    assert after["name"] == "Secret plans" and after["description"] == "ours"
    assert admin.get("/api/v1/auth/me").json()["role"] == "admin"
    # Their audit log does not show our events.
    assert all(e["target_id"] != mine["id"] for e in other_admin.get("/api/v1/audit-logs").json()["items"])
