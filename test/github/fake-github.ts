/**
 * Test harness for the Action as GitHub runs it:
 * - FakeGitHub: the GitHub API endpoints the Action uses, on loopback, with state, a request log and faults;
 * - pullRequestRepo: a git repository whose base commit and working tree (the PR head) differ, and the event;
 * - runBundledAction: dist/index.js spawned with the runner's environment, and what it left behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../helpers.js';

// ---------------------------------------------------------------------------------------------------------------
// A GitHub API on loopback: the endpoints the Action uses, with state, a request log and injectable faults.

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: { name: string }[];
  comments: string[];
}
export interface Recorded {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

export class FakeGitHub {
  server!: Server;
  url = '';
  requests: Recorded[] = [];
  comments: FakeComment[] = [];
  issues: FakeIssue[] = [];
  /** A personal token's user, as GraphQL's viewer; undefined for an installation token. */
  login: string | undefined = undefined;
  /** An installation token's bot, which only GraphQL's viewer tells: a GITHUB_TOKEN's, or a custom App's. */
  appLogin = 'github-actions[bot]';
  /** Answer every write (POST, PATCH) with this status. */
  failWrites: number | undefined;
  /** Answer a write whose body is longer than this with 422. */
  maxBody = Infinity;
  /** Never answer (a timeout). */
  hang = false;
  /** Answer the requests that match with this status, or never ('timeout'). */
  failOn: { method: string; path: RegExp; status: number | 'timeout' } | undefined;
  /** How many requests `failOn` answered. */
  injected = 0;
  private nextId = 100;

  reset(): void {
    this.requests = [];
    this.comments = [];
    this.issues = [];
    this.login = undefined;
    this.appLogin = 'github-actions[bot]';
    this.failWrites = undefined;
    this.maxBody = Infinity;
    this.nextId = 100;
    this.hang = false;
    this.failOn = undefined;
    this.injected = 0;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const url = new URL(req.url!, this.url);
    const method = req.method!;
    this.requests.push({ method, path: url.pathname + url.search, body });
    if (this.hang) return;
    const fault = this.failOn;
    if (fault && method === fault.method && fault.path.test(url.pathname)) {
      this.injected += 1;
      if (fault.status === 'timeout') return;
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `injected ${fault.status}` }));
      return;
    }
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const path = url.pathname;
    // GraphQL is a POST but a read: write faults do not apply to it.
    if (method === 'POST' && path === '/graphql') {
      return send(200, { data: { viewer: { login: this.login ?? this.appLogin } } });
    }
    if (method !== 'GET' && this.failWrites)
      return send(this.failWrites, { message: 'Resource not accessible' });
    if (method !== 'GET' && typeof body?.body === 'string' && body.body.length > this.maxBody) {
      return send(422, { message: 'Validation Failed', errors: [{ message: 'body is too long' }] });
    }
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/repos\/o\/r\/issues\/(\d+)\/comments$/))) {
      const number = Number(m[1]);
      if (method === 'GET') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const all = this.comments;
        const slice = all.slice((page - 1) * perPage, page * perPage);
        if (page * perPage < all.length) {
          res.setHeader('link', `<${this.url}${path}?per_page=${perPage}&page=${page + 1}>; rel="next"`);
        }
        return send(200, slice);
      }
      const issue = this.issues.find((i) => i.number === number);
      if (issue) {
        issue.comments.push(String(body!.body));
        return send(201, { id: this.nextId++, body: body!.body });
      }
      const comment = { id: this.nextId++, body: String(body!.body), user: this.author() };
      this.comments.push(comment);
      return send(201, comment);
    }
    if ((m = path.match(/^\/repos\/o\/r\/issues\/comments\/(\d+)$/)) && method === 'PATCH') {
      const comment = this.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = String(body!.body);
      return send(200, comment);
    }
    if (path === '/repos/o/r/issues' && method === 'GET') {
      const label = url.searchParams.get('labels');
      const state = url.searchParams.get('state') ?? 'open';
      return send(
        200,
        this.issues.filter((i) => i.state === state && (!label || i.labels.some((l) => l.name === label))),
      );
    }
    if (path === '/repos/o/r/issues' && method === 'POST') {
      const issue: FakeIssue = {
        number: this.nextId++,
        title: String(body!.title),
        body: String(body!.body),
        state: 'open',
        labels: ((body!.labels as string[]) ?? []).map((name) => ({ name })),
        comments: [],
      };
      this.issues.push(issue);
      return send(201, issue);
    }
    if ((m = path.match(/^\/repos\/o\/r\/issues\/(\d+)$/)) && method === 'PATCH') {
      const issue = this.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (typeof body!.body === 'string') issue.body = body!.body;
      if (body!.state === 'closed' || body!.state === 'open') issue.state = body!.state;
      return send(200, issue);
    }
    send(404, { message: `Not Found: ${method} ${path}` });
  }

  private author() {
    return this.login ? { login: this.login, type: 'User' } : { login: this.appLogin, type: 'Bot' };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A pull request as the runner has it: a git repository whose base commit and working tree (the head) differ.

/** A file's content, or a symbolic link (its target as written: relative to the link's folder, or absolute). */
export type FileSpec = string | { symlink: string };

export interface PullRequestSpec {
  /** The base commit's files, by path relative to the repository root. */
  base: Record<string, FileSpec>;
  /** What the head changes: new content, a link, or null to delete (a file or a whole folder). */
  head?: Record<string, FileSpec | null>;
  /** The PR's labels (names), in `pull_request.labels`. */
  labels?: string[];
  /** The event's `action`: opened, synchronize (new commits, the default), labeled, … */
  action?: string;
  /** `repository.private` (default true). */
  private?: boolean;
  /** Overrides `pull_request.base.sha`, e.g. with a commit the repository does not have. */
  baseSha?: string;
  number?: number;
  /** The label a `labeled` event is about (`label.name` in the payload). */
  label?: string;
  /** The folder the repository is made in (default: the system's temporary folder). */
  within?: string;
}

export interface PullRequestRepo {
  /** The repository root: the workspace, with the head checked out. */
  workspace: string;
  /** The base commit, as committed (the event may say otherwise: `baseSha`). */
  baseSha: string;
  /** The head commit (the working tree is this commit). */
  headSha: string;
  /** The event payload's file (outside the workspace), for GITHUB_EVENT_PATH. */
  eventPath: string;
  event: Record<string, unknown>;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.symlinks=true', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();
}

/** Writes a file or a link at `path` under `root`, replacing whatever is there (never writing through a link). */
export function putFile(root: string, path: string, spec: FileSpec | null): void {
  const absolute = join(root, path);
  rmSync(absolute, { recursive: true, force: true });
  if (spec === null) return;
  mkdirSync(dirname(absolute), { recursive: true });
  if (typeof spec === 'string') writeFileSync(absolute, spec);
  else symlinkSync(spec.symlink, absolute);
}

/**
 * Commits `base`, then applies `head` and commits it too (the working tree is the head, as actions/checkout of
 * the PR's head leaves it), and writes the event payload GitHub would send.
 */
export function pullRequestRepo(spec: PullRequestSpec): PullRequestRepo {
  const workspace = mkdtempSync(join(spec.within ?? tmpdir(), 'idc-guard-pr-'));
  for (const [path, file] of Object.entries(spec.base)) putFile(workspace, path, file);
  git(workspace, 'init', '-q', '-b', 'main');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'base');
  const baseSha = git(workspace, 'rev-parse', 'HEAD');
  for (const [path, file] of Object.entries(spec.head ?? {})) putFile(workspace, path, file);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-qm', 'head', '--allow-empty');
  const headSha = git(workspace, 'rev-parse', 'HEAD');
  const number = spec.number ?? 1;
  const event = {
    action: spec.action ?? 'synchronize',
    number,
    ...(spec.label ? { label: { name: spec.label } } : {}),
    pull_request: {
      number,
      labels: (spec.labels ?? []).map((name) => ({ name })),
      base: { sha: spec.baseSha ?? baseSha, ref: 'main', repo: { full_name: 'o/r' } },
      head: { sha: headSha, ref: 'feature', repo: { full_name: 'o/r' } },
    },
    repository: { full_name: 'o/r', private: spec.private ?? true },
  };
  const eventPath = join(mkdtempSync(join(tmpdir(), 'idc-guard-event-')), 'event.json');
  writeFileSync(eventPath, JSON.stringify(event));
  return { workspace, baseSha, headSha, eventPath, event };
}

/** The tree of `sha` in a fresh folder: what a workflow's own checkout of the base leaves. */
export function exportTree(workspace: string, sha: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'idc-guard-base-checkout-'));
  const tar = execFileSync('git', ['archive', '--format=tar', sha], { cwd: workspace });
  execFileSync('tar', ['-x', '-C', folder], { input: tar });
  return folder;
}

// ---------------------------------------------------------------------------------------------------------------
// The bundled Action, run as the runner runs it.

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
