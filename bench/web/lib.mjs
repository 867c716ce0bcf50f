// Shared helpers for bench/web: the server process, the API seeding, statistics.
import { spawn } from 'node:child_process';
import { openAsBlob, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export async function startServer({ bin, dataDir, webDir, logFile, extraArgs = [] }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = openSync(logFile, 'a');
  const child = spawn(
    bin,
    ['serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--web-dir', webDir, ...extraArgs],
    { stdio: ['ignore', log, log] },
  );
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.status === 200) return { child, base };
      last = `status ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`server not healthy after 30 s (${last})`);
}

export function stopServer(child) {
  return new Promise((res) => {
    if (!child || child.exitCode !== null) return res();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    child.kill('SIGTERM');
  });
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** A tiny bearer-token API client for seeding (the browser uses cookies). */
export class Api {
  constructor(base) {
    this.base = base;
    this.token = null;
  }
  async call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const r = await fetch(`${this.base}${path}`, { method, headers, body: payload });
    const text = await r.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: r.status, json, text };
  }
  async must(method, path, body, expect) {
    const r = await this.call(method, path, body);
    const ok = Array.isArray(expect) ? expect.includes(r.status) : r.status === expect;
    if (!ok) throw new Error(`${method} ${path} -> ${r.status}: ${r.text.slice(0, 400)}`);
    return r.json;
  }
  async uploadFile(projectId, file, type = 'application/octet-stream') {
    const fd = new FormData();
    fd.append('file', await openAsBlob(file, { type }), basename(file));
    return this.must('POST', `/api/v1/projects/${projectId}/uploads`, fd, [201, 202]);
  }
  async waitJob(jobId, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.must('GET', `/api/v1/jobs/${jobId}`, undefined, 200);
      if (['succeeded', 'failed', 'canceled'].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} not finished after ${timeoutMs} ms: ${JSON.stringify(job).slice(0, 300)}`);
      await sleep(100);
    }
  }
}

export function percentile(sorted, p) {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (x, d = 1) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
