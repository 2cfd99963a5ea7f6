import { accessDiff, accessLines, describeGrant } from '../src/pull-request/access-diff.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, makeRepo, REPO_ROOT } from './helpers.js';

const IC = 'kind: IdentityCenter\naccounts:\n  prod: "111111111111"\n  dev: "222222222222"\n';
const model = async (assignments: string) =>
  (
    await check(
      makeRepo({
        'identity/ic.yaml': IC,
        'identity/a.yaml': `kind: Assignments\nassignments:\n${assignments}`,
      }),
    )
  ).model;

describe('access diff between base and head declarations', () => {
  it('lists the grants a change adds and removes, per account, with aliases', async () => {
    const base = await model('  - { group: aws-data-eng, permissionSet: ReadOnly, accounts: [prod, dev] }\n');
    const head = await model(
      '  - { group: aws-data-eng, permissionSet: ReadOnly, accounts: [dev] }\n  - { group: aws-data-eng, permissionSet: AdministratorAccess, accounts: [prod] }\n  - { user: bg@example.com, permissionSet: AdministratorAccess, accounts: ["333333333333"] }\n',
    );
    const diff = accessDiff(base, head);
    expect(diff.added.map((g) => describeGrant(g, 'gains'))).toEqual([
      'group aws-data-eng gains AdministratorAccess in prod (111111111111)',
      'user bg@example.com gains AdministratorAccess in 333333333333',
    ]);
    expect(diff.removed.map((g) => describeGrant(g, 'loses'))).toEqual([
      'group aws-data-eng loses ReadOnly in prod (111111111111)',
    ]);
  });

  it('sees no change when an account moves from an alias to its ID, or entries are reordered', async () => {
    const base = await model('  - { group: a, permissionSet: P, accounts: [prod, dev] }\n');
    const head = await model(
      '  - { group: a, permissionSet: P, accounts: ["222222222222"] }\n  - { group: a, permissionSet: P, accounts: ["111111111111"] }\n',
    );
    expect(accessLines(accessDiff(base, head))).toEqual([]);
  });
});

describe('the example repository', () => {
  it("resolves its OU target with the snapshot's organization, as the README shows", async () => {
    const example = join(REPO_ROOT, 'examples', 'acme');
    const { model, live } = await check(example, { live: join(example, 'live', 'snapshot.json') });
    // The base: the same declarations without the OU target.
    const base = {
      ...model,
      assignments: model.assignments.map((a) => ({
        ...a,
        targets: { ...a.targets, organizationalUnits: [] },
      })),
    };
    const lines = accessDiff(base, model, live?.organization).added.map(
      (g) => `- ➕ ${describeGrant(g, 'gains')}`,
    );
    expect(lines).toEqual([
      '- ➕ group aws-auditors gains ReadOnly in prod (111111111111) via OU Workloads (ou-ab12-workloads)',
      '- ➕ group aws-auditors gains ReadOnly in dev (222222222222) via OU Workloads (ou-ab12-workloads)',
    ]);
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const line of lines) expect(readme).toContain(line);
  });
});
