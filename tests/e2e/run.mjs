#!/usr/bin/env node
// End-to-end runner: starts a real `datamorph serve` on a free loopback port with a fresh
// data directory, drives Debian's Chromium (playwright-core, no browser download) through
// the scenarios, saves a screenshot of each screen to docs/screenshots/, stops the server
// and prints `e2e: N passed, M failed`.
//
// Usage: node run.mjs [--only auth,data] [--headed]
//   E2E_SCENARIOS=auth        same as --only
//   DATAMORPH_BIN=path        server binary (default <repo>/build/datamorph)
//   E2E_KEEP=1                keep the temporary data directory for debugging
//   E2E_BASE_URL=http://…     test an already running server instead of starting one

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { scenarios } from './scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const bin = process.env.DATAMORPH_BIN ?? join(repo, 'build/datamorph');
const webDir = join(repo, 'web/dist');
const shotsDir = join(repo, 'docs/screenshots');

function parseArgs(argv) {
  const opts = { only: process.env.E2E_SCENARIOS ?? '', headed: false };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--only') opts.only = argv[++i] ?? '';
    else if (a.startsWith('--only=')) opts.only = a.slice(7);
    else if (a === '--headed') opts.headed = true;
  }
  opts.only = opts.only
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return opts;
}

function freePort() {
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(base, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`server not healthy after ${timeoutMs} ms (${last})`);
}

function stopServer(child) {
  return new Promise((res) => {
    if (!child || child.exitCode !== null) return res();
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      res();
    });
    child.kill('SIGTERM');
  });
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const selected = opts.only.length ? scenarios.filter((s) => opts.only.includes(s.name)) : scenarios;
  const unknown = opts.only.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(2);
  }
  const external = process.env.E2E_BASE_URL?.replace(/\/$/, '') ?? '';
  if (!external && !existsSync(bin)) {
    console.error(`server binary not found: ${bin} (build it first, or set DATAMORPH_BIN)`);
    console.log(`e2e: 0 passed, ${selected.length} failed`);
    process.exit(1);
  }
  if (!external && !existsSync(join(webDir, 'index.html'))) {
    console.error(`web UI not built: ${webDir}/index.html missing (run: npm --prefix web run build)`);
    console.log(`e2e: 0 passed, ${selected.length} failed`);
    process.exit(1);
  }
  mkdirSync(shotsDir, { recursive: true });

  const work = mkdtempSync(join(tmpdir(), 'datamorph-e2e-'));
  const dataDir = join(work, 'data');
  const profileDir = join(work, 'chromium');
  const downloads = join(work, 'downloads');
  mkdirSync(dataDir);
  mkdirSync(downloads);
  const logFile = join(work, 'server.log');
  const port = external ? 0 : await freePort();
  const base = external || `http://127.0.0.1:${port}`;

  const log = openSync(logFile, 'a');
  const child = external
    ? null
    : spawn(
        bin,
        ['serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--web-dir', webDir],
        { stdio: ['ignore', log, log], env: { ...process.env, DATAMORPH_WEB_DIR: webDir } },
      );
  let passed = 0;
  let failed = 0;
  let context = null;
  try {
    await waitForHealth(base, child);
    console.log(external ? `testing ${base}` : `server up at ${base} (data ${dataDir})`);
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: !opts.headed,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
      downloadsPath: downloads,
      baseURL: base,
    });
    context.setDefaultTimeout(15_000);
    for (const s of selected) {
      const page = await context.newPage();
      const consoleErrors = [];
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`console: ${m.text()}`));
      const started = Date.now();
      const steps = [];
      const ctx = {
        base,
        page,
        context,
        step: (name) => {
          steps.push(name);
          console.log(`  · ${name}`);
        },
        shot: async (name) => {
          await page.waitForTimeout(150);
          await page.screenshot({ path: join(shotsDir, `${name}.png`) });
        },
      };
      console.log(`▶ ${s.name}: ${s.title}`);
      try {
        await s.run(ctx);
        passed += 1;
        console.log(`✔ ${s.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed += 1;
        const shot = join(work, `failure-${s.name}.png`);
        await page.screenshot({ path: shot }).catch(() => undefined);
        console.error(`✘ ${s.name} failed at step "${steps.at(-1) ?? 'start'}": ${e?.stack ?? e}`);
        console.error(`  url: ${page.url()}\n  screenshot: ${shot}`);
        if (consoleErrors.length) console.error(`  browser errors:\n    ${consoleErrors.slice(-10).join('\n    ')}`);
        console.error(`  server log (tail):\n${tail(logFile)}`);
      }
      await page.close().catch(() => undefined);
    }
  } catch (e) {
    failed += Math.max(1, selected.length - passed - failed);
    console.error(`e2e setup failed: ${e?.stack ?? e}`);
    console.error(`server log (tail):\n${tail(logFile)}`);
  } finally {
    if (context) await context.close().catch(() => undefined);
    await stopServer(child);
    if (!process.env.E2E_KEEP && failed === 0) rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
});
