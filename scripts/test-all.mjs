// `npm test`: every check in one run — lint, types, build, unit/core (Vitest), e2e (Chromium), the
// Electron suite — then `N skipped` when any were, and one closing line `N passed, N failed`, counted
// from the runners' reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
// Each failed test by file and title, printed again at the end: CI keeps only the tail of the output.
const failedTests = [];

function run(label, command, args) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  console.log(
    `=== ${label}: exit ${result.status ?? result.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return result.status === 0;
}

/** A step with no test report of its own counts as one check. */
function check(label, command, args) {
  if (run(label, command, args)) results.passed++;
  else {
    results.failed++;
    failures.push(label);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** A runner's own counts; a runner that crashed before reporting counts as one failure. */
function suite(label, command, args, reportFile, count) {
  rmSync(reportFile, { force: true });
  const ok = run(label, command, args);
  const report = readJson(reportFile);
  if (!report) {
    results.failed++;
    failures.push(`${label} (no report)`);
    return;
  }
  const counted = count(report);
  results.passed += counted.passed;
  results.failed += counted.failed;
  results.skipped += counted.skipped;
  if (counted.failed > 0 || !ok) failures.push(label);
  if (!ok && counted.failed === 0) results.failed++;
}

function vitestCounts(report) {
  for (const file of report.testResults ?? []) {
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed)
      failedTests.push(`${relative(file.name)} › ${t.fullName ?? t.title}: ${gist(t.failureMessages?.[0])}`);
    // A file that failed to load has no failed assertion to name.
    if (file.status === 'failed' && failed.length === 0)
      failedTests.push(`${relative(file.name)}: ${gist(file.message)}`);
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

const relative = (file) => file.replace(`${process.cwd()}/`, '');
/** The error's first lines on one line: a first line alone can be just an assertion's label ("Error: web"). */
const gist = (text) =>
  stripVTControlCharacters(String(text ?? ''))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 5)
    .join(' ⏎ ')
    .slice(0, 400);

function playwrightCounts(report) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const walk = (suiteNode) => {
    for (const spec of suiteNode.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'skipped') counts.skipped++;
        else if (t.status === 'expected' || t.status === 'flaky') counts.passed++;
        else {
          counts.failed++;
          const error = t.results?.at(-1)?.error?.message;
          failedTests.push(`${spec.file}:${spec.line} › ${spec.title}: ${gist(error)}`);
        }
      }
    }
    for (const child of suiteNode.suites ?? []) walk(child);
  };
  for (const s of report.suites ?? []) walk(s);
  return counts;
}

mkdirSync('test-results', { recursive: true });
check('lint', 'npx', ['eslint', '.']);
check('format', 'npx', ['prettier', '--check', '.']);
check('typecheck', 'npx', ['vue-tsc', '-b']);
check('build', 'npx', ['electron-vite', 'build']);
suite(
  'core and contract (vitest)',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json'],
  'test-results/vitest.json',
  vitestCounts,
);
if (existsSync('out/main/server.js')) {
  suite(
    'e2e (playwright, chromium, headless mode)',
    'npx',
    ['playwright', 'test', '--config', 'tests/e2e/playwright.config.ts'],
    'test-results/e2e.json',
    playwrightCounts,
  );
} else {
  results.failed++;
  failures.push('e2e (no build to test)');
}
suite(
  'electron (playwright _electron)',
  'npx',
  ['playwright', 'test', '--config', 'tests/electron/playwright.config.ts'],
  'test-results/electron.json',
  playwrightCounts,
);

console.log('');
for (const name of failedTests) console.log(`✘ ${name}`);
if (failures.length > 0) console.log(`failed: ${failures.join('; ')}`);
// Skipped tests (the Electron suite where no binary exists) are named on their own line, so the last
// line is exactly the summary CI reads.
if (results.skipped > 0) console.log(`${results.skipped} skipped`);
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed > 0 ? 1 : 0);
