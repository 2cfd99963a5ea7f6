// The live-read benchmark (scripts/bench-live.js): starting the local Identity Center server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { INSTALL_HINT, ROOT, SERVER_SCRIPT } from './constants.js';
import { sleep } from './helpers.js';

/** A python3 that can import moto.server: python3 on PATH, then ~/.pyenv/versions/<newest first>. */
export function findPython() {
  const candidates = ['python3'];
  const versions = join(homedir(), '.pyenv', 'versions');
  if (existsSync(versions)) {
    for (const v of readdirSync(versions).sort().reverse()) {
      const candidate = join(versions, v, 'bin', 'python3');
      if (existsSync(candidate)) candidates.push(candidate);
    }
  }
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import moto, moto.server; print(moto.__version__)'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (probe.status === 0) return { python: candidate, moto: probe.stdout.trim() };
  }
  throw new LiveBenchError(
    "the live stage needs moto's server, and no python3 with moto[server] was found (tried python3 on PATH " +
      `and ~/.pyenv/versions/*/bin/python3): ${INSTALL_HINT}, or skip the stage with --no-live`,
  );
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

export function portOpen(port) {
  return new Promise((resolveOpen) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
  });
}

/** Starts test/aws/idc_server.py on a free loopback port (no rate limit) and waits until it answers. */
export async function startServer() {
  const { python, moto } = findPython();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PYTHONUNBUFFERED: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('IDC_')) delete env[name];
  const child = spawn(python, [SERVER_SCRIPT, '-H', '127.0.0.1', '-p', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => (log = (log + chunk).slice(-6000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited;
  child.once('exit', (code, signal) => (exited = code ?? signal));
  child.once('error', (error) => (exited = String(error)));
  const kill = () => exited === undefined && child.kill('SIGKILL');
  process.once('exit', kill);

  const request = async (method, path) => {
    const response = await fetch(`${endpoint}${path}`, { method, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited !== undefined) {
      throw new LiveBenchError(
        `the local Identity Center server (${python} ${relative(ROOT, SERVER_SCRIPT)}) exited during start-up ` +
          `(${exited}); if moto is missing or broken: ${INSTALL_HINT}. Its output:\n${log.trim()}`,
      );
    }
    try {
      await request('GET', '/moto-api/idc/calls');
      break;
    } catch {
      if (Date.now() > deadline) {
        kill();
        throw new LiveBenchError(
          `the local Identity Center server did not answer on port ${port} within 20 s; if moto is missing or ` +
            `broken: ${INSTALL_HINT}. Its output:\n${log.trim()}`,
        );
      }
      await sleep(100);
    }
  }
  return {
    endpoint,
    python,
    moto,
    reset: () => request('POST', '/moto-api/reset'),
    seedRandom: (value) => request('POST', `/moto-api/seed?a=${value}`),
    setTps: (value) => request('POST', `/moto-api/idc/tps?value=${value}`),
    calls: () => request('GET', '/moto-api/idc/calls'),
    resetCalls: () => request('POST', '/moto-api/idc/calls/reset'),
    async stop() {
      process.removeListener('exit', kill);
      if (exited === undefined) child.kill('SIGTERM');
      // Wait for the port to close, not for the process (an exited server may linger as a zombie).
      const until = Date.now() + 5_000;
      while ((await portOpen(port)) && Date.now() < until) await sleep(50);
      if (await portOpen(port)) {
        child.kill('SIGKILL');
        while (await portOpen(port)) await sleep(50);
      }
    },
  };
}

export class LiveBenchError extends Error {}
