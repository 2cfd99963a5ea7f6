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
 * Each with the declared applications and the attributes for access control (applicationReads), which
 * bench/fake-applications.js answers in front of the fake.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FakeApplications } from './fake-applications.js';
import { declaredApplications } from './live-applications.js';

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
      seedClients: seed.seedClients,
      seedApplication: seed.seedApplication,
      seedAccessControlAttributes: seed.seedAccessControlAttributes,
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
    // Application ARNs as the server makes them: account, instance ID, apl- and 16 characters.
    applications: org.applications.map((a, i) => ({
      arn: `arn:aws:sso::111111111111:application/${INSTANCE.instanceArn.split('/').pop()}/apl-${String(i).padStart(16, '0')}`,
      name: a.name,
      providerArn: a.providerArn ?? 'arn:aws:sso::aws:applicationProvider/custom',
      assignmentRequired: a.assignmentRequired,
      assignments: [
        ...a.users.map((u) => ({ principalType: 'USER', principalId: userIds.get(u) })),
        ...a.groups.map((g) => ({ principalType: 'GROUP', principalId: groupIds.get(g) })),
      ],
    })),
    accessControlAttributes: org.accessControlAttributes.map((a) => ({ key: a.key, source: a.source })),
  };
}

/**
 * The pull request of the bench: each of the first `n` PR groups gains one more account for the set of its
 * first assignment (the "gives aws-developers Developer in audit"): the changed groups, and the sets
 * of the changed grants, are the scope. `newSets`: each gains instead a set it does not hold (the dearer
 * case: a set by name is found by describing sets until it turns up). `application`: the pull request also
 * assigns the first of those groups to an application of the PR-check repository, which the scope then
 * names, with the principals it assigns (as src/pull-request/read-scope.ts does). The attributes for access
 * control are read whenever either side declares them, and both do.
 */
export function pullRequest(org, n = 25, { newSets = false, application = false } = {}) {
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
  const scope = { groups, users: [], permissionSets: [...new Set(sets)].sort(), members: [] };
  if (org.accessControlAttributes.length) scope.accessControlAttributes = true;
  if (!application) return scope;
  const app = declaredApplications(org, new Set(org.prGroups)).find((a) => a.declaredBy === 'name');
  if (!app) throw new Error(`the PR-check repository of ${org.size} declares no application by name`);
  return {
    ...scope,
    groups: [...new Set([...groups, ...app.groups])].sort(),
    users: [...app.users].sort(),
    applications: { names: [app.name], arns: [] },
  };
}

/**
 * What load.ts asks of the reader for a repository that declares `groups` (all: every group): the groups,
 * the users its applications assign, every permission set.
 */
export function principalsOf(org, groups) {
  const declared = new Set(groups ?? org.groups.map((g) => g.name));
  const applications = declaredApplications(org, groups && declared);
  return {
    groups: [...declared],
    users: [...new Set(applications.flatMap((a) => a.users))].sort(),
    permissionSets: org.permissionSets.map((p) => p.name),
  };
}

/**
 * The applications and attributes for access control load.ts asks the reader for, for a repository that
 * declares `groups` (all: every group): the declared applications, by ARN (the fake's) or by name.
 */
export function applicationReads(org, data, groups) {
  const declared = declaredApplications(org, groups && new Set(groups));
  const arnOf = new Map(data.applications.map((a) => [a.name, a.arn]));
  const named = (by) => declared.filter((a) => a.declaredBy === by).map((a) => a.name);
  return {
    ...(declared.length
      ? {
          applications: {
            names: named('name').sort(),
            arns: named('arn')
              .map((n) => arnOf.get(n))
              .sort(),
          },
        }
      : {}),
    ...(org.accessControlAttributes.length ? { accessControlAttributes: true } : {}),
  };
}

/**
 * Runs the real reader on `data` in memory: `read` is 'drift', or 'check' with `principals` (and `scope`
 * for a PR check); `applications` and `accessControlAttributes` as applicationReads gives them (a scope
 * names its own, as load.ts takes them). Returns its calls by operation and what the state says of the read.
 * `modules`: the reader and fake to run (a test passes its own, from the TypeScript sources); by default the
 * compiled ones.
 */
export async function runReader(
  data,
  { read, principals, scope, applications, accessControlAttributes, fullDetail = false, endpoint, modules },
) {
  const { readLiveState, FakeIdentityCenter } = modules ?? (await modelModules());
  const fake = endpoint ? undefined : new FakeApplications(data, new FakeIdentityCenter(data));
  const needs = scope
    ? { applications: scope.applications, accessControlAttributes: scope.accessControlAttributes }
    : { applications, accessControlAttributes };
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
    ...(needs.applications ? { applications: needs.applications } : {}),
    ...(needs.accessControlAttributes ? { accessControlAttributes: true } : {}),
    fullDetail,
    ...(fake ? { transport: fake.transport, requestsPerSecond: 0 } : { requestsPerSecond: 20 }),
  }).finally(() => {
    if (endpoint) process.env = saved;
  });
  const byOperation = Object.fromEntries(Object.entries(state.apiCalls).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (
    fake &&
    JSON.stringify(Object.entries(fake.allCalls).sort()) !== JSON.stringify(Object.entries(byOperation))
  )
    throw new Error(
      `the fake answered ${JSON.stringify(fake.allCalls)}, the reader counted ${JSON.stringify(byOperation)}`,
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
