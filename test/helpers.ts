import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type CliIO } from '../src/cli/main.js';
import { runCheck, type CheckOptions } from '../src/engine.js';
import { summarize, type Report } from '../src/findings/report.js';
import type { Finding, Severity } from '../src/findings/types.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
/** Every test runs at this date, so token-expiry findings do not change with the calendar. */
export const TEST_NOW = new Date('2026-11-23T00:00:00Z');

/** Writes `files` (path → content) into a fresh temporary repository and returns its root. */
export function makeRepo(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'idc-guard-test-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export async function check(root: string, options: Partial<CheckOptions> = {}) {
  return runCheck({ root, live: 'off', now: TEST_NOW, ...options });
}

/** The parts of a finding a test asserts on: rule, file, line (and column where it matters). */
export function where(findings: Finding[]): { ruleId: string; file: string; line: number }[] {
  return findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line }));
}

export async function runCli(argv: string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    color: false,
    cwd,
    env: { IDC_GUARD_NOW: '2026-11-23', ...env },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

let findingSeq = 0;
/** A finding for renderer tests: each call gets its own line, entity and fingerprint. */
export function fakeFinding(severity: Severity, overrides: Partial<Finding> = {}): Finding {
  findingSeq++;
  return {
    ruleId: 'IDC005',
    severity,
    message: `${severity} ${findingSeq}`,
    file: 'identity/groups.yaml',
    line: findingSeq,
    column: 3,
    entity: { kind: 'group', name: `g${findingSeq}` },
    fingerprint: `fp${findingSeq}`,
    suppressed: false,
    ...overrides,
  };
}

/** A report around `findings`, for renderer tests. */
export function fakeReport(findings: Finding[], extra: Partial<Report> = {}): Report {
  return {
    version: 1,
    summary: summarize(findings),
    findings,
    errors: [],
    notices: [],
    stats: { files: 1, apiCalls: 0, durationMs: 0 },
    ...extra,
  };
}

/** `idc-guard check --live aws` of `root` in a mode and format, through the CLI. */
export function checkAwsCli(root: string, mode: 'check' | 'drift', format = 'json') {
  return runCli(['check', '--root', root, '--live', 'aws', '--mode', mode, '--format', format]);
}

/** git in `cwd`, as a fixed test author, trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();
}
