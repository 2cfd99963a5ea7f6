/**
 * Test harness: the project's own local IAM Identity Center (test/aws/idc_server.py, moto's server with
 * patches) on a free loopback port, plus a small loopback proxy that can answer chosen operations itself
 * (AccessDenied, expired credentials, 5xx) while passing everything else to the server.
 *
 *   const idc = await startIdcServer();            // throws, with how to install moto, when it cannot
 *   Object.assign(process.env, idc.env);           // or pass idc.endpoint to the clients
 *   await idc.reset(); ... await idc.calls(); ... await idc.stop();
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createConnection, createServer as createNetServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'idc_server.py');
const START_TIMEOUT_MS = 10_000;
const INSTALL_HINT = "install moto's server into that python with: python3 -m pip install 'moto[server]'";

export interface IdcServerOptions {
  /** Requests a second over both services (one token bucket, burst = tps); 0 or absent: no limit. */
  tps?: number;
  /** The fraction of eligible requests answered with HTTP 500 InternalServerException. */
  faultRate?: number;
  /** Seed of the fault sequence (default 0): the same calls, in the same order, fail the same way. */
  faultSeed?: number;
  /** The operations that may fault (default: all). */
  faultOps?: string[];
  /** Added to every Identity Store and SSO Admin request. */
  latencyMs?: number;
}

export interface IdcCalls {
  total: number;
  byOperation: Record<string, number>;
  throttled: number;
  faulted: number;
}

export interface IdcServer {
  endpoint: string;
  /** The environment that points the AWS SDK's default chain at this server. */
  env: {
    AWS_ENDPOINT_URL: string;
    AWS_REGION: string;
    AWS_ACCESS_KEY_ID: string;
    AWS_SECRET_ACCESS_KEY: string;
  };
  pid: number;
  /** moto's reset: all state, the counters, the token bucket and the fault sequence. */
  reset(): Promise<void>;
  /**
   * Seeds moto's random source (right after a reset): the instance, identity store, group, user and permission
   * set IDs then repeat, as long as the calls that create them come in the same order.
   */
  seed(value: number): Promise<void>;
  /** What the server received since the last reset (every attempt counts). */
  calls(): Promise<IdcCalls>;
  /** Zeroes the counters only. */
  resetCalls(): Promise<void>;
  /** Changes the rate limit while running (0: none). */
  setTps(tps: number): Promise<void>;
  /** Kills the server and waits until its port is closed. */
  stop(): Promise<void>;
}

let pythonFound: string | undefined;

/** A python3 that can import moto.server (PATH first, then pyenv's versions), or an Error saying how to get one. */
export function findPython(): string {
  if (pythonFound) return pythonFound;
  const candidates = ['python3'];
  for (const root of new Set([join(homedir(), '.pyenv', 'versions'), '/root/.pyenv/versions'])) {
    let versions: string[];
    try {
      versions = readdirSync(root).sort().reverse();
    } catch {
      continue;
    }
    for (const v of versions) {
      const candidate = join(root, v, 'bin', 'python3');
      if (existsSync(candidate)) candidates.push(candidate);
    }
  }
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import moto.server, flask'], {
      stdio: 'ignore',
      timeout: 20_000,
    });
    if (probe.status === 0) return (pythonFound = candidate);
  }
  throw new Error(
    `The live tests need moto's server, and no python3 with moto[server] was found (tried python3 on PATH and ` +
      `~/.pyenv/versions/*/bin/python3): ${INSTALL_HINT}`,
  );
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startIdcServer(options: IdcServerOptions = {}): Promise<IdcServer> {
  const python = findPython();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
  for (const name of ['IDC_TPS', 'IDC_LATENCY_MS', 'IDC_FAULT_RATE', 'IDC_FAULT_SEED', 'IDC_FAULT_OPS'])
    delete env[name];
  if (options.tps) env.IDC_TPS = String(options.tps);
  if (options.latencyMs) env.IDC_LATENCY_MS = String(options.latencyMs);
  if (options.faultRate) env.IDC_FAULT_RATE = String(options.faultRate);
  if (options.faultSeed !== undefined) env.IDC_FAULT_SEED = String(options.faultSeed);
  if (options.faultOps?.length) env.IDC_FAULT_OPS = options.faultOps.join(',');

  const child = spawn(python, [SERVER_SCRIPT, '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal;
      running.delete(child);
      resolve();
    }),
  );
  child.once('error', (error) => {
    keep(Buffer.from(String(error)));
    exited ??= 'spawn error';
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(
        `The local Identity Center server (${python} ${SERVER_SCRIPT}) exited during start-up (${exited}). ` +
          `If moto is missing or broken, ${INSTALL_HINT}. End of its output:\n${tail(log)}`,
      );
    }
    if (await answers(`${endpoint}/moto-api/idc/calls`)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exit;
      throw new Error(
        `The local Identity Center server (${python} ${SERVER_SCRIPT}) did not answer on port ${port} within ` +
          `${START_TIMEOUT_MS / 1000} s. If moto is missing or broken, ${INSTALL_HINT}. End of its output:\n${tail(log)}`,
      );
    }
    await sleep(50);
  }

  const post = async (path: string) => {
    const response = await fetch(`${endpoint}${path}`, { method: 'POST' });
    if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  let stopped: Promise<void> | undefined;

  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    },
    pid: child.pid ?? -1,
    reset: () => post('/moto-api/reset'),
    seed: (value) => post(`/moto-api/seed?a=${value}`),
    resetCalls: () => post('/moto-api/idc/calls/reset'),
    setTps: (tps) => post(`/moto-api/idc/tps?value=${tps}`),
    calls: async () => {
      const response = await fetch(`${endpoint}/moto-api/idc/calls`);
      if (!response.ok) throw new Error(`GET /moto-api/idc/calls: HTTP ${response.status}`);
      return (await response.json()) as IdcCalls;
    },
    stop: () =>
      (stopped ??= (async () => {
        if (exited === undefined) child.kill('SIGTERM');
        // Wait for the port to close, not for the process: an exited server may stay a zombie a while.
        const until = Date.now() + 5000;
        while ((await portOpen(port)) && Date.now() < until) await sleep(50);
        if (await portOpen(port)) {
          child.kill('SIGKILL');
          while (await portOpen(port)) await sleep(50);
        }
      })()),
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ------------------------------------------------------------------------------------------------------------
// A loopback proxy in front of the server, for answers moto cannot give (AccessDenied, expired credentials)
// ------------------------------------------------------------------------------------------------------------

/** What the proxy answers in the server's place (any JSON body); undefined passes the request on. */
export interface ProxyAnswer {
  status: number;
  body: unknown;
}

/** An AWS JSON error answer, e.g. awsError('AccessDeniedException', 'User … is not authorized …'). */
export function awsError(type: string, message: string, status = 400): ProxyAnswer {
  return { status, body: { __type: type, message } };
}

export interface ProxyRequest {
  /** The operation, from X-Amz-Target (e.g. "ListGroups"). */
  operation: string;
  /** The JSON body as sent. */
  body: Record<string, unknown>;
}

export interface IdcProxy {
  endpoint: string;
  /** Operations seen, including those the proxy answered itself, by operation. */
  seen: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Starts an HTTP proxy on a free loopback port that forwards to `target`, except that `answer` may reply in
 * the server's place (an AWS JSON error, see {@link awsError}, or any JSON answer).
 */
export async function startProxy(
  target: string,
  answer: (request: ProxyRequest) => ProxyAnswer | undefined,
): Promise<IdcProxy> {
  const upstream = new URL(target);
  const seen: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let body: Record<string, unknown> = {};
      try {
        body = raw.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
      } catch {
        // not JSON: pass it on
      }
      if (operation) seen[operation] = (seen[operation] ?? 0) + 1;
      const reply = operation ? answer({ operation, body }) : undefined;
      if (reply) {
        const payload = JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          'Content-Type': 'application/x-amz-json-1.1',
          'Content-Length': Buffer.byteLength(payload),
          'x-amzn-RequestId': 'proxy',
        });
        res.end(payload);
        return;
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * For a test file: one local server for all its tests, its endpoint and credentials in process.env while they
 * run, and the environment restored after. Returns a getter, since the server starts in beforeAll.
 */
export function useIdcServer(options: IdcServerOptions = {}): () => IdcServer {
  let server: IdcServer | undefined;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    server = await startIdcServer(options);
    Object.assign(process.env, server.env);
  }, 30_000);
  afterAll(async () => {
    process.env = savedEnv;
    await server?.stop();
  });
  return () => server!;
}
