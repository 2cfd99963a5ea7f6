/**
 * Progress of a live read (#18): on a terminal one line redrawn in place, in a CI log a line every 10 s,
 * nothing with --quiet. The unit cases use a clock of their own; the end-to-end cases run the bundled CLI
 * against the local Identity Center, through a pseudo-terminal (`script`) and through a pipe.
 */
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Progress } from '../src/cli/progress.js';
import { seedOrganisation } from './aws/seed.js';
import { useIdcServer, type IdcServer } from './aws/server.js';
import { agreeing, DECLARATIONS } from './live-integration/helpers.js';
import { makeRepo, REPO_ROOT } from './helpers.js';

jest.setTimeout(60_000);

describe('the progress line', () => {
  /** Calls at these times (ms), each with the calls still waiting then (default none). */
  const run = (terminal: boolean, times: (number | [number, number])[]) => {
    let clock = 0;
    const out: string[] = [];
    const progress = new Progress({ write: (t) => out.push(t), terminal, now: () => clock }, 'reading');
    for (const t of times) {
      const [at, waiting] = typeof t === 'number' ? [t, 0] : t;
      clock = at;
      progress.call(waiting);
    }
    progress.done();
    return out;
  };

  it('on a terminal, redraws one line at most every 100 ms and clears it at the end', () => {
    expect(run(true, [50, 120, 150, 1300])).toEqual([
      '\r\u001b[Kidc-guard: reading: 2 API calls, 0 s',
      '\r\u001b[Kidc-guard: reading: 4 API calls, 1 s',
      '\r\u001b[K',
    ]);
  });

  it('says of about how many, from the calls already asked for, and the time left at the rate so far', () => {
    expect(
      run(true, [
        [50, 9],
        [1200, 8],
        [1250, 7],
        [2400, 0],
      ]),
    ).toEqual([
      // 2 calls in 1.2 s, 8 waiting: about 4.8 s more.
      '\r\u001b[Kidc-guard: reading: 2 of about 10 API calls, 1 s, about 4 s left',
      '\r\u001b[Kidc-guard: reading: 4 API calls, 2 s',
      '\r\u001b[K',
    ]);
    // In the first second there is no rate to go by: the total, but no time left.
    expect(run(true, [[500, 30]])).toEqual([
      '\r\u001b[Kidc-guard: reading: 1 of about 31 API calls, 0 s',
      '\r\u001b[K',
    ]);
  });

  it('in a log, writes a line every 10 s and nothing to clear', () => {
    expect(run(false, [1000, 9000, 10_500, 12_000, 21_000, 75_000])).toEqual([
      'idc-guard: reading: 3 API calls, 10 s\n',
      'idc-guard: reading: 5 API calls, 21 s\n',
      'idc-guard: reading: 6 API calls, 1 min 15 s\n',
    ]);
  });
});

describe('the bundled CLI reading the local Identity Center', () => {
  const idc = useIdcServer();
  let server: IdcServer;
  let root: string;
  beforeAll(async () => {
    server = idc();
    await seedOrganisation(server.endpoint, agreeing());
    root = makeRepo(DECLARATIONS);
  });

  const env = () => ({
    PATH: process.env.PATH,
    HOME: root,
    TERM: 'xterm',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: server.endpoint,
  });
  const cli = (...args: string[]) => [
    join(REPO_ROOT, 'dist', 'cli.js'),
    'check',
    '--root',
    root,
    '--live',
    'aws',
    ...args,
  ];

  it('shows the updating line on a terminal, and none with --quiet', () => {
    // `script` gives the CLI a pseudo-terminal; 5 requests a second makes the read last a few seconds.
    const command = (extra: string) =>
      `${process.execPath} ${cli('--requests-per-second', '5').join(' ')} ${extra}`;
    const tty = spawnSync('script', ['-qec', command(''), '/dev/null'], { encoding: 'utf8', env: env() });
    expect(tty.stdout).toMatch(
      // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence is what is looked for
      /\r\u001b\[Kidc-guard: reading Identity Center: \d+( of about \d+)? API calls, \d s/,
    );
    // Calls queue behind the rate: the line says of about how many, and the time left.
    expect(tty.stdout).toMatch(/: \d+ of about \d+ API calls, \d s, about \d+ s left/);
    expect(tty.stdout).toContain('✔ no problems');
    const quiet = spawnSync('script', ['-qec', command('--quiet'), '/dev/null'], {
      encoding: 'utf8',
      env: env(),
    });
    expect(quiet.stdout).not.toContain('reading Identity Center');
    expect(quiet.stdout).toContain('✔ no problems');
  });

  it('in a CI log (no terminal), writes a plain line every 10 s, and nothing when stdout is JSON', () => {
    // About 14 requests at 1 a second: the read lasts past the first 10 s.
    const slow = ['--requests-per-second', '1'];
    const log = spawnSync(process.execPath, cli(...slow), { encoding: 'utf8', env: env() });
    expect(log.stderr).toMatch(
      /^idc-guard: reading Identity Center: \d+( of about \d+)? API calls, 1\d s(, about \d+ s left)?\n/m,
    );
    expect(log.stderr).not.toContain('\r');
    const json = spawnSync(process.execPath, cli('--format', 'json', '--requests-per-second', '20'), {
      encoding: 'utf8',
      env: env(),
    });
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout);
    expect(report.errors).toEqual([]);
    expect(report.stats.apiCalls).toBeGreaterThan(12);
  });
});
