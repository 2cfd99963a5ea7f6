import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Finding } from '../src/findings/types.js';
import { parseSource } from '../src/load/parse.js';
import { readSource } from '../src/load/source.js';
import { importExports } from '../src/model/importers/index.js';
import { check, FIXTURES, makeRepo } from './helpers.js';

/**
 * The IdP exports read as they are: Entra ID's provisioning schema and app assignments (Graph), Okta's profile
 * mapping. Every fixture under test/fixtures/idp/<case> is a tiny repository; the lines and columns below were
 * read off the fixture files (1-based).
 */
const IDP = join(FIXTURES, 'idp');
const root = (name: string): string => join(IDP, name);

/** What an annotation shows: rule, severity, file, line, column. */
const at = (findings: Finding[]): [string, string, string, number, number][] =>
  findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.column]);

/** The mapping sets the importers make of one file of a fixture: for what findings alone cannot show. */
function imported(fixture: string, file: string) {
  const read = readSource(root(fixture), file, 10 * 1024 * 1024);
  if (!('source' in read)) throw new Error(`cannot read ${file}`);
  return importExports(parseSource(read.source).docs);
}

/** A configuration that turns IDC006's may-be-empty hints on (they are off by default). */
const withHints = (): { configRoot: string } => ({
  configRoot: makeRepo({ '.idc-guard.yml': 'params:\n  reportMayBeEmptySources: true\n' }),
});

/** The findings that are not IDC006's may-be-empty hints: what a default run reports. */
const withoutHints = (findings: Finding[]): Finding[] =>
  findings.filter((f) => !(f.ruleId === 'IDC006' && / comes only from /.test(f.message)));

const readJson = (fixture: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root(fixture), file), 'utf8')) as Record<string, unknown>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('IdP export fixtures', () => {
  it('are JSON pretty-printed with two spaces, as the IdPs export it (all but the truncated one)', () => {
    const files = filesUnder(IDP).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (relative(IDP, file).startsWith('entra-truncated/identity/entra/provisioning-schema.json')) {
        expect(() => JSON.parse(text)).toThrow();
        continue;
      }
      expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text);
    }
  });
});

describe('Entra ID provisioning schema and app assignments', () => {
  it('finds nothing in a complete, correct AWS IAM Identity Center configuration', async () => {
    const { report, exitCode } = await check(root('entra-complete'));
    expect(at(report.findings)).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.notices).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('does not count an object mapping that is enabled: false, though it maps a password', () => {
    // The fixture really holds a disabled mapping that would be wrong if it counted.
    const schema = readJson('entra-complete', 'identity/entra/provisioning-schema.json');
    const [syncRule] = schema.synchronizationRules as { objectMappings: Record<string, unknown>[] }[];
    const disabled = syncRule.objectMappings.filter((m) => m.enabled === false);
    expect(disabled).toHaveLength(1);
    expect(JSON.stringify(disabled[0].attributeMappings)).toContain('"targetAttributeName":"password"');

    const { sets, findings } = imported('entra-complete', 'identity/entra/provisioning-schema.json');
    expect(findings).toEqual([]);
    expect(sets.map((s) => [s.origin, s.object])).toEqual([
      ['entra-schema', 'user'],
      ['entra-schema', 'group'],
    ]);
    expect(sets.flatMap((s) => s.mappings ?? []).map((m) => m.target)).not.toContain('password');
  });

  it('reports missing, empty, may-be-empty, create-only, second, unsupported and matching mappings at their lines', async () => {
    const F = 'identity/entra/provisioning-schema.json';
    const { report, exitCode } = await check(root('entra-faults'), withHints());
    const byDefault = await check(root('entra-faults'));
    expect(byDefault.report.findings).toEqual(withoutHints(report.findings));
    expect(at(report.findings)).toEqual([
      // The `attributeMappings` key of the user object mapping: name.familyName is not mapped at all.
      ['IDC006', 'error', F, 28, 11],
      // userName: ObjectAddOnly on [userPrincipalName], which is never empty.
      ['IDC006', 'notice', F, 29, 13],
      // displayName: the mapping of an empty Constant, which supplies nothing.
      ['IDC006', 'error', F, 85, 13],
      // The work email from [mail] alone (a hint only with reportMayBeEmptySources), also the matching attribute.
      ['IDC006', 'notice', F, 132, 13],
      ['IDC007', 'error', F, 132, 13],
      // emails[type eq "home"].value: a second email.
      ['IDC007', 'error', F, 146, 13],
      // x509Certificates[type eq "signing"].value: unsupported.
      ['IDC007', 'error', F, 174, 13],
    ]);
    const [familyName, createOnly, displayName, mail, matching, second, unsupported] = report.findings;
    expect(displayName.entity).toEqual({ kind: 'mapping', name: 'user:displayName' });
    expect(displayName.message).toMatch(
      /^this mapping maps an empty constant onto `displayName`, which supplies nothing/,
    );
    expect(familyName.entity).toEqual({ kind: 'mapping', name: 'user:name.familyName' });
    expect(familyName.message).toMatch(/`name\.familyName`.*map `surname` → `name\.familyName`/);
    expect(createOnly.message).toMatch(/^`userName` is set only when a user is created/);
    expect(mail.message).toMatch(/comes only from "\[mail\]".*Coalesce\(\[mail\], \[userPrincipalName\]\)/);
    expect(matching.message).toMatch(
      /^users are matched on "emails\[type eq "work"\]\.value".*only by userName/,
    );
    expect(second.message).toMatch(/^a second value of `emails` is mapped/);
    expect(unsupported.message).toMatch(/"x509Certificates\[type eq "signing"\]\.value" is not supported/);
    expect(exitCode).toBe(1);
  });

  it('reports a paged export, a case-only duplicate, nested groups in scope and a group outside the app scope', async () => {
    const APP = 'identity/entra/app-assignments.json';
    const { report } = await check(root('entra-assignments-faults'));
    expect(at(report.findings)).toEqual([
      // `group: aws-data-analysts`: not among the app's assignments.
      ['IDC010', 'error', 'identity/assignments.yaml', 9, 12],
      // The "@odata.nextLink" key.
      ['IDC001', 'error', APP, 3, 3],
      // platform-oncall's principalDisplayName: assigned, and nested in aws-platform-admins, which is assigned too.
      ['IDC005', 'notice', APP, 21, 31],
      // The second of aws-developers / AWS-Developers.
      ['IDC003', 'error', APP, 43, 31],
      // `groups: [platform-oncall]` under aws-platform-admins' members.
      ['IDC005', 'error', 'identity/groups.yaml', 6, 16],
    ]);
    const [outOfScope, paged, scoped, duplicate, nested] = report.findings;
    expect(outOfScope.message).toMatch(
      /^group "aws-data-analysts" is assigned here but is not assigned to the IdP app/,
    );
    expect(paged.message).toMatch(/@odata\.nextLink/);
    expect(scoped.message).toMatch(
      /^group "platform-oncall" is assigned to the app and is also a member of "aws-platform-admins"/,
    );
    expect(duplicate.message).toMatch(/^group "AWS-Developers" differs only in case from "aws-developers"/);
    expect(nested.message).toMatch(/^group "platform-oncall" is nested in "aws-platform-admins"/);
  });

  it('reports a truncated schema once, where parsing stops, and still checks the other files', async () => {
    const F = 'identity/entra/provisioning-schema.json';
    const text = readFileSync(join(root('entra-truncated'), F), 'utf8');
    const lines = text.split('\n');
    // The download stops inside a string on the last line (167), which has 59 characters: it fails just after them.
    expect(lines).toHaveLength(167);
    expect(lines[166]).toHaveLength(59);
    const { report } = await check(root('entra-truncated'));
    expect(at(report.findings)).toEqual([
      ['IDC010', 'error', 'identity/assignments.yaml', 6, 12],
      ['IDC001', 'error', F, 167, 60],
    ]);
    expect(report.findings[1].message).toMatch(/^invalid JSON: /);
    expect(report.errors).toEqual([]);
  });

  it('refuses the provisioning schema of another app (Slack), and checks nothing in it', async () => {
    const { report } = await check(root('entra-other-app'));
    expect(at(report.findings)).toEqual([
      // The value of targetDirectoryName.
      ['IDC001', 'error', 'identity/entra/slack-provisioning-schema.json', 272, 30],
    ]);
    expect(report.findings[0].message).toMatch(
      /another app \("Slack", named in targetDirectoryName\), not AWS IAM Identity Center, so it is not checked/,
    );
    // Read as the AWS app, it would have IDC006 (no name.familyName) and IDC007 (photos, two phones) findings.
    const text = readFileSync(
      join(root('entra-other-app'), 'identity/entra/slack-provisioning-schema.json'),
      'utf8',
    );
    expect(text).toContain('"targetAttributeName": "photos[type eq \\"photo\\"].value"');
    expect(text).toContain('"targetAttributeName": "phoneNumbers[type eq \\"mobile\\"].value"');
    expect(text).not.toContain('name.familyName');
  });

  it('warns of a function Entra does not know, at its name or expression, and still reads its [attributes]', async () => {
    const F = 'identity/entra/provisioning-schema.json';
    const { report } = await check(root('entra-unknown-function'), withHints());
    expect((await check(root('entra-unknown-function'))).report.findings).toEqual(
      withoutHints(report.findings),
    );
    expect(at(report.findings)).toEqual([
      // userName's source: "expression": "Trim([userPrincipalName])", with no parameters.
      ['IDC001', 'warning', F, 36, 31],
      // displayName: Concat([givenName], " ", [surname]) may be empty (a hint only when asked for).
      ['IDC006', 'notice', F, 85, 13],
      // displayName's source: "name": "Concat", with parameters.
      ['IDC001', 'warning', F, 93, 25],
    ]);
    expect(report.findings[0].message).toMatch(/^unknown Entra function "Trim"/);
    expect(report.findings[1].message).toMatch(
      /^`displayName` comes only from "Concat\(\[givenName\], " ", \[surname\]\)"/,
    );
    expect(report.findings[2].message).toMatch(/^unknown Entra function "Concat"/);

    const { sets } = imported('entra-unknown-function', F);
    const users = sets.find((s) => s.object === 'user')!;
    const byTarget = new Map(users.mappings!.map((m) => [m.target, m]));
    expect(byTarget.get('userName')).toMatchObject({ inputs: ['userPrincipalName'], mayBeEmpty: false });
    expect(byTarget.get('displayName')).toMatchObject({ inputs: ['givenName', 'surname'], mayBeEmpty: true });
  });

  it('reads an expression of over 10,000 characters with no parameters quickly', async () => {
    const F = 'identity/entra/provisioning-schema.json';
    const schema = readJson('entra-long-expression', F);
    const [syncRule] = schema.synchronizationRules as {
      objectMappings: {
        attributeMappings: { source: Record<string, unknown>; targetAttributeName: string }[];
      }[];
    }[];
    const long = syncRule.objectMappings[0].attributeMappings.find(
      (m) => m.targetAttributeName === 'name.familyName',
    )!;
    expect((long.source.expression as string).length).toBeGreaterThan(10_000);
    expect(long.source).not.toHaveProperty('parameters');

    const started = performance.now();
    const { report } = await check(root('entra-long-expression'), withHints());
    expect((await check(root('entra-long-expression'))).report.findings).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(at(report.findings)).toEqual([
      // Switch([surname], [surname], …): every value comes from [surname], which may be empty.
      ['IDC006', 'notice', F, 193, 13],
    ]);
    // The message quotes the start of the expression, not all of it.
    expect(report.findings[0].message).toMatch(
      /^`name\.familyName` comes only from "Switch\(\[surname\], \[surname\], /,
    );
    expect(report.findings[0].message.length).toBeLessThan(600);
    expect(report.errors).toEqual([]);
  });

  it('checks each of several exports on its own and names the right file', async () => {
    const { report } = await check(root('entra-staging-production'));
    expect(at(report.findings)).toEqual([
      ['IDC006', 'error', 'identity/entra/production/provisioning-schema.json', 28, 11],
    ]);
    expect(report.findings[0].message).toMatch(/^no mapping supplies the SCIM attribute `name\.givenName`/);
  });
});

describe('Okta profile mapping', () => {
  const F = 'identity/okta/aws-iam-identity-center-mapping.json';

  it('finds nothing in a complete mapping with a displayName fallback', async () => {
    const { report, exitCode } = await check(root('okta-complete'));
    expect(at(report.findings)).toEqual([]);
    expect(report.notices).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('reports a missing, a may-be-empty, a create-only and a second phone mapping at their lines', async () => {
    const { report } = await check(root('okta-faults'), withHints());
    expect((await check(root('okta-faults'))).report.findings).toEqual(withoutHints(report.findings));
    expect(at(report.findings)).toEqual([
      // The "properties" key: no familyName.
      ['IDC006', 'error', F, 29, 3],
      // displayName ← user.displayName alone (a hint only when asked for).
      ['IDC006', 'notice', F, 38, 20],
      // email with pushStatus DONT_PUSH.
      ['IDC006', 'notice', F, 42, 14],
      // mobilePhone after primaryPhone.
      ['IDC007', 'error', F, 50, 20],
    ]);
    const [missing, empty, createOnly, phone] = report.findings;
    expect(missing.message).toMatch(/`name\.familyName`.*map `user\.lastName` → `name\.familyName`/);
    expect(empty.message).toMatch(/^`displayName` comes only from "user\.displayName"/);
    expect(createOnly.message).toMatch(/"Create only" \(DONT_PUSH\)/);
    expect(phone.message).toMatch(
      /^a second value of `phoneNumbers` is mapped \("phoneNumbers\[type eq "mobile"\]\.value"\)/,
    );
  });

  it('does not take "user.title" inside a string literal for an input', () => {
    const { sets } = imported('okta-faults', F);
    const department = sets[0].mappings!.find((m) => m.sourceText.startsWith('user.department'))!;
    expect(department.sourceText).toContain('"(see user.title)"');
    expect(department.inputs).toEqual(['department']);
  });

  it('refuses the "To Okta" mapping at its source', async () => {
    const { report } = await check(root('okta-to-okta'));
    expect(at(report.findings)).toEqual([['IDC001', 'error', F, 3, 3]]);
    expect(report.findings[0].message).toMatch(/"To Okta"/);
  });

  it('refuses the mapping of another app (Slack) at its target name', async () => {
    const { report } = await check(root('okta-other-app'));
    expect(at(report.findings)).toEqual([['IDC001', 'error', 'identity/okta/slack-mapping.json', 18, 13]]);
    expect(report.findings[0].message).toMatch(/another app \("slack", named in target\.name\)/);
  });
});
