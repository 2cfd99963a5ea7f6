/**
 * The bundled Action (dist/index.js), run as the runner runs it: spawned with the runner's environment, and
 * what it left behind (log, job summary, outputs, the JSON report).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers.js';

export interface BundledActionRun {
  workspace: string;
  /** Inputs by their action.yml names ('fail-on', 'sarif-file'); become INPUT_<NAME> (upper case). */
  inputs?: Record<string, string>;
  eventPath: string;
  /** GITHUB_EVENT_NAME (default pull_request_target). */
  eventName?: string;
  /** The loopback GitHub's URL (GITHUB_API_URL). */
  githubUrl: string;
  /** More environment: AWS_* for live state. Nothing else of this process's environment is passed on. */
  env?: NodeJS.ProcessEnv;
  /** The run is killed after this long (default 15 s); `timedOut` says so. */
  timeoutMs?: number;
}

export interface BundledActionResult {
  status: number | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** The job summary (GITHUB_STEP_SUMMARY) as written. */
  summary: string;
  /** The step's outputs (GITHUB_OUTPUT). */
  outputs: Record<string, string>;
  /** The JSON report (the report-file output), parsed; undefined when there is none. */
  report?: ActionReport;
  /** The report file's text, for searching. */
  reportText: string;
  /** The runner's temporary folder of this run (RUNNER_TEMP), outside the workspace. */
  temp: string;
}

export interface ActionReport {
  summary: Record<string, number>;
  findings: {
    ruleId: string;
    severity: string;
    message: string;
    file: string;
    line: number;
    suppressed: boolean;
    suppression?: unknown;
  }[];
  errors: { message: string; source?: string }[];
  notices: { message: string }[];
  stats: { files: number; apiCalls: number; durationMs: number };
}

/** The `name<<delimiter` blocks @actions/core 3 appends to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^([^\n<]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm;
  for (const [, name, , value] of text.matchAll(block)) outputs[name] = value;
  return outputs;
}

/** Spawns dist/index.js asynchronously (so that a loopback server in this process can answer). */
export async function runBundledAction(run: BundledActionRun): Promise<BundledActionResult> {
  const temp = mkdtempSync(join(tmpdir(), 'idc-guard-runner-'));
  const summaryFile = join(temp, 'summary.md');
  const outputFile = join(temp, 'output');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const inputs = { comment: 'true', 'github-token': 't0ken', ...run.inputs };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: run.workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_EVENT_NAME: run.eventName ?? 'pull_request_target',
    GITHUB_EVENT_PATH: run.eventPath,
    GITHUB_API_URL: run.githubUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    RUNNER_TEMP: temp,
    IDC_GUARD_NOW: '2026-11-23',
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
    ...run.env,
  };
  const started = Date.now();
  const { status, timedOut, stdout, stderr } = await new Promise<{
    status: number | null;
    timedOut: boolean;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'index.js')], { cwd: run.workspace, env });
    let out = '';
    let err = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, run.timeoutMs ?? 15_000);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code, timedOut: killed, stdout: out, stderr: err });
    });
  });
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
  const reportFile = outputs['report-file'];
  const reportText = reportFile && existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '';
  return {
    status,
    timedOut,
    durationMs: Date.now() - started,
    stdout,
    stderr,
    summary: readFileSync(summaryFile, 'utf8'),
    outputs,
    report: reportText ? (JSON.parse(reportText) as ActionReport) : undefined,
    reportText,
    temp,
  };
}
