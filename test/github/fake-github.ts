/**
 * A GitHub API on loopback for tests of the Action: the endpoints the Action uses, with state, a request log and
 * faults. With it, for the Action as GitHub runs it: pull-request-repo.ts (a git repository whose base commit and
 * working tree, the PR head, differ, and the event) and bundled-action.ts (dist/index.js spawned with the
 * runner's environment, and what it left behind).
 */
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** Starts `github` before the file's tests, resets it before each test, and stops it after them. */
export function useFakeGitHub(github: FakeGitHub): FakeGitHub {
  beforeAll(() => github.start());
  afterAll(() => github.stop());
  beforeEach(() => github.reset());
  return github;
}
