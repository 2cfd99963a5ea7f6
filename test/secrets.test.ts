/**
 * Secrets (issue 9): recognisable fake AWS credentials and a fake GitHub token are put where idc-guard reads
 * them, then every output is searched for them: the reports in each format, stdout and stderr, the snapshot,
 * the error messages of an AccessDenied and of an unreachable GitHub, the Action's log, summary and outputs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedOrganisation } from './aws/seed.js';
import { awsError, startProxy, useIdcServer, type IdcServer } from './aws/server.js';
import { checkAwsCli, makeRepo, REPO_ROOT, runCli } from './helpers.js';

const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAIDCGUARDFAKE0001',
  AWS_SECRET_ACCESS_KEY: 'idcGuardFakeSecretKey/DoNotLeak+0001',
  AWS_SESSION_TOKEN: 'IQoJidcGuardFakeSessionTokenDoNotLeak0001',
  GITHUB_TOKEN: 'ghs_idcGuardFakeTokenDoNotLeak000000001',
};
const leaks = (text: string) => Object.values(SECRETS).filter((s) => text.includes(s));

const idc = useIdcServer();
let server: IdcServer;
beforeAll(() => {
  server = idc();
  // The SDK's default chain reads these (the server accepts any credentials).
  Object.assign(process.env, { ...SECRETS, GITHUB_TOKEN: undefined });
});

const DECLARATIONS = {
  'identity/ic.yaml': 'kind: IdentityCenter\nregion: us-east-1\n',
  'identity/groups.yaml': 'kind: Groups\ngroups:\n  - name: admins\n',
};

describe('no credential or token in any output', () => {
  it('reports in every format, the snapshot, stdout and stderr, including an AccessDenied', async () => {
    await server.reset();
    await seedOrganisation(server.endpoint, { groups: [{ name: 'admins' }] });
    const root = makeRepo(DECLARATIONS);
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const out = await checkAwsCli(root, 'drift', format);
      outputs.push(out.stdout, out.stderr);
    }
    const snap = await runCli(['snapshot', '--root', root, '--output', 'snap.json'], root);
    outputs.push(snap.stdout, snap.stderr, readFileSync(join(root, 'snap.json'), 'utf8'));
    // An AccessDenied (its AWS message names the caller) and a bad credential: the error paths.
    const proxy = await startProxy(server.endpoint, (r) =>
      r.operation === 'ListGroups'
        ? awsError(
            'AccessDeniedException',
            'User: arn:aws:sts::123456789012:assumed-role/ci/s is not authorized',
          )
        : r.operation === 'ListUsers'
          ? awsError('UnrecognizedClientException', 'The security token included in the request is invalid.')
          : undefined,
    );
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    try {
      for (const format of ['text', 'json']) {
        const out = await checkAwsCli(root, 'drift', format);
        expect(out.code).toBe(2);
        outputs.push(out.stdout, out.stderr);
      }
    } finally {
      process.env.AWS_ENDPOINT_URL = server.endpoint;
      await proxy.stop();
    }
    expect(outputs.join('\n')).toMatch(/not authorized|security token/);
    expect(leaks(outputs.join('\n'))).toEqual([]);
  });

  it("the Action's log, job summary and outputs, with a GitHub that cannot be reached", () => {
    const temp = mkdtempSync(join(tmpdir(), 'idc-guard-secrets-'));
    const workspace = makeRepo(DECLARATIONS);
    const eventPath = join(temp, 'event.json');
    writeFileSync(
      eventPath,
      JSON.stringify({
        pull_request: {
          number: 1,
          base: { sha: 'a'.repeat(40), repo: { full_name: 'o/r' } },
          head: { repo: { full_name: 'o/r' } },
        },
      }),
    );
    for (const f of ['summary', 'output']) writeFileSync(join(temp, f), '');
    // The base as the workflow checked it out (base-path): the same declarations.
    const base = join(temp, 'base');
    cpSync(workspace, base, { recursive: true });
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'index.js')], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...SECRETS,
        ...server.env,
        AWS_ACCESS_KEY_ID: SECRETS.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRETS.AWS_SECRET_ACCESS_KEY,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_STEP_SUMMARY: join(temp, 'summary'),
        GITHUB_OUTPUT: join(temp, 'output'),
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: 'http://127.0.0.1:1',
        RUNNER_TEMP: temp,
        INPUT_LIVE: 'aws',
        INPUT_COMMENT: 'true',
        'INPUT_GITHUB-TOKEN': SECRETS.GITHUB_TOKEN,
        'INPUT_FAIL-ON': 'never',
        'INPUT_BASE-PATH': base,
      },
    });
    const written = readdirSync(temp, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
    const all = [run.stdout, run.stderr, ...written].join('\n');
    expect(all).toContain('GitHub could not be reached');
    expect(leaks(all)).toEqual([]);
  });
});
