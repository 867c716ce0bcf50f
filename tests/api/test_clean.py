"""Cleaning through the API: suggestions, preview on the full data, apply as a new version,
history with rows and quality before/after, restore (head moves, history kept), recipes,
permissions, tenant isolation and hostile input."""
import time

import pytest

from conftest import add_member, assert_error

DIRTY = ("id,city,amount,status\n"
         "1,Paris,10.5,paid\n"
         "2, Paris ,20,Paid\n"
         "3,Lyon,,paid\n"
         "4,lyon,40,N/A\n"
         "5,Lyon,1000,unpaid\n"
         "5,Lyon,1000,unpaid\n")


def wait_job(client, job_id, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed", "canceled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def upload(client, text, name="dirty.csv", project_id=None):
    if project_id is None:
        project_id = client.post("/api/v1/projects", {"name": "cleaning"}).json()["id"]
    r = client.session.post(f"{client.base}/api/v1/projects/{project_id}/uploads", headers=client.headers(),
                            files={"file": (name, text.encode(), "text/csv")}, timeout=60)
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["job"]["id"])
    assert job["status"] == "succeeded", job
    dataset_id = job["result"]["dataset_ids"][0]
    # The profile job of version 1 runs next; wait for it so quality_before is recorded.
    deadline = time.time() + 30
    while client.get(f"/api/v1/datasets/{dataset_id}").json()["quality_score"] is None:
        assert time.time() < deadline, "version 1 was never profiled"
        time.sleep(0.05)
    return dataset_id


def rows(client, dataset_id):
    r = client.get(f"/api/v1/datasets/{dataset_id}/rows", params={"limit": 1000})
    assert r.status_code == 200, r.text
    return r.json()


def export_csv(client, dataset_id):
    r = client.get(f"/api/v1/datasets/{dataset_id}/export", params={"format": "csv"})
    assert r.status_code == 200, r.text
    return r.content


def apply(client, dataset_id, operations, **extra):
    r = client.post(f"/api/v1/datasets/{dataset_id}/clean", {"operations": operations, **extra})
    assert r.status_code == 202, r.text
    job = wait_job(client, r.json()["job"]["id"])
    assert job["status"] == "succeeded", job
    return job


RECIPE = [
    {"type": "trim_whitespace", "columns": ["city"]},
    {"type": "change_case", "column": "city", "case": "title"},
    {"type": "normalize_categories", "column": "status", "mapping": {"Paid": "paid", "N/A": "unknown"}},
    {"type": "fill_missing", "column": "amount", "strategy": "median"},
    {"type": "deduplicate", "keep": "first"},
]


def test_preview_changes_nothing_and_matches_the_applied_version(admin):
    dataset_id = upload(admin, DIRTY)
    original = export_csv(admin, dataset_id)

    r = admin.post(f"/api/v1/datasets/{dataset_id}/clean/preview", {"operations": RECIPE})
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["row_count_before"] == 6 and p["row_count_after"] == 5
    # rows 2 (trim), 3 (fill), 4 (case + N/A), 6 (duplicate removed) and 2's status (Paid)
    assert p["affected_rows"] == 4
    assert p["before"]["columns"] == ["id", "city", "amount", "status"]
    assert len(p["before"]["rows"]) == len(p["after"]["rows"]) == len(p["changed_cells"]) == 4
    removed = [i for i, row in enumerate(p["after"]["rows"]) if row is None]
    assert len(removed) == 1  # the duplicate row
    assert 0 <= p["quality_before"] <= 100 and 0 <= p["quality_after"] <= 100
    assert p["quality_after"] > p["quality_before"]
    # Nothing changed yet.
    assert export_csv(admin, dataset_id) == original
    assert len(admin.get(f"/api/v1/datasets/{dataset_id}/versions").json()["items"]) == 1

    job = apply(admin, dataset_id, RECIPE, message="tidy cities")
    assert job["result"]["version"] == 2 and job["result"]["rows_after"] == p["row_count_after"]
    d = admin.get(f"/api/v1/datasets/{dataset_id}").json()
    assert d["version"] == 2 and d["row_count"] == 5
    data = rows(admin, dataset_id)
    assert data["rows"] == [[1, "Paris", 10.5, "paid"], [2, "Paris", 20.0, "paid"], [3, "Lyon", 40.0, "paid"],
                            [4, "Lyon", 40.0, "unknown"], [5, "Lyon", 1000.0, "unpaid"]]
    # The preview's after rows are the applied rows (removed rows aside).
    applied_by_id = {row[0]: row for row in data["rows"]}
    for row in p["after"]["rows"]:
        if row is not None:
            assert applied_by_id[row[0]] == row
    assert job["result"]["quality_after"] == pytest.approx(p["quality_after"])

    versions = admin.get(f"/api/v1/datasets/{dataset_id}/versions").json()["items"]
    v2 = next(v for v in versions if v["version"] == 2)
    assert v2["parent_version"] == 1 and v2["operations"] == RECIPE and v2["row_count"] == 5

    history = admin.get(f"/api/v1/datasets/{dataset_id}/history").json()
    steps = [s for s in history["items"] if s["kind"] == "clean"]
    assert [s["operation"]["type"] for s in steps] == [op["type"] for op in RECIPE]
    assert steps[-1]["rows_before"] == 6 and steps[-1]["rows_after"] == 5  # deduplicate
    assert all(s["version"] == 2 and s["parent_version"] == 1 and s["message"] == "tidy cities" for s in steps)
    assert all(s["quality_before"] == pytest.approx(p["quality_before"]) for s in steps)
    assert all(s["quality_after"] == pytest.approx(p["quality_after"]) for s in steps)
    assert all(s["created_by"] for s in steps)

    audit = admin.get("/api/v1/audit-logs").json()["items"]
    assert any(a["action"] == "dataset.clean" and a["target_id"] == dataset_id for a in audit)


def test_restore_moves_the_head_and_keeps_history_and_the_recipe_follows_the_head(admin):
    dataset_id = upload(admin, DIRTY)
    original_csv = export_csv(admin, dataset_id)
    original_rows = rows(admin, dataset_id)
    apply(admin, dataset_id, [{"type": "drop_columns", "columns": ["status"]}])
    assert admin.get(f"/api/v1/datasets/{dataset_id}").json()["column_count"] == 3

    r = admin.post(f"/api/v1/datasets/{dataset_id}/versions/1/restore")
    assert r.status_code == 202, r.text
    assert wait_job(admin, r.json()["job"]["id"])["status"] == "succeeded"
    d = admin.get(f"/api/v1/datasets/{dataset_id}").json()
    assert d["version"] == 1 and d["column_count"] == 4
    assert export_csv(admin, dataset_id) == original_csv  # exactly the earlier data
    assert rows(admin, dataset_id) == original_rows
    assert {v["version"] for v in admin.get(f"/api/v1/datasets/{dataset_id}/versions").json()["items"]} == {1, 2}
    history = admin.get(f"/api/v1/datasets/{dataset_id}/history").json()["items"]
    assert history[-1]["kind"] == "restore" and history[-1]["version"] == 1 and history[-1]["parent_version"] == 2

    # A new clean after the restore branches from version 1 and becomes version 3.
    job = apply(admin, dataset_id, [{"type": "filter_rows", "column": "amount", "op": "lt", "value": 100}])
    assert job["result"]["version"] == 3 and job["result"]["parent_version"] == 1
    recipe = admin.get(f"/api/v1/datasets/{dataset_id}/recipe").json()
    assert recipe["version"] == 3
    assert recipe["operations"] == [{"type": "filter_rows", "column": "amount", "op": "lt", "value": 100}]

    # Restoring version 2 again works too: any earlier version can become the head.
    r = admin.post(f"/api/v1/datasets/{dataset_id}/versions/2/restore")
    assert wait_job(admin, r.json()["job"]["id"])["status"] == "succeeded"
    assert admin.get(f"/api/v1/datasets/{dataset_id}").json()["version"] == 2
    assert admin.get(f"/api/v1/datasets/{dataset_id}/recipe").json()["operations"] == [
        {"type": "drop_columns", "columns": ["status"]}]


def test_a_recipe_applies_to_another_dataset_after_a_schema_check(admin):
    source = upload(admin, DIRTY)
    apply(admin, source, RECIPE)
    recipe = admin.get(f"/api/v1/datasets/{source}/recipe").json()["operations"]
    assert recipe == RECIPE

    same_shape = upload(admin, DIRTY.replace("Paris", "Nice"), name="other.csv")
    job = apply(admin, same_shape, recipe)
    assert job["result"]["rows_after"] == 5

    other_schema = upload(admin, "id,town\n1,Paris\n", name="towns.csv")
    r = admin.post(f"/api/v1/datasets/{other_schema}/clean", {"operations": recipe})
    assert_error(r, 400, "VALIDATION_ERROR")
    details = r.json()["error"]["details"]
    assert details["index"] == 0 and "city" in r.json()["error"]["message"]


@pytest.mark.parametrize("body, index, field", [
    ({"operations": [{"type": "explode"}]}, 0, "type"),
    ({"operations": [{"type": "trim_whitespace", "columns": ["nope"]}]}, 0, "columns"),
    ({"operations": [{"type": "trim_whitespace"}, {"type": "cast", "column": "city", "to": "money",
                                                   "on_error": "null"}]}, 1, "to"),
    ({"operations": [{"type": "fill_missing", "column": "amount", "strategy": "mean", "bogus": 1}]}, 0, "bogus"),
    ({"operations": [{"type": "rename_column", "from": "city", "to": "town"},
                     {"type": "trim_whitespace", "columns": ["city"]}]}, 1, "columns"),
])
def test_invalid_operations_name_their_index_and_field(admin, body, index, field):
    dataset_id = upload(admin, DIRTY)
    for path in ("clean/preview", "clean"):
        r = admin.post(f"/api/v1/datasets/{dataset_id}/{path}", body)
        assert_error(r, 400, "VALIDATION_ERROR")
        details = r.json()["error"]["details"]
        assert details.get("index") == index and details.get("field") == field, r.json()


@pytest.mark.parametrize("body, status", [
    ({}, 400), ({"operations": "trim"}, 400), ({"operations": []}, 400),
    ({"operations": [{"type": "trim_whitespace"}], "extra": 1}, 422),  # unknown fields: 422 everywhere
    ({"operations": [{"type": "trim_whitespace"}] * 101}, 400), ({"operations": [42]}, 400),
    ({"operations": [{"type": "trim_whitespace"}], "base_version": "one"}, 400),
])
def test_malformed_bodies_are_refused(admin, body, status):
    dataset_id = upload(admin, DIRTY)
    assert_error(admin.post(f"/api/v1/datasets/{dataset_id}/clean", body), status, "VALIDATION_ERROR")
    assert len(admin.get(f"/api/v1/datasets/{dataset_id}/versions").json()["items"]) == 1


def test_base_version_guards_against_a_moved_head(admin):
    dataset_id = upload(admin, DIRTY)
    ops = [{"type": "trim_whitespace"}]
    apply(admin, dataset_id, ops, base_version=1)
    r = admin.post(f"/api/v1/datasets/{dataset_id}/clean", {"operations": ops, "base_version": 1})
    assert_error(r, 409, "CONFLICT")


def test_restore_of_a_missing_version_is_404(admin):
    dataset_id = upload(admin, DIRTY)
    for version in ("7", "0", "-1", "abc", "99999999999999999999999"):
        assert_error(admin.post(f"/api/v1/datasets/{dataset_id}/versions/{version}/restore"), 404, "NOT_FOUND")


def test_viewers_read_history_and_suggestions_but_cannot_clean(admin):
    dataset_id = upload(admin, DIRTY)
    viewer = add_member(admin, "viewer")
    assert viewer.get(f"/api/v1/datasets/{dataset_id}/suggestions").status_code == 200
    assert viewer.get(f"/api/v1/datasets/{dataset_id}/history").status_code == 200
    assert viewer.get(f"/api/v1/datasets/{dataset_id}/recipe").status_code == 200
    ops = {"operations": [{"type": "trim_whitespace"}]}
    assert_error(viewer.post(f"/api/v1/datasets/{dataset_id}/clean/preview", ops), 403, "FORBIDDEN")
    assert_error(viewer.post(f"/api/v1/datasets/{dataset_id}/clean", ops), 403, "FORBIDDEN")
    assert_error(viewer.post(f"/api/v1/datasets/{dataset_id}/versions/1/restore"), 403, "FORBIDDEN")
    analyst = add_member(admin, "analyst")
    apply(analyst, dataset_id, ops["operations"])


def test_another_tenant_sees_404_everywhere(admin, other_admin):
    dataset_id = upload(admin, DIRTY)
    ops = {"operations": [{"type": "trim_whitespace"}]}
    for method, path, body in [("get", "suggestions", None), ("post", "clean/preview", ops), ("post", "clean", ops),
                               ("post", "versions/1/restore", None), ("get", "history", None),
                               ("get", "recipe", None)]:
        url = f"/api/v1/datasets/{dataset_id}/{path}"
        r = other_admin.get(url) if method == "get" else other_admin.post(url, body)
        assert_error(r, 404, "NOT_FOUND")
    assert len(admin.get(f"/api/v1/datasets/{dataset_id}/versions").json()["items"]) == 1


def test_injection_in_names_values_mappings_and_formulas_is_harmless(admin):
    hostile = 'x"; DROP TABLE data; --'
    dataset_id = upload(admin, f'id,"{hostile.replace(chr(34), chr(34) * 2)}"\n1,a\n2,\'); DROP TABLE data; --\n')
    cols = admin.get(f"/api/v1/datasets/{dataset_id}").json()["columns"]
    name = cols[1]["name"]
    assert name == hostile
    ops = [
        {"type": "normalize_categories", "column": name, "mapping": {"'); DROP TABLE data; --": "b'\"c"}},
        {"type": "find_replace", "column": name, "find": "a", "replace": "'; SELECT 1; --"},
        {"type": "derive_column", "name": "n\"x", "expression": "id + 1"},
        {"type": "rename_column", "from": name, "to": "y'); DROP TABLE data; --"},
    ]
    job = apply(admin, dataset_id, ops)
    assert job["result"]["rows_after"] == 2
    data = rows(admin, dataset_id)
    assert data["columns"] == ["id", "y'); DROP TABLE data; --", 'n"x']
    assert data["rows"] == [[1, "'; SELECT 1; --", 2], [2, "b'\"c", 3]]
    # A formula is our grammar, never SQL.
    for expression in ["id); DROP TABLE data; --", "read_csv('/etc/passwd')", "(SELECT 1)", "id; SELECT 1"]:
        r = admin.post(f"/api/v1/datasets/{dataset_id}/clean",
                       {"operations": [{"type": "derive_column", "name": "z", "expression": expression}]})
        assert_error(r, 400, "VALIDATION_ERROR")
        assert "/" not in r.json()["error"]["message"].replace("/etc/passwd", "")


def test_suggestions_have_ready_operations_that_preview(admin):
    dataset_id = upload(admin, DIRTY)
    r = admin.get(f"/api/v1/datasets/{dataset_id}/suggestions")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items, "dirty data must get suggestions"
    for s in items:
        assert set(s) >= {"id", "operation", "rationale", "affected_rows", "expected_quality_gain"}
        assert s["rationale"] and s["affected_rows"] > 0
        p = admin.post(f"/api/v1/datasets/{dataset_id}/clean/preview", {"operations": [s["operation"]]})
        assert p.status_code == 200, (s, p.text)
        assert p.json()["affected_rows"] == s["affected_rows"], s
    kinds = {s["operation"]["type"] for s in items}
    assert "deduplicate" in kinds and "trim_whitespace" in kinds
