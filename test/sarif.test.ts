import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { githubContext } from '../src/action/context.js';
import type { ActionInputs } from '../src/action/inputs.js';
import { writeSarifFile } from '../src/action/report-files.js';
import type { Finding } from '../src/findings/types.js';
import { MAX_SARIF_RESULTS, renderSarif, sarifAutomationId, type SarifOptions } from '../src/report/sarif.js';
import { builtinCatalogue } from '../src/rules/catalogue.js';
import type { RuleMeta } from '../src/rules/types.js';
import { check, fakeFinding, fakeReport, REPO_ROOT, runCli } from './helpers.js';

// ajv-draft-04 and ajv-formats are CommonJS; depending on the loader each is the module or its default export.
type Ajv04 = InstanceType<typeof Ajv04Module.default>;
const Ajv04 = ((Ajv04Module as unknown as { default?: unknown }).default ??
  Ajv04Module) as typeof Ajv04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv04) => void;

/**
 * The OASIS SARIF 2.1.0 schema (2.1.0-rtm.5, the schema of the OASIS Standard, draft-04), as
 * @microsoft/jest-sarif ships it: GitHub points to the same schema for what code scanning reads
 * (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
 */
const SCHEMA = JSON.parse(
  readFileSync(
    join(REPO_ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'),
    'utf8',
  ),
) as object;
// The schema's language pattern is not valid with the u flag (`]?$`): compile it as draft-04 meant, without.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(SCHEMA);

function expectValidSarif(text: string): void {
  const valid = validateSarif(JSON.parse(text));
  expect(validateSarif.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const BUILTIN: RuleMeta[] = [...builtinCatalogue().values()];
const options = (extra: Partial<SarifOptions> = {}): SarifOptions => ({
  version: '0.1.0',
  rules: BUILTIN,
  pathPrefix: '',
  ...extra,
});

interface SarifRule {
  id: string;
  helpUri?: string;
  properties: { tags: string[]; 'security-severity': string };
}

const runOf = (text: string) => (JSON.parse(text) as { runs: Record<string, unknown>[] }).runs[0];
const rulesOf = (text: string) =>
  (runOf(text) as { tool: { driver: { rules: SarifRule[] } } }).tool.driver.rules;

describe('SARIF for code scanning', () => {
  it('is valid OASIS SARIF 2.1.0: the example repository, as the golden file has it', async () => {
    const { stdout } = await runCli([
      'check',
      '--root',
      'examples/acme',
      '--live',
      'off',
      '--format',
      'sarif',
    ]);
    expectValidSarif(stdout);
    expectValidSarif(readFileSync(join(REPO_ROOT, 'test', 'golden', 'acme.sarif'), 'utf8'));
  });

  it('the schema check rejects what is not SARIF 2.1.0', () => {
    expect(validateSarif({ version: '2.1.0' })).toBe(false);
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(
      validateSarif({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, invocations: [{}] }] }),
    ).toBe(false);
  });

  it('gives every built-in rule its security-severity, as a string, and the tag security', () => {
    const rules = rulesOf(renderSarif(fakeReport([]), options()).text);
    expect(rules).toHaveLength(36);
    for (const rule of rules) {
      expect(rule.properties.tags).toEqual([
        'security',
        'iam-identity-center',
        expect.stringMatching(/^(static|live)$/),
      ]);
      expect(rule.properties['security-severity']).toBe(
        builtinCatalogue().get(rule.id)!.securitySeverity!.toFixed(1),
      );
    }
    const score = Object.fromEntries(rules.map((r) => [r.id, r.properties['security-severity']]));
    expect(score).toEqual({
      IDC001: '5.0',
      IDC002: '5.5',
      IDC003: '6.1',
      IDC004: '7.1',
      IDC005: '4.3',
      IDC006: '4.3',
      IDC007: '4.3',
      IDC008: '7.0',
      IDC009: '6.5',
      IDC010: '4.3',
      IDC011: '3.5',
      IDC012: '3.0',
      IDC013: '6.0',
      IDC014: '8.0',
      IDC015: '3.0',
      IDC016: '3.0',
      IDC017: '4.0',
      IDC018: '5.0',
      IDC019: '5.5',
      IDC101: '4.3',
      IDC102: '7.5',
      IDC103: '2.0',
      IDC104: '3.1',
      IDC105: '4.5',
      IDC106: '9.3',
      IDC107: '8.1',
      IDC108: '6.0',
      IDC109: '5.0',
      IDC110: '7.0',
      IDC111: '4.3',
      IDC112: '9.1',
      IDC113: '4.5',
      IDC114: '6.0',
      IDC115: '5.0',
      IDC116: '5.5',
      IDC117: '5.0',
    });
  });

  it("takes a team policy's securitySeverity, or derives it from its severity", () => {
    const policy = (id: string, extra: Partial<RuleMeta>): RuleMeta => ({
      id,
      title: id,
      severity: 'error',
      scope: 'static',
      description: id,
      remediation: '',
      helpUri: 'https://wiki.example.com/aws',
      source: 'policies/org.yaml',
      sourceLine: 1,
      ...extra,
    });
    const rules = rulesOf(
      renderSarif(
        fakeReport([]),
        options({
          rules: [
            policy('ORG-001', { securitySeverity: 8.4 }),
            policy('ORG-002', {}),
            policy('ORG-003', { severity: 'warning' }),
            policy('ORG-004', { severity: 'notice' }),
          ],
        }),
      ).text,
    );
    expect(rules.map((r) => [r.id, r.properties['security-severity'], r.properties.tags[0]])).toEqual([
      ['ORG-001', '8.4', 'security'],
      ['ORG-002', '7.0', 'security'],
      ['ORG-003', '5.0', 'security'],
      ['ORG-004', '2.0', 'security'],
    ]);
  });

  it('names the run idc-guard/<path>/<mode>/, or the category given', () => {
    expect(sarifAutomationId('', 'check')).toBe('idc-guard/check/');
    expect(sarifAutomationId('infra/identity/', 'drift')).toBe('idc-guard/infra/identity/drift/');
    expect(sarifAutomationId('infra/identity/', 'drift', 'identity-nightly')).toBe('identity-nightly/');
    expect(sarifAutomationId('', 'check', 'identity/')).toBe('identity/');
    const text = renderSarif(
      fakeReport([fakeFinding('error')]),
      options({ automationId: 'idc-guard/infra/identity/drift/' }),
    ).text;
    expect(runOf(text).automationDetails).toEqual({ id: 'idc-guard/infra/identity/drift/' });
    expectValidSarif(text);
    expect(runOf(renderSarif(fakeReport([]), options()).text)).not.toHaveProperty('automationDetails');
  });

  it('the CLI names the run by --root and mode check', async () => {
    const { stdout } = await runCli([
      'check',
      '--root',
      'examples/acme',
      '--live',
      'off',
      '--format',
      'sarif',
    ]);
    expect(runOf(stdout).automationDetails).toEqual({ id: 'idc-guard/examples/acme/check/' });
  });

  describe('at most 25,000 results in a run', () => {
    // 30,000 findings: notices, warnings and errors in turn, 10,000 each.
    const severities = ['notice', 'warning', 'error'] as const;
    const findings: Finding[] = Array.from({ length: 30_000 }, (_, i) =>
      fakeFinding(severities[i % 3], { fingerprint: `fp-${i}`, line: i + 1 }),
    );
    const report = fakeReport(findings);
    const out = renderSarif(report, options({ automationId: 'idc-guard/check/' }));
    const run = runOf(out.text) as {
      results: { level: string; partialFingerprints: Record<string, string> }[];
      invocations: unknown[];
      properties: unknown;
    };
    const message =
      '5000 of 30000 results are not in the SARIF file: GitHub code scanning accepts at most 25000 in a run, ' +
      'so the most severe are kept; the JSON report has them all';

    it('is the limit GitHub documents', () => {
      expect(MAX_SARIF_RESULTS).toBe(25_000);
    });

    it('keeps the most severe, in report order', () => {
      expect(run.results).toHaveLength(25_000);
      const count = (level: string) => run.results.filter((r) => r.level === level).length;
      expect([count('error'), count('warning'), count('note')]).toEqual([10_000, 10_000, 5_000]);
      // The notices kept are the first 5,000 of the report; order is the report's.
      const fps = run.results.map((r) => r.partialFingerprints['idcGuardFingerprint/v1']);
      expect(fps.slice(0, 4)).toEqual(['fp-0', 'fp-1', 'fp-2', 'fp-3']);
      expect(fps.at(-1)).toBe('fp-29999');
      expect(fps).toContain('fp-14997');
      expect(fps).not.toContain('fp-15000');
      const index = fps.map((fp) => Number(fp.slice(3)));
      expect(index).toEqual([...index].sort((a, b) => a - b));
    });

    it('says so in the run and returns the notice for the CLI and the Action', () => {
      expect(run.invocations).toEqual([
        {
          executionSuccessful: true,
          toolExecutionNotifications: [
            {
              descriptor: { id: 'idc-guard/sarif-results-cut' },
              level: 'warning',
              message: { text: message },
            },
          ],
        },
      ]);
      expect(run.properties).toEqual({ resultsCut: 5000, resultsTotal: 30000 });
      expect(out.notice).toEqual({ message });
      expectValidSarif(out.text);
    });

    it('cuts nothing and says nothing at the limit', () => {
      const atLimit = renderSarif(fakeReport(findings.slice(0, 25_000)), options());
      expect(atLimit.notice).toBeUndefined();
      const whole = runOf(atLimit.text);
      expect((whole.results as unknown[]).length).toBe(25_000);
      expect(whole).not.toHaveProperty('invocations');
      expect(whole).not.toHaveProperty('properties');
    });

    it('names the limit it was given', () => {
      const small = renderSarif(report, options({ maxResults: 2 }));
      expect(small.notice?.message).toBe(
        '29998 of 30000 results are not in the SARIF file: GitHub code scanning accepts at most 2 in a run, so ' +
          'the most severe are kept; the JSON report has them all',
      );
    });
  });

  describe("a team policy's helpUri", () => {
    const team: RuleMeta = {
      id: 'ORG-001',
      title: 'Admin sessions last one hour',
      severity: 'error',
      scope: 'static',
      description: 'Admin sessions last one hour',
      remediation: '',
      helpUri: '',
      source: 'policies/org.yaml',
      sourceLine: 12,
    };
    it('points to the policy file at the commit, at its line, when the repository is known', () => {
      const text = renderSarif(
        fakeReport([]),
        options({
          rules: [team],
          pathPrefix: 'infra/',
          repository: {
            url: 'https://github.com/acme/identity',
            commit: '0123456789abcdef0123456789abcdef01234567',
          },
        }),
      ).text;
      expect(rulesOf(text)[0].helpUri).toBe(
        'https://github.com/acme/identity/blob/0123456789abcdef0123456789abcdef01234567/infra/policies/org.yaml#L12',
      );
      expectValidSarif(text);
    });

    it('is left out without a repository, never an empty string', () => {
      const rule = rulesOf(renderSarif(fakeReport([]), options({ rules: [team] })).text)[0];
      expect(rule).not.toHaveProperty('helpUri');
    });

    it("keeps the policy's own helpUri", () => {
      const own = { ...team, helpUri: 'https://wiki.example.com/aws-access' };
      const text = renderSarif(
        fakeReport([]),
        options({ rules: [own], repository: { url: 'https://github.com/acme/identity', commit: 'abc' } }),
      ).text;
      expect(rulesOf(text)[0].helpUri).toBe('https://wiki.example.com/aws-access');
    });

    it('the Action links the example policy at the PR base, or at GITHUB_SHA', async () => {
      const result = await check(join(REPO_ROOT, 'examples', 'acme'));
      const workspace = mkdtempSync(join(tmpdir(), 'idc-guard-sarif-'));
      const inputs = {
        pathPrefix: 'examples/acme/',
        mode: 'check',
        sarifFile: 'out.sarif',
      } as ActionInputs;
      const env = {
        GITHUB_REPOSITORY: 'acme/identity',
        GITHUB_SERVER_URL: 'https://github.example.com/',
        GITHUB_SHA: 'feedface',
      };
      const written = writeSarifFile(result, inputs, workspace, githubContext(env));
      expect(written).toEqual({ path: 'out.sarif' });
      const text = readFileSync(join(workspace, 'out.sarif'), 'utf8');
      const acme = rulesOf(text).find((r) => r.id === 'ACME-001')!;
      expect(acme.helpUri).toBe(
        'https://github.example.com/acme/identity/blob/feedface/examples/acme/policies/session-length.yaml#L2',
      );
      expect(acme.properties['security-severity']).toBe('5.0');
      expect(runOf(text).automationDetails).toEqual({ id: 'idc-guard/examples/acme/check/' });

      const drift = { ...inputs, mode: 'drift', sarifCategory: 'identity-nightly' } as ActionInputs;
      writeSarifFile(result, { ...drift, sarifFile: 'drift.sarif' }, workspace, githubContext(env));
      expect(runOf(readFileSync(join(workspace, 'drift.sarif'), 'utf8')).automationDetails).toEqual({
        id: 'identity-nightly/',
      });

      // On a pull request the policies come from the base: the link is at the base commit.
      const event = join(workspace, 'event.json');
      writeFileSync(
        event,
        JSON.stringify({
          pull_request: {
            number: 7,
            base: { sha: 'base0123', repo: { full_name: 'acme/identity' } },
            head: { repo: { full_name: 'acme/identity' } },
          },
        }),
      );
      const pr = githubContext({ ...env, GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' });
      writeSarifFile(result, { ...inputs, sarifFile: 'pr.sarif' }, workspace, pr);
      expect(
        rulesOf(readFileSync(join(workspace, 'pr.sarif'), 'utf8')).find((r) => r.id === 'ACME-001')!.helpUri,
      ).toBe(
        'https://github.example.com/acme/identity/blob/base0123/examples/acme/policies/session-length.yaml#L2',
      );

      // No repository (off a runner): no link.
      writeSarifFile(result, { ...inputs, sarifFile: 'local.sarif' }, workspace, githubContext({}));
      const local = rulesOf(readFileSync(join(workspace, 'local.sarif'), 'utf8')).find(
        (r) => r.id === 'ACME-001',
      )!;
      expect(local).not.toHaveProperty('helpUri');
    });
  });
});
