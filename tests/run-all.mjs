#!/usr/bin/env node
// `npm test`: every stage in order — environment check, typecheck, lint, unit + integration, fault injection,
// end-to-end — each announced before it starts (Vietnamese first), timed, and on failure told what to do next.
// Plain JavaScript with no dependencies, so that it runs even before `npm ci` has finished its job.
// Ends with one line `tests: N passed, N failed, N skipped` summed over vitest's and Playwright's reports.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const reports = mkdtempSync(path.join(os.tmpdir(), 'motcua-test-reports-'));
const report = (name) => path.join(reports, `${name}.json`);

// The two roots of the TypeScript project graph (tsc -b): the Node side (tests, bench, services, CLI), which
// references shared, shared-node, central, the renderer and the fault counter page; and the Electron shell.
const typecheckProjects = ['tsconfig.json', 'electron/tsconfig.json'];

/** Each stage: what it is, the commands, and what to do when it fails. */
const stages = [
  {
    vi: 'Kiểm tra môi trường',
    en: 'environment check',
    commands: [['bash', 'tests/environment/check.sh']],
    fix: 'Cài những gói còn thiếu ở trên (hoặc chạy .ci/run) / install what is listed above (or run .ci/run)',
  },
  {
    vi: 'Kiểm tra kiểu TypeScript',
    en: 'typecheck (tsc -b: each project once)',
    commands: [[bin('tsc'), '-b', ...typecheckProjects]],
    fix: 'Sửa lỗi kiểu ở trên; chạy lại / fix the type errors above; again: npm run typecheck',
  },
  { vi: 'Kiểm tra mã (lint)', en: 'lint', commands: [[bin('eslint'), '--max-warnings=0', '.']], fix: 'npm run lint (npx eslint --fix for the fixable ones)' },
  { vi: 'Mã và phụ thuộc không dùng (knip)', en: 'unused exports, files and dependencies (knip)', commands: [[bin('knip')]], fix: 'npm run knip: remove the export (or the code) it names, or declare a real entry point in knip.json' },
  {
    vi: 'Kiểm thử đơn vị và tích hợp',
    en: 'unit + integration tests (vitest)',
    commands: [[bin('vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report('vitest')}`]],
    fix: 'Chạy lại một tệp / re-run one file: npx vitest run tests/integration/<file>.test.ts',
  },
  {
    vi: 'Kiểm thử chịu lỗi',
    en: 'fault-injection suite',
    commands: [[bin('vitest'), 'run', '--config', 'tests/fault/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${report('fault')}`]],
    fix: 'npm run test:fault (as root); the seed is printed above — docs/fault-injection.md says how to replay it',
  },
  {
    vi: 'Kiểm thử đầu cuối trong Chromium',
    en: 'end-to-end tests in Chromium',
    commands: [
      [bin('vite'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
      [bin('playwright'), 'test', '--reporter=list,json'],
    ],
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: report('e2e') },
    fix: 'npm run test:e2e; screenshots and traces of the failure are in test-results/e2e',
  },
];

const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;

function run([program, ...args], env) {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (err) => {
      console.error(`cannot start ${program}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** passed / failed / skipped from vitest's and Playwright's JSON reports (absent ones count nothing). */
function counts() {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const read = (name) => {
    try {
      return JSON.parse(readFileSync(report(name), 'utf8'));
    } catch {
      return undefined;
    }
  };
  for (const name of ['vitest', 'fault']) {
    const r = read(name);
    if (!r) continue;
    total.passed += r.numPassedTests ?? 0;
    total.failed += r.numFailedTests ?? 0;
    total.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  const e2e = read('e2e')?.stats;
  if (e2e) {
    total.passed += (e2e.expected ?? 0) + (e2e.flaky ?? 0);
    total.failed += e2e.unexpected ?? 0;
    total.skipped += e2e.skipped ?? 0;
  }
  return total;
}

const started = Date.now();
let failedExitCode;
for (const [index, stage] of stages.entries()) {
  const label = `[${index + 1}/${stages.length}] ${stage.vi} / ${stage.en}`;
  console.log(`\n▶ ${label}`);
  const stageStarted = Date.now();
  let code = 0;
  for (const command of stage.commands) {
    if (stage.commands.length > 1) console.log(`  … ${command.slice(0, 3).map((part) => path.relative(root, part) || part).join(' ')}`);
    code = await run(command, stage.env);
    if (code !== 0) break;
  }
  if (code !== 0) {
    console.error(`\n✗ ${label}: thất bại / failed (exit ${code}) after ${seconds(Date.now() - stageStarted)}\n  → ${stage.fix}`);
    failedExitCode = code;
    break;
  }
  console.log(`✓ ${label}: ${seconds(Date.now() - stageStarted)}`);
}

const { passed, failed, skipped } = counts();
rmSync(reports, { recursive: true, force: true });
console.log(`\nnpm test: ${failedExitCode === undefined ? 'xong / done' : 'DỪNG / STOPPED'} in ${seconds(Date.now() - started)}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failedExitCode ?? (failed > 0 ? 1 : 0);
