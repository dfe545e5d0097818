// Adds up the vitest JSON reports of every package into one closing line: "N passed, N failed, N skipped",
// after the skips counted by reason (a skipped test's title ends with "[skipped: reason]" or "(skipped: ...)").
// Exits 1 when any test failed or when no test ran at all.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
const reasons = new Map();
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(group)) {
    const file = join(group, name, 'test-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += s;
    for (const file of r.testResults ?? []) {
      for (const a of file.assertionResults ?? []) {
        if (a.status !== 'pending' && a.status !== 'skipped' && a.status !== 'todo') continue;
        // "[skipped: why]" or "(skipped: why)" in the title; a test that skips itself at run time logs why
        const why = /[[(]skipped: (.*)[\])]\s*$/.exec(a.title)?.[1] ?? '(skipped at run time: its log says why)';
        const key = `${join(group, name)}: ${why}`;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
    rows.push(`${join(group, name).padEnd(26)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${s} skipped`);
  }
}
console.log(rows.join('\n'));
if (reasons.size > 0) {
  console.log('skipped, by reason:');
  for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${why}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
