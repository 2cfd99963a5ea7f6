// The benchmark's shared parts (scripts/bench.js and its stages): paths, one check as a child process with
// its peak RSS and CPU time, and small helpers.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_DATE } from '../bench/generate.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'bench', 'out');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const RESULTS = join(ROOT, 'bench', 'results.json');
export const SEED = 42;
/** Linear when the M→L marginal CPU time per entity is at most this × the S→M one. */
export const TARGET_LINEARITY = 1.5;

/**
 * Loaded into the child with --import: on exit it writes the process's peak resident set size (KB) and its
 * CPU time (user + system, µs), both from getrusage, to stderr after everything the CLI wrote. Exact, and
 * needs nothing installed. CPU time is shown beside wall time because it moves less when the machine is busy.
 */
const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs";' +
    'process.on("exit", () => { const u = process.resourceUsage();' +
    ' writeSync(2, `\\n[bench] maxRSS_KB=${u.maxRSS} cpu_us=${u.userCPUTime + u.systemCPUTime}\\n`); });',
)}`;
const RSS_LINE = /\n?\[bench\] maxRSS_KB=(\d+) cpu_us=(\d+)\n/;

/** One check as a child process: wall time from spawn to exit, peak RSS from the probe, the JSON report. */
export function runCheck(root, nodeArgs = ['--import', RSS_PROBE]) {
  const args = [
    ...nodeArgs,
    CLI,
    'check',
    '--root',
    root,
    '--live',
    'off',
    '--format',
    'json',
    '--fail-on',
    'never',
  ];
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, IDC_GUARD_NOW: CHECK_DATE, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      let err = Buffer.concat(stderr).toString('utf8');
      const m = RSS_LINE.exec(err);
      const rssKB = m ? Number(m[1]) : NaN;
      const cpuMs = m ? Number(m[2]) / 1000 : NaN;
      if (m) err = err.replace(RSS_LINE, '');
      let report;
      try {
        report = JSON.parse(Buffer.concat(stdout).toString('utf8'));
      } catch (e) {
        if (code === 0) return reject(new Error(`the check printed no JSON report (${e.message}): ${err}`));
      }
      resolvePromise({ code, wallMs, cpuMs, rssKB, report, stderr: err });
    });
  });
}

/** JSON as the repository's Prettier writes it (results.json is committed and `npm run lint` checks it). */
export async function formatJson(file, value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const { default: prettier } = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, filepath: file });
  } catch {
    return text; // Prettier is a devDependency: without it the file is still valid JSON
  }
}

export function countByRule(findings) {
  const out = {};
  for (const f of findings) out[f.ruleId] = (out[f.ruleId] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function mb(bytes) {
  return (bytes / 1024 / 1024).toFixed(1);
}

export function mark(ok) {
  return ok === null ? 'n/a' : ok ? 'PASS' : 'FAIL';
}

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
