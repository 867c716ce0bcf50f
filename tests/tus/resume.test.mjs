// Resumable uploads with the real tus-js-client (pinned in package.json / package-lock.json)
// against the real server: start build/datamorph serve, upload a ~6 MB CSV in 1 MB chunks,
// abort after two chunks, resume with a NEW tus.Upload found through the same fingerprint
// (FileUrlStorage), and check that it went on from the server's offset, that the stored
// file has the same size and that the dataset has every row.
//
//   cd tests/tus && npm ci --ignore-scripts && node --test
//
// DM_BINARY overrides the server binary (default build/datamorph).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tus from 'tus-js-client';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const BINARY = process.env.DM_BINARY || path.join(ROOT, 'build', 'datamorph');
const CHUNK = 1024 * 1024;
const JOB_TIMEOUT_MS = 90_000;

let server;
let base;
let tmp;
let token;
let projectId;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(method, p, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return res;
}

async function json(method, p, body, expected = 200) {
  const res = await api(method, p, body);
  const text = await res.text();
  assert.equal(res.status, expected, `${method} ${p} -> ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

async function waitJob(id) {
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  let job;
  while (Date.now() < deadline) {
    job = await json('GET', `/api/v1/jobs/${id}`);
    if (['succeeded', 'failed', 'canceled'].includes(job.status)) return job;
    await sleep(200);
  }
  throw new Error(`job ${id} not finished after ${JOB_TIMEOUT_MS} ms: ${JSON.stringify(job)}`);
}

async function tusHead(url) {
  const res = await fetch(new URL(url, base), {
    method: 'HEAD',
    headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' },
  });
  assert.equal(res.status, 200, `HEAD ${url} -> ${res.status}`);
  return { offset: Number(res.headers.get('Upload-Offset')), length: Number(res.headers.get('Upload-Length')) };
}

// ~100 bytes a row: integers, floats, dates, categories, free text.
function writeCsv(file, rows) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'id,name,amount,day,category,note\n');
  let buf = [];
  for (let i = 1; i <= rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    buf.push(`${i},Customer ${i % 997},${(i * 0.37).toFixed(2)},2024-02-${day},cat_${i % 7},` +
      `free text for row ${i} with some padding to reach a hundred bytes\n`);
    if (buf.length === 5000) { fs.writeSync(fd, buf.join('')); buf = []; }
  }
  fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
}

function tusOptions(extra) {
  return {
    endpoint: `${base}/api/v1/tus`,
    headers: { Authorization: `Bearer ${token}` },
    retryDelays: [],
    ...extra,
  };
}

before(async () => {
  assert.ok(fs.existsSync(BINARY), `no server binary at ${BINARY}: build first`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-tus-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(tmp, 'server.log'), 'w');
  server = spawn(BINARY, ['serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', path.join(tmp, 'data'),
    '--log-level', 'warn'], { stdio: ['ignore', log, log] });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited: ${fs.readFileSync(path.join(tmp, 'server.log'), 'utf8')}`);
    try {
      if ((await fetch(`${base}/health`)).status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('server did not become healthy in 30 s');
    await sleep(50);
  }
  const reg = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `tus-${Date.now()}@example.com`, password: 'correct-horse-battery',
      full_name: 'Tus Tester', organization_name: 'Tus Org' }),
  });
  assert.equal(reg.status, 201, await reg.clone().text());
  token = (await reg.json()).access_token;
  projectId = (await json('POST', '/api/v1/projects', { name: 'tus' }, 201)).id;
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await Promise.race([new Promise((r) => server.once('exit', r)),
      new Promise((r) => setTimeout(r, 10_000).unref())]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (tmp && !process.env.DM_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

test('an aborted tus upload resumes where the server stopped, and ingests every row', { timeout: 180_000 }, async () => {
  const rows = 60_000;
  const file = path.join(tmp, 'six_mb.csv');
  writeCsv(file, rows);
  const size = fs.statSync(file).size;
  assert.ok(size > 5.5 * CHUNK && size < 7 * CHUNK, `generated ${size} bytes`);
  const urlStorage = new tus.FileUrlStorage(path.join(tmp, 'tus-urls.json'));
  const metadata = { filename: 'six_mb.csv', project_id: projectId };

  // 1. Upload two chunks, then abort.
  let first;
  const abortedAt = await new Promise((resolve, reject) => {
    first = new tus.Upload(fs.createReadStream(file), tusOptions({
      chunkSize: CHUNK,
      metadata,
      urlStorage,
      onError: reject,
      onSuccess: () => reject(new Error('the first upload finished instead of being aborted')),
      onChunkComplete: (chunkSize, bytesAccepted) => {
        if (bytesAccepted >= 2 * CHUNK) {
          first.abort().then(() => resolve(bytesAccepted), reject);
        }
      },
    }));
    first.start();
  });
  assert.equal(abortedAt, 2 * CHUNK);
  assert.ok(first.url, 'the first upload has a URL');
  assert.match(new URL(first.url, base).pathname, /^\/api\/v1\/tus\/[A-Za-z0-9_-]+$/);
  const head = await tusHead(first.url);
  assert.ok(head.offset > 0, 'the server kept the first chunks');
  assert.equal(head.offset, abortedAt);
  assert.equal(head.length, size);

  // 2. A new Upload for the same file finds the previous one by fingerprint and resumes.
  const sent = [];
  let fileId = null;
  let jobId = null;
  const second = new tus.Upload(fs.createReadStream(file), tusOptions({
    chunkSize: CHUNK,
    metadata,
    urlStorage,
    onChunkComplete: (chunkSize, bytesAccepted) => sent.push([chunkSize, bytesAccepted]),
    onAfterResponse: (req, res) => {
      if (res.getHeader('X-File-Id')) fileId = res.getHeader('X-File-Id');
      if (res.getHeader('X-Job-Id')) jobId = res.getHeader('X-Job-Id');
    },
  }));
  const previous = await second.findPreviousUploads();
  assert.ok(previous.length >= 1, 'the aborted upload was stored for resuming');
  second.resumeFromPreviousUpload(previous[0]);
  await new Promise((resolve, reject) => {
    second.options.onSuccess = resolve;
    second.options.onError = reject;
    second.start();
  });
  assert.equal(second.url, first.url, 'resumed the same upload, not a new one');
  assert.ok(sent.length > 0);
  const [firstChunk, firstAccepted] = sent[0];
  assert.equal(firstAccepted - firstChunk, head.offset, 'the resumed upload started at the server offset, not at 0');
  const resent = sent.reduce((n, [c]) => n + c, 0);
  assert.equal(resent, size - head.offset, 'only the missing bytes were sent');
  assert.equal(sent.at(-1)[1], size);
  assert.ok(fileId && jobId, 'the final PATCH answered X-File-Id and X-Job-Id');

  // 3. The ingest job, the stored file and the dataset.
  const job = await waitJob(jobId);
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  assert.equal(job.result.file_id, fileId);
  const f = await json('GET', `/api/v1/files/${fileId}`);
  assert.equal(f.size_bytes, size, 'stored size equals the file size');
  assert.equal(f.original_filename, 'six_mb.csv');
  assert.equal(f.detected_format, 'csv');
  assert.equal(f.status, 'ready');
  const datasetId = job.result.dataset_ids[0];
  const ds = await json('GET', `/api/v1/datasets/${datasetId}`);
  assert.equal(ds.row_count, rows);
  const exp = await api('GET', `/api/v1/datasets/${datasetId}/export?format=csv`);
  assert.equal(exp.status, 200);
  const text = await exp.text();
  const lines = text.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length - 1, rows, 'exported CSV has every row');
  assert.match(lines[0], /^\uFEFF?id,name,amount,day,category,note\r?$/);
  assert.match(lines[1], /^1,Customer 1,0\.37,2024-02-02,cat_1,free text for row 1 /);
  // Once done, the upload is over: the server no longer offers it for appending.
  const done = await fetch(new URL(first.url, base), {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(size),
      'Content-Type': 'application/offset+octet-stream' },
    body: Buffer.from('x'),
  });
  assert.ok([400, 403, 404, 409, 410, 413].includes(done.status), `PATCH after completion -> ${done.status}`);
});

test('a small CSV sent with tus is stored byte for byte', { timeout: 60_000 }, async () => {
  // BOM, CRLF, quoted CRLF, multibyte UTF-8, tabs and quotes: bytes a text pipeline would change.
  const rows = [];
  for (let i = 1; i <= 50; i++) {
    rows.push(`${i},"naïve ${i} — 東京 🚀","tab\there ""q"" ${i}","two\r\nlines",${(i / 3).toFixed(5)}`);
  }
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,text,quoted,multi,value\r\n' + rows.join('\r\n') + '\r\n')]);
  let fileId = null;
  let jobId = null;
  await new Promise((resolve, reject) => {
    const up = new tus.Upload(body, tusOptions({
      metadata: { filename: 'bytes.csv', project_id: projectId },
      onError: reject,
      onSuccess: resolve,
      onAfterResponse: (req, res) => {
        if (res.getHeader('X-File-Id')) fileId = res.getHeader('X-File-Id');
        if (res.getHeader('X-Job-Id')) jobId = res.getHeader('X-Job-Id');
      },
    }));
    up.start();
  });
  assert.ok(fileId && jobId, 'X-File-Id and X-Job-Id on the final PATCH');
  const job = await waitJob(jobId);
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  const f = await json('GET', `/api/v1/files/${fileId}`);
  assert.equal(f.size_bytes, body.length);
  const ds = await json('GET', `/api/v1/datasets/${job.result.dataset_ids[0]}`);
  assert.equal(ds.row_count, 50);
  const q = await json('POST', `/api/v1/datasets/${ds.id}/query`,
    { sql: "SELECT text, quoted, multi FROM data WHERE id = 7" });
  assert.deepEqual(q.rows, [['naïve 7 — 東京 🚀', 'tab\there "q" 7', 'two\r\nlines']]);
});
