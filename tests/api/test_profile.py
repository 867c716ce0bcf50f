"""Profiles: computed for every new dataset version, served by the API, and identical to
`datamorph profile FILE --format json`."""
import json
import os
import subprocess
import tempfile
import time

import requests

from conftest import BINARY, add_member, assert_error

CSV = ("id,city,amount,signup\n"
       "1,Paris,10.5,2024-01-01\n"
       "2,paris,20,2024-01-02\n"
       "3,Lyon,,2024-01-03\n"
       "4,Lyon,40,2024-01-04\n"
       "4,Lyon,40,2024-01-04\n")


def upload_and_wait(client, text, name="people.csv"):
    project = client.post("/api/v1/projects", {"name": "profiled"}).json()
    r = client.session.post(f"{client.base}/api/v1/projects/{project['id']}/uploads", headers=client.headers(),
                            files={"file": (name, text.encode(), "text/csv")}, timeout=60)
    assert r.status_code == 202, r.text
    job_id = r.json()["job"]["id"]
    deadline = time.time() + 60
    while time.time() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed", "canceled"):
            assert job["status"] == "succeeded", job
            return job["result"]["dataset_ids"][0]
        time.sleep(0.1)
    raise AssertionError("ingest did not finish")


def test_profile_endpoint_matches_the_data_and_the_cli(admin):
    dataset_id = upload_and_wait(admin, CSV)
    r = admin.get(f"/api/v1/datasets/{dataset_id}/profile")
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["row_count"] == 5 and p["column_count"] == 4 and p["duplicate_row_count"] == 1
    for dim in ("score", "completeness", "validity", "consistency", "uniqueness"):
        assert 0 <= p["quality"][dim] <= 100
    cols = {c["name"]: c for c in p["columns"]}
    assert cols["amount"]["null_count"] == 1 and cols["amount"]["count"] == 4  # non-null, as pandas counts
    assert abs(cols["amount"]["mean"] - (10.5 + 20 + 40 + 40) / 4) < 1e-9
    assert cols["amount"]["min"] == 10.5 and cols["amount"]["max"] == 40
    assert cols["city"]["distinct_count"] == 3
    assert any(a["kind"] == "duplicates" for a in p["alerts"])

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "people.csv")
        with open(path, "w") as f:
            f.write(CSV)
        out = subprocess.run([BINARY, "profile", path, "--format", "json"], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == p
        text = subprocess.run([BINARY, "profile", path], capture_output=True, text=True)
        assert text.returncode == 0 and "quality" in text.stdout and "amount" in text.stdout


def test_profile_job_enriches_the_dataset(admin):
    dataset_id = upload_and_wait(admin, CSV)
    deadline = time.time() + 60
    while time.time() < deadline:
        d = admin.get(f"/api/v1/datasets/{dataset_id}").json()
        if d["quality_score"] is not None:
            break
        time.sleep(0.2)
    assert d["quality_score"] is not None and 0 <= d["quality_score"] <= 100
    assert all(c["semantic_type"] for c in d["columns"]), d["columns"]
    versions = admin.get(f"/api/v1/datasets/{dataset_id}/versions").json()["items"]
    assert versions[0]["quality_score"] == d["quality_score"]


def test_profile_is_tenant_scoped(admin, other_admin):
    dataset_id = upload_and_wait(admin, CSV)
    assert_error(other_admin.get(f"/api/v1/datasets/{dataset_id}/profile"), 404, "NOT_FOUND")
    viewer = add_member(admin, "viewer")
    assert viewer.get(f"/api/v1/datasets/{dataset_id}/profile").status_code == 200


def test_cli_profile_reports_bad_files_clearly():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "garbage.csv")
        with open(path, "wb") as f:
            f.write(os.urandom(4096))
        out = subprocess.run([BINARY, "profile", path], capture_output=True, text=True)
        assert out.returncode == 1 and out.stderr.startswith("error: ") and "Traceback" not in out.stderr
        missing = subprocess.run([BINARY, "profile", os.path.join(d, "nope.csv")], capture_output=True, text=True)
        assert missing.returncode == 1 and "does not exist" in missing.stderr
