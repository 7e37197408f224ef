#!/usr/bin/env node
// `npm test`: type-check, lint, unit/integration tests (vitest) and end-to-end tests (Playwright on
// the system Chromium), in that order. Every stage runs even when an earlier one fails, so one run
// shows everything; the exit code is non-zero if anything failed. The last line is the summary:
// "N passed, N failed, N skipped" (tests from vitest and Playwright, plus one per check stage).
//
//   npm test                 everything
//   npm test -- --unit       type-check, lint, vitest
//   npm test -- --e2e        Playwright only
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, '.test-results');
fs.mkdirSync(outDir, { recursive: true });
const argv = process.argv.slice(2);
const onlyUnit = argv.includes('--unit');
const onlyE2e = argv.includes('--e2e');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const totals = { passed: 0, failed: 0, skipped: 0 };
const stages = [];

function run(label, cmd, args, { timeoutMin = 30, env = {} } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    console.log(`\n▶ ${label}: ${path.basename(cmd)} ${args.join(' ')}`);
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', ...env } });
    const timer = setTimeout(() => {
      console.error(`✗ ${label}: still running after ${timeoutMin} min, stopping it`);
      child.kill('SIGKILL');
    }, timeoutMin * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      resolve({ code: code ?? 1, signal, secs });
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      console.error(`✗ ${label}: ${e.message}`);
      resolve({ code: 1, signal: null, secs: '0' });
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

async function check(label, cmd, args) {
  const r = await run(label, cmd, args);
  const ok = r.code === 0;
  totals[ok ? 'passed' : 'failed']++;
  stages.push(`${ok ? '✓' : '✗'} ${label} (${r.secs} s)`);
}

if (!onlyE2e) {
  await check('typecheck node', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
  await check('typecheck web', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
  await check('typecheck web tests', bin('tsc'), ['-p', 'tsconfig.web-test.json', '--noEmit']);
  await check('typecheck e2e', bin('tsc'), ['-p', 'tsconfig.e2e.json', '--noEmit']);
  await check('lint', bin('eslint'), ['.', '--max-warnings', '0']);
  await check('format', bin('prettier'), ['--check', '--log-level', 'warn', '**/*.{ts,tsx,mts,mjs,cjs,js,css}']);

  const vitestJson = path.join(outDir, 'vitest.json');
  fs.rmSync(vitestJson, { force: true });
  const r = await run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  const j = readJson(vitestJson);
  if (j) {
    const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    totals.passed += j.numPassedTests ?? 0;
    totals.failed += j.numFailedTests ?? 0;
    totals.skipped += skipped;
    // A crashed test file (import error, worker died) fails no single test: count it.
    const brokenFiles = (j.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
    totals.failed += brokenFiles;
    if (r.code !== 0 && !j.numFailedTests && !brokenFiles) totals.failed++;
    stages.push(`${r.code === 0 ? '✓' : '✗'} vitest: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped, ${brokenFiles} files broken (${r.secs} s)`);
  } else {
    totals.failed++;
    stages.push(`✗ vitest: no results (exit ${r.code}) (${r.secs} s)`);
  }
}

if (!onlyUnit) {
  const config = path.join(root, 'e2e', 'playwright.config.ts');
  if (!fs.existsSync(config)) {
    console.log('\n(no e2e/playwright.config.ts: end-to-end stage not present)');
  } else {
    const pwJson = path.join(outDir, 'playwright.json');
    fs.rmSync(pwJson, { force: true });
    const r = await run('playwright', bin('playwright'), ['test', '-c', config, '--reporter=list,json'], {
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson },
    });
    const j = readJson(pwJson);
    if (j?.stats) {
      const s = j.stats;
      totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      totals.failed += s.unexpected ?? 0;
      totals.skipped += s.skipped ?? 0;
      const errs = (j.errors ?? []).length;
      totals.failed += errs;
      if (r.code !== 0 && !s.unexpected && !errs) totals.failed++;
      stages.push(`${r.code === 0 ? '✓' : '✗'} playwright: ${s.expected} passed, ${s.unexpected} failed, ${s.flaky} flaky, ${s.skipped} skipped${errs ? `, ${errs} errors` : ''} (${r.secs} s)`);
    } else {
      totals.failed++;
      stages.push(`✗ playwright: no results (exit ${r.code}) (${r.secs} s)`);
    }
  }
}

console.log('\nSummary');
for (const s of stages) console.log(`  ${s}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed ? 1 : 0;
