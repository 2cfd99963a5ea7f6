/**
 * Property-based fuzzing of the loader and the whole static pipeline (fast-check). A generated, valid
 * repository is mutated (wrong types, truncation, random bytes, deep nesting, huge scalars, alias chains,
 * unicode, BOMs, CRLF) and checked in process. Whatever the input:
 * - the check ends within a bound, with exit 0, 1 or 2 and a JSON report that matches its schema;
 * - a file that was not mutated keeps its findings (the canary's, at their lines);
 * - every finding's line and column exist in its file.
 * CI runs a fixed seed and budget; `npm run fuzz` runs a longer one (FUZZ_RUNS, FUZZ_SEED).
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { runCheck } from '../src/engine.js';
import { renderJson } from '../src/report/json.js';
import { REPO_ROOT, TEST_NOW } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
// `npm run fuzz` asks for a random seed; the test's name shows it, so a failure can be replayed.
const SEED =
  process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20261123);
/** The longest a single check of a fuzzed repository may take. */
const BOUND_MS = 10_000;

const validateReport = new Ajv2020({ strict: false }).compile(
  JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'report.schema.json'), 'utf8')),
);

/** Never mutated: its findings must survive whatever happens to the other files. */
const CANARY = [
  '# canary: a nested group (IDC005) and a duplicate name (IDC003)',
  'kind: Groups',
  'groups:',
  '  - name: canary-outer',
  '    members:',
  '      groups: [canary-inner]',
  '  - name: canary-inner',
  '  - name: CANARY-INNER',
  '',
].join('\n');
const CANARY_FINDINGS = [
  ['IDC003', 'identity/canary.yaml', 8],
  ['IDC005', 'identity/canary.yaml', 6],
];

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/);
const account = fc.stringMatching(/^[0-9]{12}$/);

/** A valid repository: instance, groups, users, permission sets and assignments that refer to each other. */
const validRepo = fc
  .record({
    groups: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
    users: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
    sets: fc.uniqueArray(fc.stringMatching(/^[A-Z][A-Za-z]{0,12}$/), { minLength: 1, maxLength: 4 }),
    accounts: fc.uniqueArray(account, { minLength: 1, maxLength: 3 }),
  })
  .map(({ groups, users, sets, accounts }) => {
    const q = (s: string) => JSON.stringify(s);
    const files: Record<string, string> = {
      'identity/instance.yaml': `kind: IdentityCenter\ninstanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef\nidentityStoreId: d-1234567890\nregion: us-east-1\naccounts:\n${accounts.map((a, i) => `  acct${i}: ${q(a)}`).join('\n')}\n`,
      'identity/groups.yaml': `kind: Groups\ngroups:\n${groups.map((g) => `  - name: g-${g}\n    description: team ${g}\n    members:\n      users: [${users.map((u) => `${u}@example.com`).join(', ')}]`).join('\n')}\n`,
      'identity/users.yaml': `kind: Users\nusers:\n${users.map((u) => `  - userName: ${u}@example.com\n    displayName: ${u}\n    givenName: ${u}\n    familyName: X\n    email: ${u}@example.com`).join('\n')}\n`,
      'identity/permission-sets.yaml': sets
        .map((s) => `kind: PermissionSet\nname: ${s}\nsessionDuration: PT1H\n`)
        .join('---\n'),
      'identity/assignments.yaml': `kind: Assignments\nassignments:\n${groups.map((g, i) => `  - group: g-${g}\n    permissionSet: ${sets[i % sets.length]}\n    accounts: [acct${i % accounts.length}]`).join('\n')}\n`,
      'identity/applications.yaml': `kind: Application\nname: App ${sets[0]}\nassignmentRequired: true\nassignments:\n  groups: [${groups.map((g) => `g-${g}`).join(', ')}]\n  users: [${users[0]}@example.com]\n`,
      'identity/abac.yaml': `kind: AccessControlAttributes\nattributes:\n${sets.map((s) => `  - { key: ${s}, source: '\${path:enterprise.department}' }`).join('\n')}\n`,
      'identity/canary.yaml': CANARY,
    };
    return files;
  });

type Mutation = (text: string) => string | Buffer;

const mutations: fc.Arbitrary<Mutation>[] = [
  // Truncation anywhere.
  fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))),
  // Random bytes spliced in.
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, bytes]) => (t: string) => {
    const b = Buffer.from(t);
    const i = at % (b.length + 1);
    return Buffer.concat([b.subarray(0, i), Buffer.from(bytes), b.subarray(i)]);
  }),
  // A scalar of the wrong type: a list, a map, a number, null, a boolean.
  fc
    .constantFrom('[1, 2]', '{ a: 1 }', '12345', 'null', 'true', '~', '"' + 'x'.repeat(40) + '"')
    .map((v) => (t: string) => t.replace(/: [^\n[{]+/, `: ${v}`)),
  // Deep nesting.
  fc
    .integer({ min: 50, max: 5000 })
    .map((n) => (t: string) => `${t}\nextra: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  // A huge scalar.
  fc
    .integer({ min: 10_000, max: 2_000_000 })
    .map((n) => (t: string) => t.replace(/name: /, `name: ${'n'.repeat(n)}`)),
  // An alias chain (a "billion laughs" as far as it goes).
  fc.integer({ min: 2, max: 12 }).map((depth) => (t: string) => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= depth; i++)
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    return `${t}\n---\nkind: Groups\n${lines.join('\n')}\ngroups: []\n`;
  }),
  // Unicode, a byte order mark, CRLF line ends, a NUL, a lone surrogate.
  fc.constantFrom<Mutation>(
    (t) => `\uFEFF${t}`,
    (t) => t.replace(/\n/g, '\r\n'),
    (t) => t.replace(/name: /, 'name: é\u202E\u200B🙂'),
    (t) => t.replace(/\n/, '\n\u0000'),
    (t) => t.replace(/name: /, 'name: \uD800'),
    (t) => t.replace(/kind: \w+/, 'kind: Groups\n__proto__: { polluted: true }'),
  ),
];

const mutated = fc.tuple(
  validRepo,
  fc.constantFrom(
    'identity/instance.yaml',
    'identity/groups.yaml',
    'identity/users.yaml',
    'identity/permission-sets.yaml',
    'identity/assignments.yaml',
    'identity/applications.yaml',
    'identity/abac.yaml',
  ),
  fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }),
);

function write(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'idc-guard-fuzz-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('fuzzing the loader and the static pipeline', () => {
  it(`ends, reports validly, keeps the other files' findings and points at real lines (${RUNS} cases, seed ${SEED})`, async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(mutated, async ([files, target, changes]) => {
        cases += 1;
        const broken: Record<string, string | Buffer> = { ...files };
        let content: string | Buffer = files[target];
        for (const change of changes) content = change(content.toString());
        broken[target] = content;
        const root = write(broken);
        try {
          const started = performance.now();
          const { report, exitCode } = await runCheck({ root, live: 'off', now: TEST_NOW });
          expect(performance.now() - started).toBeLessThan(BOUND_MS);
          expect([0, 1, 2]).toContain(exitCode);
          const json = JSON.parse(renderJson(report));
          expect(validateReport(json)).toBe(true);
          // The canary was not touched: its findings are all there, at their lines.
          const found = report.findings.map((f) => [f.ruleId, f.file, f.line]);
          for (const expected of CANARY_FINDINGS) expect(found).toContainEqual(expected);
          // Every finding points at a line and column of its file.
          for (const f of report.findings) {
            const lines = readFileSync(join(root, f.file))
              .toString('utf8')
              .split(/\r?\n|\r/);
            expect(f.line).toBeGreaterThanOrEqual(1);
            expect(f.line).toBeLessThanOrEqual(lines.length);
            expect(f.column).toBeGreaterThanOrEqual(1);
            // A prototype key never reaches Object.prototype.
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(cases).toBe(RUNS);
  }, 600_000);
});
