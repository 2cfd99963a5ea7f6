/**
 * The bench's call model: the reader's cost for a generated organisation, from the real reader:
 * src/live/reader.ts, compiled as it is (tsc, into bench/out/model/, with the tests' server launcher and
 * seeding from test/aws/, which the live stage shares), run against test/aws/fake-idc.ts, an in-memory
 * Identity Center that answers through the real SDK clients, with the reader's own limiter counting every
 * call. Nothing here models the reader by hand, and test/bench-plan.test.ts checks the fake against the
 * local server: what the bench reports for L (too large to seed into the local server) is what the reader
 * does on that data when nothing fails.
 *
 * The reads, as the CLI's load.ts asks for them:
 * - drift: mode 'drift';
 * - check: mode 'check' for a repository declaring `groups` (their assignments, every set);
 * - pr: a pull request that changes the grants of `prGroups` groups: the same declarations, with
 *   `scope` { the changed groups, the sets of the changed grants, members: [] } as a PR check passes it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out', 'model');
const SOURCES = ['src/live/reader.ts', 'test/aws/fake-idc.ts', 'test/aws/server.ts', 'test/aws/seed.ts'];
/** The server's script, which the compiled launcher looks for beside itself. */
const SERVER_SCRIPT = 'test/aws/idc_server.py';

/** Compiles the reader, the fake and the launcher (only when a source under src/live or test/aws changed). */
function compile() {
  const hash = createHash('sha256');
  for (const dir of ['src/live', 'src/model', 'src/load', 'test/aws']) {
    for (const f of execFileSync('git', ['ls-files', '--cached', '--others', dir], { cwd: ROOT })
      .toString()
      .split('\n')
      .filter((f) => f.endsWith('.ts') || f === SERVER_SCRIPT)
      .sort())
      if (existsSync(join(ROOT, f))) hash.update(f).update(readFileSync(join(ROOT, f)));
  }
  const stamp = join(OUT, 'stamp');
  const digest = hash.digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(
    process.execPath,
    [
      tsc,
      ...['--outDir', OUT, '--rootDir', ROOT, '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
      ...['--target', 'ES2022', '--skipLibCheck', '--esModuleInterop', '--strict', 'false'],
      ...SOURCES.map((s) => join(ROOT, s)),
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  writeFileSync(join(OUT, 'package.json'), '{"type":"module"}\n');
  copyFileSync(join(ROOT, SERVER_SCRIPT), join(OUT, SERVER_SCRIPT));
  writeFileSync(stamp, digest);
}

let loaded;
/** The compiled reader, fake, server launcher and seeding. */
export async function modelModules() {
  if (!loaded) {
    compile();
    const load = (path) => import(pathToFileURL(join(OUT, path)).href);
    const [reader, fake, server, seed] = await Promise.all(
      ['src/live/reader.js', 'test/aws/fake-idc.js', 'test/aws/server.js', 'test/aws/seed.js'].map(load),
    );
    loaded = {
      readLiveState: reader.readLiveState,
      FakeIdentityCenter: fake.FakeIdentityCenter,
      startIdcServer: server.startIdcServer,
      findPython: server.findPython,
      seedOrganisation: seed.seedOrganisation,
    };
  }
  return loaded;
}

const INSTANCE = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-00000000bench000',
  identityStoreId: 'd-00bench00',
};

/** The generated organisation (bench/live-org.js) as the fake's data, IDs made up. */
export function fakeData(org) {
  const userIds = new Map(org.users.map((u, i) => [u.userName, `u-${i}`]));
  const groupIds = new Map(org.groups.map((g, i) => [g.name, `g-${i}`]));
  const arns = new Map(org.permissionSets.map((p, i) => [p.name, `${INSTANCE.instanceArn}/ps-${i}`]));
  const accountsBySet = new Map(org.permissionSets.map((p) => [p.name, new Set()]));
  const assignments = [];
  for (const e of org.entries) {
    for (const accountId of e.accounts) {
      accountsBySet.get(e.permissionSet).add(accountId);
      assignments.push({
        accountId,
        permissionSetArn: arns.get(e.permissionSet),
        principalType: 'GROUP',
        principalId: groupIds.get(e.group),
      });
    }
  }
  return {
    ...INSTANCE,
    groups: org.groups.map((g) => ({
      id: groupIds.get(g.name),
      name: g.name,
      description: g.description,
      externalIds: [{ issuer: 'scim', id: g.externalId }],
      members: g.members.map((m) => userIds.get(m)),
    })),
    users: org.users.map((u) => ({
      id: userIds.get(u.userName),
      userName: u.userName,
      displayName: u.displayName,
      givenName: u.givenName,
      familyName: u.familyName,
      email: u.userName,
      externalIds: [{ issuer: 'scim', id: u.externalId }],
    })),
    permissionSets: org.permissionSets.map((p) => ({
      arn: arns.get(p.name),
      name: p.name,
      description: p.description,
      sessionDuration: p.sessionDuration,
      relayState: p.relayState,
      managedPolicies: p.managedPolicies,
      customerManagedPolicies: p.customerManagedPolicies,
      inlinePolicy: p.inlinePolicy ? JSON.stringify(p.inlinePolicy) : undefined,
      permissionsBoundary: p.permissionsBoundary,
      tags: p.tags,
      accounts: [...accountsBySet.get(p.name)].sort(),
    })),
    assignments,
  };
}

/**
 * The pull request of the bench: each of the first `n` PR groups gains one more account for the set of its
 * first assignment (the "gives aws-developers Developer in audit"): the changed groups, and the sets
 * of the changed grants, are the scope. `newSets`: each gains instead a set it does not hold (the dearer
 * case: a set by name is found by describing sets until it turns up).
 */
export function pullRequest(org, n = 25, { newSets = false } = {}) {
  const groups = org.prGroups.slice(0, n);
  const sets = [];
  for (const [i, group] of groups.entries()) {
    const held = org.entries.filter((e) => e.group === group).map((e) => e.permissionSet);
    if (!newSets && held.length) sets.push(held[0]);
    else {
      const others = org.permissionSets.map((p) => p.name).filter((name) => !held.includes(name));
      sets.push(others[(i * 7) % others.length]);
    }
  }
  return { groups, users: [], permissionSets: [...new Set(sets)].sort(), members: [] };
}

/** What load.ts asks of the reader for a repository that declares `groups` (all: every group). */
export function principalsOf(org, groups) {
  const declared = new Set(groups ?? org.groups.map((g) => g.name));
  return {
    groups: [...declared],
    users: [],
    permissionSets: org.permissionSets.map((p) => p.name),
  };
}

/**
 * Runs the real reader on `data` in memory: `read` is 'drift', or 'check' with `principals` (and `scope`
 * for a PR check). Returns its calls by operation and what the state says of the read. `modules`: the
 * reader and fake to run (a test passes its own, from the TypeScript sources); by default the compiled ones.
 */
export async function runReader(data, { read, principals, scope, fullDetail = false, endpoint, modules }) {
  const { readLiveState, FakeIdentityCenter } = modules ?? (await modelModules());
  const fake = endpoint ? undefined : new FakeIdentityCenter(data);
  const saved = { ...process.env };
  if (endpoint) {
    // The local server, as a user's environment would point the SDK at it.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
  }
  const started = performance.now();
  const state = await readLiveState({
    mode: read === 'drift' ? 'drift' : 'check',
    region: 'us-east-1',
    instanceArn: data.instanceArn,
    identityStoreId: data.identityStoreId,
    ...(principals ? { principals } : {}),
    ...(scope ? { scope } : {}),
    fullDetail,
    ...(fake ? { transport: fake.transport, requestsPerSecond: 0 } : { requestsPerSecond: 20 }),
  }).finally(() => {
    if (endpoint) process.env = saved;
  });
  const byOperation = Object.fromEntries(Object.entries(state.apiCalls).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (
    fake &&
    JSON.stringify(Object.entries(fake.calls).sort()) !== JSON.stringify(Object.entries(byOperation))
  )
    throw new Error(
      `the fake answered ${JSON.stringify(fake.calls)}, the reader counted ${JSON.stringify(byOperation)}`,
    );
  return {
    calls: Object.values(byOperation).reduce((a, b) => a + b, 0),
    byOperation,
    ms: Math.round(performance.now() - started),
    failures: state.failures,
    scope: state.scope,
    notRead: state.notRead,
    route: byOperation.ListAccountAssignments ? 'pair' : 'principal',
  };
}
