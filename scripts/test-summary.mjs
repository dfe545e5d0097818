// Adds up the vitest JSON reports of every package into one closing line: "N passed, N failed, N skipped".
// Exits 1 when any test failed or when no test ran at all.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(group)) {
    const file = join(group, name, 'test-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += s;
    rows.push(`${join(group, name).padEnd(26)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${s} skipped`);
  }
}
console.log(rows.join('\n'));
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
