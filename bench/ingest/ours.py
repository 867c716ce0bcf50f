#!/usr/bin/python3
"""One end-to-end DataMorph ingestion, measured (used by bench/ingest/run.sh).

  ours.py --base URL --pid PID --file FILE --rows N [--timeout S] [--health-interval-ms 20]

Against an already running, healthy `datamorph serve` (process PID): registers a user,
creates a project, then times from the start of the upload request (curl -F file=@FILE)
until GET /api/v1/jobs/{id} first shows `succeeded`.  Meanwhile a background thread hits
GET /health every 20 ms (start to start, one keep-alive connection) and samples the
server's VmRSS/VmHWM from /proc/PID/status.  Checks that the dataset has N rows.
Prints one JSON object on stdout; diagnostics go to stderr."""
import argparse
import http.client
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid


def log(*a):
    print("[bench/ingest]", *a, file=sys.stderr, flush=True)


class Api:
    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.token = None

    def call(self, method, path, body=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                text = r.read().decode("utf-8", "replace")
                return r.status, text
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def read_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    k, v = line.split(":", 1)
                    out[k] = int(v.split()[0]) / 1024.0
    except OSError:
        pass
    return out


class Sampler(threading.Thread):
    """GET /health every interval (start to start) and /proc/PID/status every 100 ms."""

    def __init__(self, base, pid, interval):
        super().__init__(daemon=True)
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.pid, self.interval = u.hostname, u.port, pid, interval
        self.latencies_ms = []
        self.errors = []
        self.non_200 = 0
        self.peak_rss_mb = 0.0
        self.rss_samples = []  # (perf_counter, VmRSS MB)
        self.stop_event = threading.Event()

    def run(self):
        conn = None
        last_mem = 0.0
        while not self.stop_event.is_set():
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                conn.request("GET", "/health")
                r = conn.getresponse()
                r.read()
                self.latencies_ms.append((time.perf_counter() - start) * 1000)
                if r.status != 200:
                    self.non_200 += 1
            except (http.client.HTTPException, OSError) as e:
                self.latencies_ms.append((time.perf_counter() - start) * 1000)
                self.errors.append(repr(e)[:200])
                if conn is not None:
                    conn.close()
                conn = None
            now = time.perf_counter()
            if now - last_mem >= 0.1:
                rss = read_status(self.pid).get("VmRSS", 0.0)
                self.rss_samples.append((now, rss))
                self.peak_rss_mb = max(self.peak_rss_mb, rss)
                last_mem = now
            self.stop_event.wait(max(0.0, self.interval - (time.perf_counter() - start)))
        if conn is not None:
            conn.close()


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--health-interval-ms", type=float, default=20)
    a = ap.parse_args()
    result = {"status": "ok", "file_bytes": os.path.getsize(a.file)}

    def fail(status, why):
        result["status"] = status
        result["reason"] = why
        log(f"{status}: {why}")
        print(json.dumps(result))
        sys.exit(1)

    api = Api(a.base)
    code, text = api.call("POST", "/api/v1/auth/register", {
        "email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "bench-password-1",
        "full_name": "Bench User", "organization_name": "Bench Org"})
    if code != 201:
        fail("seed-failed", f"POST /api/v1/auth/register -> {code}: {text[:400]}")
    api.token = json.loads(text)["access_token"]
    code, text = api.call("POST", "/api/v1/projects", {"name": "ingest bench"})
    if code != 201:
        fail("seed-failed", f"POST /api/v1/projects -> {code}: {text[:400]}")
    project = json.loads(text)["id"]

    sampler = Sampler(a.base, a.pid, a.health_interval_ms / 1000.0)
    sampler.start()
    time.sleep(0.2)  # a few idle samples first
    resp = tempfile.NamedTemporaryFile(prefix="dm-bench-upload-", suffix=".json", delete=False)
    resp.close()
    t0 = time.perf_counter()
    curl = subprocess.run(
        ["curl", "-sS", "-o", resp.name, "-w", "%{http_code} %{time_total}", "--max-time", str(int(a.timeout)),
         "-H", f"Authorization: Bearer {api.token}", "-F", f"file=@{a.file}",
         f"{a.base}/api/v1/projects/{project}/uploads"], capture_output=True, text=True)
    t_uploaded = time.perf_counter()
    with open(resp.name, encoding="utf-8", errors="replace") as f:
        body = f.read()
    os.unlink(resp.name)
    parts = curl.stdout.split()
    if curl.returncode != 0 or not parts or parts[0] != "202":
        sampler.stop_event.set()
        fail("upload-failed", f"curl exit {curl.returncode}, status {parts[:1]}: {curl.stderr.strip()[:300]} {body[:400]}")
    job_id = json.loads(body)["job"]["id"]
    job = None
    deadline = t0 + a.timeout
    while time.perf_counter() < deadline:
        code, text = api.call("GET", f"/api/v1/jobs/{job_id}")
        if code != 200:
            sampler.stop_event.set()
            fail("job-poll-failed", f"GET /api/v1/jobs/{job_id} -> {code}: {text[:400]}")
        job = json.loads(text)
        if job["status"] in ("succeeded", "failed", "canceled"):
            break
        time.sleep(0.05)
    t1 = time.perf_counter()
    time.sleep(0.1)
    sampler.stop_event.set()
    sampler.join(timeout=15)
    mem = read_status(a.pid)
    lat = sampler.latencies_ms
    result.update({
        "seconds": round(t1 - t0, 3),
        "upload_seconds": round(t_uploaded - t0, 3),
        "processing_seconds": round(t1 - t_uploaded, 3),
        "peak_rss_mb": round(max(mem.get("VmHWM", 0.0), sampler.peak_rss_mb), 1),
        "rss_after_mb": round(mem.get("VmRSS", 0.0), 1),
        "peak_rss_during_upload_mb": round(max([r for t, r in sampler.rss_samples if t0 <= t <= t_uploaded] or [0]), 1),
        "peak_rss_during_processing_mb": round(max([r for t, r in sampler.rss_samples if t > t_uploaded] or [0]), 1),
        "health_p50_ms": None if not lat else round(percentile(lat, 50), 2),
        "health_p99_ms": None if not lat else round(percentile(lat, 99), 2),
        "health_max_ms": None if not lat else round(max(lat), 2),
        "health_samples": len(lat),
        "health_errors": len(sampler.errors),
        "health_non_200": sampler.non_200,
        "job_id": job_id,
    })
    if sampler.errors:
        log(f"/health errors during ingest: {len(sampler.errors)}, first: {sampler.errors[0]}")
    if job is None or job["status"] != "succeeded":
        fail("job-" + (job or {}).get("status", "timeout"), f"job did not succeed in {a.timeout} s: {json.dumps(job)[:600]}")
    ids = (job.get("result") or {}).get("dataset_ids") or []
    if len(ids) != 1:
        fail("wrong-result", f"expected one dataset, job result {job.get('result')}")
    code, text = api.call("GET", f"/api/v1/datasets/{ids[0]}")
    if code != 200:
        fail("wrong-result", f"GET /api/v1/datasets/{ids[0]} -> {code}: {text[:300]}")
    d = json.loads(text)
    result["row_count"] = d.get("row_count")
    result["column_count"] = d.get("column_count")
    result["column_types"] = {c["name"]: c["type"] for c in d.get("columns", [])}
    if d.get("row_count") != a.rows:
        fail("wrong-result", f"dataset has {d.get('row_count')} rows, the file {a.rows}")
    if sampler.errors or sampler.non_200:
        result["status"] = "health-errors"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
