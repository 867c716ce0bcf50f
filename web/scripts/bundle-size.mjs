// Reports the gzipped size of what the main route loads (entry chunk, its static imports
// and CSS) from Vite's manifest, and fails when it exceeds the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_KB = 250;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const seen = new Set();
const files = [];
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  files.push(chunk.file, ...(chunk.css ?? []));
  (chunk.imports ?? []).forEach(visit);
}
Object.entries(manifest)
  .filter(([, c]) => c.isEntry)
  .forEach(([k]) => visit(k));

let total = 0;
for (const f of files) {
  const size = gz(f);
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${f}`);
}
const lazy = Object.values(manifest).filter((c) => c.isDynamicEntry);
for (const c of lazy)
  console.log(`  (lazy) ${(gz(c.file) / 1024).toFixed(1).padStart(8)} KB  ${c.file}`);
console.log(`main route: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB * 1024) {
  console.error('bundle budget exceeded');
  process.exit(1);
}
