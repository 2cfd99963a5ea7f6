import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../src/findings/types.js';
import { parseSource } from '../src/load/parse.js';
import { readSource } from '../src/load/source.js';
import { importExports } from '../src/model/importers/index.js';
import { builtinCatalogue } from '../src/rules/catalogue.js';
import { check, FIXTURES, makeRepo } from './helpers.js';

/**
 * IdP exports built from the vendors' own published examples: each fixture folder's SOURCE.md names the file
 * and commit it was taken from. Lines and columns were read off the fixture files (1-based).
 */
const root = (name: string): string => join(FIXTURES, 'idp', name);
const at = (findings: Finding[]): [string, string, string, number, number][] =>
  findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.column]);
const configured = (yaml: string): { configRoot: string } => ({
  configRoot: makeRepo({ '.idc-guard.yml': yaml }),
});
const SCHEMA = 'identity/entra/provisioning-schema.json';

function imported(fixture: string, file = SCHEMA, awsAppNames: string[] = []) {
  const read = readSource(root(fixture), file, 10 * 1024 * 1024);
  if (!('source' in read)) throw new Error(`cannot read ${file}`);
  return importExports(parseSource(read.source).docs, { awsAppNames });
}

/** A repository holding the gallery template's schema, changed by `edit`. */
function editedTemplate(edit: (schema: { synchronizationRules: { objectMappings: object[] }[] }) => void) {
  const schema = JSON.parse(readFileSync(join(root('entra-gallery-template'), SCHEMA), 'utf8'));
  edit(schema);
  return makeRepo({ [SCHEMA]: `${JSON.stringify(schema, null, 2)}\n` });
}

describe("Microsoft's AWS gallery template (object names as SCIM URNs)", () => {
  it('reads the group mapping named urn:…:core:2.0:Group and reports that users are not provisioned at all', async () => {
    const { sets, findings } = imported('entra-gallery-template');
    expect(findings).toEqual([]);
    expect(sets.map((s) => [s.object, s.absent])).toEqual([
      ['group', undefined],
      ['user', 'missing'],
    ]);
    const { report } = await check(root('entra-gallery-template'));
    expect(at(report.findings)).toEqual([
      // The "synchronizationRules" key: no object mapping provisions users.
      ['IDC006', 'error', SCHEMA, 4, 3],
      // The group mapping's "attributeMappings" key: only `members` is mapped, no displayName.
      ['IDC006', 'error', SCHEMA, 30, 11],
    ]);
    expect(report.findings[0].message).toMatch(
      /^this export has no user object mapping .*no users are provisioned/,
    );
    expect(report.findings[1].message).toMatch(
      /`displayName`.*Synchronize Microsoft Entra groups to AWS IAM Identity Center: map `displayName`/,
    );
  });

  it('warns of an object mapping that is neither a User nor a Group, at its targetObjectName', async () => {
    const repo = editedTemplate((s) =>
      Object.assign(s.synchronizationRules[0].objectMappings[0], { targetObjectName: 'Contact' }),
    );
    const { report } = await check(repo);
    expect(at(report.findings)).toEqual([
      ['IDC006', 'error', SCHEMA, 4, 3],
      ['IDC001', 'warning', SCHEMA, 29, 31],
    ]);
    expect(report.findings[1].message).toMatch(/^this object mapping provisions "Contact", which is neither/);
  });

  it("counts the enterprise extension's object mapping with the users, under its URN-qualified names", () => {
    const repo = editedTemplate((s) =>
      s.synchronizationRules[0].objectMappings.push({
        enabled: true,
        sourceObjectName: 'User',
        targetObjectName: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        attributeMappings: [
          {
            source: { expression: '[department]', name: 'department', parameters: [], type: 'Attribute' },
            targetAttributeName: 'department',
          },
        ],
      }),
    );
    const read = readSource(repo, SCHEMA, 1024 * 1024);
    if (!('source' in read)) throw new Error('unreadable');
    const { sets } = importExports(parseSource(read.source).docs);
    const users = sets.find((s) => s.object === 'user')!;
    expect(users.absent).toBeUndefined();
    expect(users.mappings!.map((m) => m.target)).toEqual([
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
    ]);
  });
});

describe("Microsoft's Salesforce samples: another app's export is refused, and source null is read", () => {
  it('refuses the job schema that names salesforce.com only in its object mapping and directories', async () => {
    const { report } = await check(root('entra-salesforce-job-schema'));
    // The object mapping's "name": "Synchronize Azure Active Directory Users to salesforce.com".
    expect(at(report.findings)).toEqual([['IDC001', 'error', SCHEMA, 79, 19]]);
    expect(report.findings[0].message).toMatch(
      /^this provisioning schema is for another app \("salesforce\.com", named in an object mapping's name\), not AWS IAM Identity Center, so it is not checked/,
    );
  });

  it('reads the objectMapping example, default-value-only mappings ("source": null) included, and refuses it', async () => {
    const text = readFileSync(join(root('entra-salesforce-object-mapping'), SCHEMA), 'utf8');
    expect(text.match(/"source": null/g)).toHaveLength(6);
    const { report } = await check(root('entra-salesforce-object-mapping'));
    // No schema error for the null sources: the one finding is the app's name, at the object mapping's name.
    expect(at(report.findings)).toEqual([['IDC001', 'error', SCHEMA, 278, 19]]);
    expect(report.findings[0].message).toMatch(/another app \("salesforce\.com"/);
  });

  it('reads a default-value-only mapping as a constant and a default behind [surname] as never empty', async () => {
    const { sets, findings } = imported('entra-default-value');
    expect(findings).toEqual([]);
    const byTarget = new Map(sets.find((s) => s.object === 'user')!.mappings!.map((m) => [m.target, m]));
    expect(byTarget.get('preferredLanguage')).toMatchObject({
      kind: 'constant',
      constant: 'en-US',
      sourceText: 'default "en-US"',
      mayBeEmpty: false,
    });
    expect(byTarget.get('name.familyName')).toMatchObject({ inputs: ['surname'], mayBeEmpty: false });
    // With the hints on, [mail] and [givenName] have no default; [surname] has one, so it is not reported.
    const { report } = await check(
      root('entra-default-value'),
      configured('params:\n  reportMayBeEmptySources: true\n'),
    );
    expect(at(report.findings)).toEqual([
      ['IDC006', 'notice', SCHEMA, 159, 13],
      ['IDC006', 'notice', SCHEMA, 182, 13],
    ]);
  });
});

describe("Microsoft's appRoleAssignedTo sample: another app's assignments are not the AWS app's scope", () => {
  const APP = 'identity/entra/app-assignments.json';

  it('skips them with a warning at resourceDisplayName, so no assigned group is called out of scope', async () => {
    const { report } = await check(root('entra-other-app-assignments'));
    expect(at(report.findings)).toEqual([['IDC001', 'warning', APP, 12, 30]]);
    expect(report.findings[0].message).toMatch(
      /^this app's assignment list is for the app "dxprovisioning-graphapi-client" \(named in resourceDisplayName\), which idc-guard cannot place.*params\.awsAppNames/,
    );
  });

  it('takes them as the scope when params.awsAppNames names the app (and then no group is in it)', async () => {
    const names = configured('params:\n  awsAppNames: [dxprovisioning-graphapi-client]\n');
    const { report } = await check(root('entra-other-app-assignments'), names);
    expect(at(report.findings)).toEqual([
      ['IDC010', 'error', 'identity/assignments.yaml', 3, 12],
      ['IDC010', 'error', 'identity/assignments.yaml', 6, 12],
      ['IDC010', 'error', 'identity/assignments.yaml', 9, 12],
    ]);
  });
});

describe("the tutorials' default mapping (mail, givenName, surname; Okta's displayName)", () => {
  const OKTA = 'identity/okta/aws-iam-identity-center-mapping.json';
  const hints = (): { configRoot: string } => configured('params:\n  reportMayBeEmptySources: true\n');

  it('gives no finding at all by default', async () => {
    for (const fixture of ['entra-tutorial-default', 'okta-tutorial-default']) {
      const { report, exitCode } = await check(root(fixture));
      expect([fixture, at(report.findings), report.notices, exitCode]).toEqual([fixture, [], [], 0]);
    }
  });

  it('hints at the sources that may be empty when params.reportMayBeEmptySources is on', async () => {
    const entra = await check(root('entra-tutorial-default'), hints());
    expect(at(entra.report.findings)).toEqual([
      ['IDC006', 'notice', SCHEMA, 159, 13],
      ['IDC006', 'notice', SCHEMA, 187, 13],
      ['IDC006', 'notice', SCHEMA, 201, 13],
    ]);
    const okta = await check(root('okta-tutorial-default'), hints());
    expect(at(okta.report.findings)).toEqual([['IDC006', 'notice', OKTA, 46, 20]]);
  });
});

describe("fix texts in the vendors' current words", () => {
  it('cite the vendor documents they were checked against, in the rule metadata', () => {
    const catalogue = builtinCatalogue();
    for (const id of ['IDC006', 'IDC007', 'IDC008', 'IDC009', 'IDC010', 'IDC104']) {
      const refs = catalogue.get(id)!.references ?? [];
      expect([id, refs.length > 0, refs.every((r) => r.url.startsWith('https://'))]).toEqual([
        id,
        true,
        true,
      ]);
    }
    expect(catalogue.get('IDC006')!.remediation).toMatch(/Synchronize Microsoft Entra\s+users/);
  });

  it('name the current Entra mapping and Users and groups pages in findings', async () => {
    const { report } = await check(root('entra-gallery-template'));
    expect(report.findings[1].message).toContain(
      'in the Microsoft Entra admin center: Entra ID → Enterprise apps → AWS IAM Identity Center → Provisioning → Mappings → Synchronize Microsoft Entra groups to AWS IAM Identity Center',
    );
    const names = configured('params:\n  awsAppNames: [dxprovisioning-graphapi-client]\n');
    const scoped = await check(root('entra-other-app-assignments'), names);
    expect(scoped.report.findings[0].message).toContain(
      'Entra ID → Enterprise apps → AWS IAM Identity Center → Users and groups → Add user/group',
    );
  });
});
