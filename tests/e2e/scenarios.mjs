// The end-to-end scenarios. Each gets { page, base, step, shot } from run.mjs and throws on failure.
import { readFileSync } from 'node:fs';
import { DIRTY_HEADER, dirtyRows, SALES_CATEGORIES, SALES_HEADER, salesRows, toCsv, toXlsx } from './fixtures.mjs';

const PASSWORD = 'correct-horse-42';

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function register(page, { name, email, org }) {
  await page.goto('/register');
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Organization name').fill(org);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/projects');
}

async function signIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in**');
}

async function createProject(page, name, shot = null) {
  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  if (shot) await shot('project-new');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('link', { name, exact: true }).waitFor();
}

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Scenario 1: register, projects CRUD, sign-in errors, members, read-only viewer. */
async function authScenario({ page, context, step, shot }) {
  const id = unique();
  const admin = `admin-${id}@example.com`;
  const viewer = `viewer-${id}@example.com`;

  step('register page');
  await page.goto('/register');
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await shot('register');

  step('register an admin');
  await register(page, { name: 'Ada Admin', email: admin, org: 'Acme Analytics' });
  await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
  await page.getByText('No projects yet').waitFor();
  await shot('projects-empty');

  step('create a project');
  await createProject(page, 'Sales 2025', shot);

  step('rename the project');
  await page.getByRole('button', { name: 'Rename Sales 2025' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('Sales Q1');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('link', { name: 'Sales Q1', exact: true }).waitFor();
  assert((await page.getByRole('link', { name: 'Sales 2025', exact: true }).count()) === 0, 'old name is gone');
  await shot('projects');

  step('sign out');
  await signOut(page);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot('sign-in');

  step('a signed-out visit to /team asks to sign in and keeps the URL');
  await page.goto('/team');
  await page.waitForURL('**/sign-in?next=%2Fteam');

  step('wrong password shows the error');
  await signIn(page, admin, 'not-the-password');
  const alert = page.locator('#signin-error');
  await alert.waitFor();
  const text = (await alert.innerText()).trim();
  assert(text.length > 0, 'an error message is shown');
  assert(page.url().includes('/sign-in'), 'still on sign-in');
  console.log(`    error shown: "${text}"`);
  await shot('sign-in-error');

  step('sign in lands on the intended page');
  await signIn(page, admin, PASSWORD);
  await page.waitForURL('**/team');
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: 'Sales Q1', exact: true }).waitFor();

  step('an expired access cookie is renewed silently');
  await context.clearCookies({ name: 'dm_access' });
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
  await page.reload();
  assert((await refreshed).status() === 200, 'refresh answered 200');
  await page.getByRole('link', { name: 'Sales Q1', exact: true }).waitFor();
  assert(page.url().endsWith('/projects'), `still on /projects (at ${page.url()})`);

  step('project page (admin)');
  await page.getByRole('link', { name: 'Sales Q1', exact: true }).click();
  await page.getByRole('heading', { name: 'Sales Q1', exact: true }).waitFor();
  await page.getByText('Drop files to upload').waitFor();
  await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
  await shot('project');

  step('add a viewer on the team page');
  await page.getByRole('link', { name: 'Team' }).click();
  await page.getByRole('heading', { name: 'Team', exact: true }).waitFor();
  await page.getByRole('cell', { name: admin, exact: true }).waitFor();
  await page.getByRole('button', { name: 'Add member' }).click();
  const add = page.getByRole('dialog');
  await add.getByLabel('Email').fill(viewer);
  await add.getByLabel('Role').selectOption('viewer');
  await add.getByLabel('Initial password').fill(PASSWORD);
  await shot('team-add-member');
  await add.getByRole('button', { name: 'Add member' }).click();
  await page.getByRole('cell', { name: viewer, exact: true }).waitFor();
  assert((await page.getByLabel(`Role of ${viewer}`).inputValue()) === 'viewer', 'new member is a viewer');
  await shot('team');

  step('viewer signs in: read-only');
  await signOut(page);
  await signIn(page, viewer, PASSWORD);
  await page.waitForURL('**/projects');
  await page.getByRole('link', { name: 'Sales Q1', exact: true }).waitFor();
  assert((await page.getByRole('button', { name: 'New project' }).count()) === 0, 'viewer has no create-project button');
  assert((await page.getByRole('button', { name: /^Rename / }).count()) === 0, 'viewer has no rename button');
  assert((await page.getByRole('link', { name: 'Team' }).count()) === 0, 'viewer has no Team link');
  await shot('projects-viewer');
  await page.getByRole('link', { name: 'Sales Q1', exact: true }).click();
  await page.getByRole('heading', { name: 'Sales Q1', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
  assert((await page.getByTestId('dropzone').count()) === 0, 'viewer has no drop zone');
  assert((await page.getByText('Browse files').count()) === 0, 'viewer has no browse button');
  await shot('project-viewer');
}

async function dropFiles(page, files) {
  await page.evaluate(async (list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    const zone = document.querySelector('[data-testid="dropzone"]');
    if (!zone) throw new Error('no drop zone');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, files);
}

async function waitUploadsDone(page, names, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await page.getByTestId('upload-row').evaluateAll((els) =>
      els.map((e) => ({ text: e.innerText, phase: e.getAttribute('data-phase') })),
    );
    const failed = rows.find((r) => r.phase === 'error' || r.phase === 'canceled');
    if (failed) throw new Error(`upload failed: ${failed.text.replace(/\s+/g, ' ')}`);
    const done = names.every((n) => rows.some((r) => r.text.includes(n) && r.phase === 'done'));
    if (done) return;
    if (Date.now() > deadline) throw new Error(`uploads not done: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(300);
  }
}

async function openDatasetFromUpload(page, fileName) {
  const row = page.getByTestId('upload-row').filter({ hasText: fileName });
  await row.getByRole('link', { name: /Open dataset/ }).first().click();
  await page.getByTestId('row-count').waitFor();
}

const cellText = (page, rowIndex, col) =>
  page.locator(`[role="row"][aria-rowindex="${rowIndex}"] [role="gridcell"]`).nth(col).innerText();

async function waitCell(page, rowIndex, col, predicate, what) {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await cellText(page, rowIndex, col).catch(() => '');
    if (predicate(last.trim())) return last.trim();
    await page.waitForTimeout(150);
  }
  throw new Error(`${what}: last cell text "${last}"`);
}

/**
 * Scenario 2: upload CSV + XLSX by drag and drop, explore, sort, (profile,) SQL, export.
 * The profile step needs the profiling feature (issue #4): scenario 'data' runs without
 * it, 'data-profile' with it.
 */
async function dataScenario({ page, step, shot }, { withProfile }) {
  const id = unique();
  const rows = salesRows(5000);
  const csv = toCsv(SALES_HEADER, rows);
  const xlsxRows = salesRows(120);
  const xlsx = toXlsx(SALES_HEADER, xlsxRows);
  const amounts = rows.map((r) => r[2]).filter((v) => v !== null);
  const minAmount = Math.min(...amounts);
  const maxAmount = Math.max(...amounts);

  step('register and create a project');
  await register(page, { name: 'Dana Data', email: `data-${id}@example.com`, org: 'Data Org' });
  await createProject(page, 'Data flow');
  await page.getByRole('link', { name: 'Data flow', exact: true }).click();
  await page.getByTestId('dropzone').waitFor();

  step('drop a CSV and an XLSX');
  await dropFiles(page, [
    { name: 'sales.csv', type: 'text/csv', b64: Buffer.from(csv).toString('base64') },
    {
      name: 'sales.xlsx',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      b64: xlsx.toString('base64'),
    },
  ]);
  await page.getByTestId('upload-row').nth(1).waitFor();
  await shot('upload-progress');

  step('uploads processed, datasets appear without reload');
  await waitUploadsDone(page, ['sales.csv', 'sales.xlsx']);
  await page.locator('table[aria-label="Datasets"] tbody tr').nth(1).waitFor();
  await shot('project-datasets');

  step('grid shows the row count');
  await openDatasetFromUpload(page, 'sales.csv');
  const countText = await page.getByTestId('row-count').innerText();
  assert(countText.includes('5,000'), `row count shows 5,000 (got "${countText}")`);
  await waitCell(page, 2, 0, (t) => t === '1', 'first row id');
  await page.locator('[role="columnheader"]').nth(3).waitFor();
  await page.waitForTimeout(300); // let the profile fill the header charts
  await shot('dataset-grid');

  step('grid scrolls to the end');
  await page.getByTestId('data-grid').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await waitCell(page, 5001, 0, (t) => t === '5000', 'last row id after scrolling');
  const range = await page.getByTestId('grid-range').innerText();
  assert(range.includes('of 5,000'), `range footer: ${range}`);

  step('sort by amount');
  await page.locator('button[title^="Sort by amount"]').click();
  await waitCell(page, 2, 2, (t) => Math.abs(parseFloat(t) - minAmount) < 1e-6, `ascending sort starts at ${minAmount}`);
  await page.locator('button[title^="Sort by amount"]').click();
  await waitCell(page, 2, 2, (t) => Math.abs(parseFloat(t) - maxAmount) < 1e-6, `descending sort starts at ${maxAmount}`);
  await shot('dataset-sorted');

  if (withProfile) {
    step('profile shows the quality score');
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    const score = page.getByTestId('quality-score').locator('.score__value');
    await score.waitFor();
    const scoreText = (await score.innerText()).trim();
    assert(/^\d{1,3}$/.test(scoreText), `quality score is a number (got "${scoreText}")`);
    // Charts must render under the server's CSP (no eval): a blocked chart shows an error instead.
    await page.locator('.chart__canvas svg').first().waitFor({ timeout: 20_000 });
    const chartErrors = await page.getByText('Chart unavailable').count();
    assert(chartErrors === 0, `charts render (got ${chartErrors} chart errors)`);
    await shot('profile');
  }

  step('run a SQL query');
  await page.getByRole('link', { name: 'SQL', exact: true }).click();
  const editor = page.getByLabel(/Query/);
  await editor.fill('SELECT category, COUNT(*) AS n FROM data GROUP BY category ORDER BY category');
  await editor.press('Control+Enter');
  const summary = page.getByTestId('sql-summary');
  await summary.waitFor();
  const summaryText = await summary.innerText();
  assert(summaryText.startsWith(`${SALES_CATEGORIES.length} rows`), `SQL returned ${SALES_CATEGORIES.length} rows (got "${summaryText}")`);
  await page.getByRole('cell', { name: 'alpha', exact: true }).waitFor();
  await shot('sql');

  step('export CSV matches the API export');
  const datasetId = new URL(page.url()).pathname.split('/')[2];
  await page.getByRole('button', { name: /Export/ }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('menuitem', { name: 'CSV' }).click(),
  ]);
  const downloaded = readFileSync(await download.path());
  const apiB64 = await page.evaluate(async (dsid) => {
    const r = await fetch(`/api/v1/datasets/${dsid}/export?format=csv`, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`export answered ${r.status}`);
    const buf = new Uint8Array(await r.arrayBuffer());
    let s = '';
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return btoa(s);
  }, datasetId);
  const fromApi = Buffer.from(apiB64, 'base64');
  assert(downloaded.length > 0, 'download is not empty');
  assert(downloaded.equals(fromApi), `downloaded CSV (${downloaded.length} B) equals the API export (${fromApi.length} B)`);
  const lines = downloaded.toString('utf8').trim().split(/\r?\n/);
  assert(lines.length === 5001, `export has a header and 5,000 rows (got ${lines.length} lines)`);

  step('the XLSX dataset');
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Data flow' }).click();
  await page.getByTestId('dropzone').waitFor();
  await openDatasetFromUpload(page, 'sales.xlsx');
  const xlsxCount = await page.getByTestId('row-count').innerText();
  assert(xlsxCount.includes('120'), `xlsx row count shows 120 (got "${xlsxCount}")`);
  await waitCell(page, 2, 0, (t) => t === '1', 'xlsx first row id');
}

async function headVersion(page) {
  return (await page.getByTitle('Dataset version').innerText()).trim();
}

async function waitHeadVersion(page, expected, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await headVersion(page).catch(() => '');
    if (last === expected) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`head version badge: expected ${expected}, last "${last}"`);
}

/** Suggestions need the version's profile; retry while it is still being computed. */
async function waitSuggestions(page, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await page.getByTestId('suggestion').count()) > 0) return;
    const suggestions = page.locator('section[aria-labelledby="suggestions-title"]');
    const errorButton = suggestions.getByRole('button', { name: 'Try again' });
    if (Date.now() > deadline) {
      throw new Error(`no suggestions shown: ${(await suggestions.innerText()).replace(/\s+/g, ' ')}`);
    }
    if ((await errorButton.count()) > 0) await errorButton.click();
    await page.waitForTimeout(1000);
  }
}

/**
 * Scenario 3: cleaning (issue #6). Upload a dirty CSV, preview a suggestion, apply it as
 * version 2, build and preview a recipe, restore version 1 and see the head move back.
 */
async function cleanScenario({ page, step, shot }) {
  const id = unique();
  const rows = dirtyRows(200);
  const csv = toCsv(DIRTY_HEADER, rows);

  step('register, create a project, upload a dirty CSV');
  await register(page, { name: 'Cleo Clean', email: `clean-${id}@example.com`, org: 'Clean Org' });
  await createProject(page, 'Cleaning');
  await page.getByRole('link', { name: 'Cleaning', exact: true }).click();
  await page.getByTestId('dropzone').waitFor();
  await dropFiles(page, [{ name: 'dirty.csv', type: 'text/csv', b64: Buffer.from(csv).toString('base64') }]);
  await waitUploadsDone(page, ['dirty.csv']);
  await openDatasetFromUpload(page, 'dirty.csv');
  const rowCount = await page.getByTestId('row-count').innerText();
  assert(rowCount.includes(`${rows.length}`), `row count shows ${rows.length} (got "${rowCount}")`);
  assert((await headVersion(page)) === 'v1', 'the upload is version 1');

  step('open the Clean tab: suggestions and history');
  await page.getByRole('link', { name: 'Clean', exact: true }).click();
  await page.getByRole('heading', { name: 'History', exact: true }).waitFor();
  await waitSuggestions(page);
  await page.locator('[data-testid="timeline-version"][data-version="1"][aria-current="true"]').waitFor();
  await shot('clean');

  step('preview the first suggestion');
  const first = page.getByTestId('suggestion').first();
  const summary = (await first.locator('.suggestion__summary').innerText()).trim();
  console.log(`    suggestion: ${summary}`);
  await first.getByRole('button', { name: /^Preview/ }).click();
  const affected = page.getByTestId('preview-affected');
  await affected.waitFor({ timeout: 60_000 });
  const affectedCount = Number((await affected.innerText()).replace(/,/g, ''));
  assert(affectedCount > 0, `the preview affects rows (got ${affectedCount})`);
  const diffRows = await page.getByTestId('diff-row').count();
  assert(diffRows > 0, 'the diff grid shows changed rows');
  const changedCells = await page.locator('[data-testid="diff-row"] [data-changed]').count();
  assert(changedCells > 0, 'changed cells are marked');
  assert((await headVersion(page)) === 'v1', 'a preview changes nothing');
  await shot('clean-preview');

  step('apply the suggestion: version 2');
  await page.getByLabel(/Message/).fill('e2e: first suggestion');
  await page.getByRole('button', { name: 'Apply as new version' }).click();
  const done = page.getByTestId('apply-done');
  await done.waitFor({ timeout: 60_000 });
  assert((await done.innerText()).includes('version 2'), `apply names version 2 (got "${await done.innerText()}")`);
  await waitHeadVersion(page, 'v2');
  await page.locator('[data-testid="timeline-version"][data-version="2"][aria-current="true"]').waitFor();
  await page.getByText('“e2e: first suggestion”').waitFor();
  await shot('clean-applied');

  step('build a recipe and preview it');
  await page.getByLabel('Operation to add').selectOption('deduplicate');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByTestId('recipe-step').first().waitFor();
  await page.getByRole('button', { name: 'Preview recipe' }).click();
  await page.getByTestId('preview-facts').waitFor({ timeout: 60_000 });
  const facts = await page.getByTestId('preview-facts').innerText();
  console.log(`    recipe preview: ${facts.replace(/\s+/g, ' ')}`);
  await shot('clean-builder');

  step('restore version 1: the head moves back, history kept');
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Restore version 1?' }).waitFor();
  await shot('clean-restore-confirm');
  await dialog.getByRole('button', { name: 'Restore version 1' }).click();
  await page.getByTestId('restore-done').waitFor({ timeout: 60_000 });
  await waitHeadVersion(page, 'v1');
  await page.locator('[data-testid="timeline-version"][data-version="1"][aria-current="true"]').waitFor();
  assert(
    (await page.locator('[data-testid="timeline-version"][data-version="2"]').count()) === 1,
    'version 2 is still in the history',
  );
  await page.getByTestId('timeline-restore').first().waitFor();
  // The recipe preview was made on version 2: it can no longer be applied.
  await page.getByText(/Preview again to apply/).waitFor();
  await shot('clean-history');

  step('the Data tab shows the restored rows');
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  const restoredCount = await page.getByTestId('row-count').innerText();
  assert(restoredCount.includes(`${rows.length}`), `restored row count ${rows.length} (got "${restoredCount}")`);
}

export const scenarios = [
  { name: 'auth', title: 'auth and workspace', run: authScenario },
  { name: 'data', title: 'upload, explore, SQL, export', run: (ctx) => dataScenario(ctx, { withProfile: false }) },
  {
    name: 'data-profile',
    title: 'upload, explore, profile, SQL, export',
    run: (ctx) => dataScenario(ctx, { withProfile: true }),
  },
  { name: 'clean', title: 'suggestions, preview, apply, recipe, restore', run: cleanScenario },
];
