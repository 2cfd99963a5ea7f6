import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { builtinPolicies } from '../src/rules/catalogue.js';
import { makeRepo, REPO_ROOT, runCli } from './helpers.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');
const EXAMPLE = ['check', '--root', 'examples/acme', '--live', 'off'];
const EXAMPLE_LIVE = ['check', '--root', 'examples/acme', '--live', 'examples/acme/live/snapshot.json'];

/** actionlint-style golden files: UPDATE_GOLDEN=1 rewrites them; otherwise output must match exactly. */
function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const stableJson = (text: string): string => text.replace(/"durationMs": \d+/, '"durationMs": 0');

describe('idc-guard check on the example repository', () => {
  it.each([
    ['text', 'acme.txt'],
    ['json', 'acme.json'],
    ['sarif', 'acme.sarif'],
    ['markdown', 'acme.md'],
  ])('prints the %s report', async (format, golden) => {
    const { code, stdout, stderr } = await runCli([...EXAMPLE, '--format', format]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expectGolden(golden, stableJson(stdout));
  });

  it('shows in the README the same commands and flags as --help', async () => {
    const help = (await runCli(['--help'])).stdout.split('\n');
    const start = help.findIndex((l) => l.startsWith('  idc-guard check'));
    const end = help.findIndex((l) => l.startsWith('  idc-guard --version'));
    const commands = help
      .slice(start, end + 1)
      .map((l) => l.slice(2))
      .join('\n');
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(/## Command line\n\n```\n([\s\S]*?)\n```/.exec(readme)?.[1]).toBe(commands);
  });

  it('prints the live rules from the example snapshot (the README main command)', async () => {
    const { code, stdout, stderr } = await runCli(EXAMPLE_LIVE);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expectGolden('acme-live.txt', stdout);
    // The README shows this very output, and the date it is pinned to.
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(/What the first command prints[\s\S]*?\n```text\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(stdout);
    expect(readme).toContain('`IDC_GUARD_NOW=2026-11-23 node dist/cli.js check …` prints exactly this');
    const ids = new Set([...stdout.matchAll(/IDC1\d\d/g)].map((m) => m[0]));
    expect([...ids].sort()).toEqual([
      'IDC101',
      'IDC102',
      'IDC103',
      'IDC104',
      'IDC105',
      'IDC106',
      'IDC107',
      'IDC108',
      'IDC109',
      'IDC110',
    ]);
  });

  it('writes a JSON report that matches its published schema', async () => {
    const { stdout } = await runCli([...EXAMPLE_LIVE, '--format', 'json']);
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'report.schema.json'), 'utf8')),
    );
    expect(validate(JSON.parse(stdout))).toBe(true);
  });

  it('writes SARIF that code scanning accepts: rules with help, results with fingerprints and regions', async () => {
    const { stdout } = await runCli([...EXAMPLE, '--format', 'sarif']);
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('IDC005');
    // The example's team policy is a rule too; it has no helpUri, so it has none in SARIF (never an empty one).
    expect(run.tool.driver.rules.find((r: { id: string }) => r.id === 'ACME-001')).not.toHaveProperty(
      'helpUri',
    );
    for (const rule of run.tool.driver.rules.filter((r: { id: string }) => r.id.startsWith('IDC')))
      expect(rule).toEqual(
        expect.objectContaining({
          help: expect.objectContaining({ text: expect.any(String) }),
          helpUri: expect.stringMatching(/^https:/),
        }),
      );
    for (const result of run.results) {
      expect(result.partialFingerprints['idcGuardFingerprint/v1']).toMatch(/^[0-9a-f]{32}$/);
      expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(
        /^examples\/acme\/identity\//,
      );
    }
    // The suppressed finding is left out: code scanning would open an alert for it.
    expect(run.results).toHaveLength(8);
  });

  it('writes --output in the chosen format and still prints the readable report', async () => {
    const out = join(makeRepo({}), 'report.sarif');
    const { code, stdout } = await runCli([...EXAMPLE, '--format', 'sarif', '--output', out]);
    expect(code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
    expect(stdout).toMatch(/✖ 8 problems/);
  });

  it('runs from the committed bundle exactly as from the sources', () => {
    const run = spawnSync('node', [join(REPO_ROOT, 'dist', 'cli.js'), ...EXAMPLE], {
      cwd: REPO_ROOT,
      env: { ...process.env, IDC_GUARD_NOW: '2026-11-23', NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(readFileSync(join(GOLDEN, 'acme.txt'), 'utf8'));
    expect(readFileSync(join(REPO_ROOT, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(
      true,
    );
  });
});

describe('exit codes and errors', () => {
  const clean = () => makeRepo({ 'identity/groups.yaml': 'kind: Groups\ngroups:\n  - name: a\n' });
  const warnOnly = () =>
    makeRepo({
      'identity/ic.yaml':
        'kind: IdentityCenter\nregion: us-east-1\nscim:\n  idp: okta\n  tokenCreated: "2025-12-01"\n',
    });

  it('exits 0 when nothing is at or above --fail-on, 1 when something is', async () => {
    expect((await runCli(['check', '--root', clean()])).code).toBe(0);
    expect((await runCli(['check', '--root', warnOnly()])).code).toBe(0);
    expect((await runCli(['check', '--root', warnOnly(), '--fail-on', 'warning'])).code).toBe(1);
    expect((await runCli([...EXAMPLE, '--fail-on', 'never'])).code).toBe(0);
  });

  it.each([
    [['check', '--format', 'xml'], /--format "xml" is not one of text, json, sarif, markdown/],
    [
      ['check', '--fail-on', 'warn'],
      /--fail-on "warn" is not one of error, warning, notice, never \(did you mean warning\?\)/,
    ],
    [['chekc'], /unknown command "chekc" \(did you mean check\?\)/],
    [['check', '--nope'], /Unknown option '--nope'/],
    [['rules', 'IDC999'], /unknown rule "IDC999"/],
    // Usage errors found before any work: a typo is no snapshot path, a lost report is found at the start.
    [
      ['check', '--live', 'nope.json', '--root', 'examples/acme'],
      /--live "nope\.json" is not auto, aws, off or a snapshot file that exists/,
    ],
    [['check', '--live', 'awss'], /--live "awss" is not auto, aws, off .*\(did you mean aws\?\)/],
    [
      ['check', '--output', '/nonexistent/dir/r.json'],
      /--output "\/nonexistent\/dir\/r\.json": the folder \/nonexistent\/dir does not exist/,
    ],
    [['check', '--output', '.'], /--output "\." is a folder; give a file name/],
    [['check', '--mode', 'drift', '--live', 'off'], /--mode drift compares .* --live off reads none/],
    // Each command takes only its own flags.
    [['check', '--force'], /check does not take --force; it takes --root, /],
    [
      ['baseline', '--format', 'json'],
      /baseline does not take --format; it takes --root, --config, --output/,
    ],
    [['rules', '--live', 'off'], /rules does not take --live; it takes --root, --config, --format/],
    [['snapshot', '--outt', 'x.json'], /Unknown option '--outt'/],
    [['init', '--from-live', '--root', '.'], /init does not take --root \(did you mean --out\?\)/],
  ])('exits 2 with one line on stderr for %j', async (argv, message) => {
    const { code, stderr, stdout } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr + stdout).toMatch(message);
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(1);
  });

  it('exits 2 on a bad configuration, naming the file and line', async () => {
    const root = makeRepo({ '.idc-guard.yml': 'failOn: error\nrules:\n  IDC005: { severity: fatal }\n' });
    const { code, stderr } = await runCli(['check', '--root', root]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'idc-guard: configuration error: .idc-guard.yml:3:23: rules.IDC005.severity is "fatal"; expected one of error, warning, notice\n',
    );
  });

  it('exits 2 when --config names a missing file', async () => {
    const { code, stderr } = await runCli(['check', '--root', clean(), '--config', 'nope.yml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/config file .*nope\.yml does not exist/);
  });
});

describe('configuration', () => {
  const files = {
    'identity/groups.yaml': 'kind: Groups\ngroups:\n  - name: a\n    members: { groups: [b] }\n  - name: b\n',
    'identity/extra/x.yaml': 'nokind: true\n',
  };

  it('turns rules off, changes severities and excludes files', async () => {
    const root = makeRepo({
      ...files,
      '.idc-guard.yml': 'exclude: ["identity/extra/**"]\nrules:\n  IDC005: { severity: warning }\n',
    });
    const { stdout, code } = await runCli(['check', '--root', root, '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(report.findings.map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity])).toEqual([
      ['IDC005', 'warning'],
    ]);
    expect(code).toBe(0);
    const off = makeRepo({
      ...files,
      '.idc-guard.yml': 'rules:\n  IDC005: { enabled: false }\n  IDC001: { enabled: false }\n',
    });
    expect(JSON.parse((await runCli(['check', '--root', off, '--format', 'json'])).stdout).findings).toEqual(
      [],
    );
  });

  it('honours inline suppressions with a reason, on the line or the line above, and counts them', async () => {
    const root = makeRepo({
      'identity/groups.yaml':
        'kind: Groups\ngroups:\n  - name: a\n    members:\n      # idc-guard-ignore IDC005 -- migrating, see TICKET-1\n      groups: [b]\n  - name: c\n    members: { groups: [d] } # idc-guard-ignore IDC005 -- same\n  - name: e\n    members: { groups: [f] } # idc-guard-ignore IDC005\n',
    });
    const { stdout } = await runCli(['check', '--root', root, '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(
      report.findings.map((f: { ruleId: string; line: number; suppressed: boolean }) => [
        f.ruleId,
        f.line,
        f.suppressed,
      ]),
    ).toEqual([
      ['IDC005', 6, true],
      ['IDC005', 8, true],
      ['IDC005', 10, false],
      ['IDC001', 10, false],
    ]);
    expect(report.findings[0].suppression).toEqual({ kind: 'inline', reason: 'migrating, see TICKET-1' });
    expect(report.findings[3].message).toMatch(/has no reason/);
    expect(report.summary).toEqual({ error: 2, warning: 0, notice: 0, suppressed: 2 });
  });

  it('refuses a rule setting that names no rule, and flags a suppression that names none', async () => {
    const typo = makeRepo({
      ...files,
      '.idc-guard.yml': 'failOn: error\nrules:\n  IDC160: { enabled: false }\n',
    });
    expect(await runCli(['check', '--root', typo])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'idc-guard: configuration error: .idc-guard.yml:3:3: rules: IDC160 is no rule of this check ' +
        "(did you mean IDC110?); `idc-guard rules` lists the built-in rules and the team's policies\n",
    });
    const malformed = makeRepo({ ...files, '.idc-guard.yml': 'rules:\n  IDC10G: { enabled: false }\n' });
    const refused = await runCli(['check', '--root', malformed]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^idc-guard: configuration error: \.idc-guard\.yml:2:3: rules: "IDC10G" is no rule ID: a built-in rule is IDC and three digits/,
    );
    const suppressed = makeRepo({
      ...files,
      'identity/groups.yaml': files['identity/groups.yaml'].replace(
        'groups:\n',
        'groups:\n  # idc-guard-ignore IDC1O6 -- typo\n',
      ),
    });
    const report = JSON.parse((await runCli(['check', '--root', suppressed, '--format', 'json'])).stdout);
    expect(
      report.findings.filter((f: { entity: { kind: string } }) => f.entity.kind === 'suppression'),
    ).toEqual([
      expect.objectContaining({
        file: 'identity/groups.yaml',
        line: 3,
        column: 3,
        message:
          'idc-guard-ignore names IDC1O6, which is no rule of this check (did you mean IDC106?), so it silences nothing; `idc-guard rules` lists the rules',
      }),
    ]);
  });

  it('says what to add when the configuration names no baseline, and writes none after a tool error', async () => {
    const root = makeRepo(files);
    const written = await runCli(['baseline', '--root', root, '--live', 'off']);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(
      'note: check reads a baseline only when .idc-guard.yml names it: add `baseline: .idc-guard-baseline.json`\n',
    );
    const failing = makeRepo(files);
    const snapshot = join(failing, 'live.json');
    writeFileSync(snapshot, '{"version": 1}');
    const refused = await runCli(['baseline', '--root', failing, '--live', snapshot]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /baseline not written: 1 tool error, so the check did not see every finding\n$/,
    );
    expect(existsSync(join(failing, '.idc-guard-baseline.json'))).toBe(false);
  });

  it('writes a baseline, then fails only on new findings', async () => {
    const root = makeRepo({ ...files, '.idc-guard.yml': 'baseline: .idc-guard-baseline.json\n' });
    const written = await runCli(['baseline', '--root', root]);
    expect(written).toEqual({
      code: 0,
      stdout:
        'wrote 2 findings (--mode check) to .idc-guard-baseline.json\n' +
        "note: drift findings of a full read (IDC105-IDC110 in --mode drift) are not in it; write the nightly job's baseline with --mode drift\n",
      stderr: '',
    });
    expect(JSON.parse(readFileSync(join(root, '.idc-guard-baseline.json'), 'utf8')).mode).toBe('check');
    expect(existsSync(join(root, '.idc-guard-baseline.json'))).toBe(true);
    const again = await runCli(['check', '--root', root, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).summary).toEqual({ error: 0, warning: 0, notice: 0, suppressed: 2 });
    // A new finding, and an old one moved to another line: only the new one fails.
    writeFileSync(
      join(root, 'identity/groups.yaml'),
      `# moved\n${files['identity/groups.yaml']}  - name: c\n    members: { groups: [d] }\n`,
    );
    const after = await runCli(['check', '--root', root, '--format', 'json']);
    expect(after.code).toBe(1);
    const failing = JSON.parse(after.stdout).findings.filter((f: { suppressed: boolean }) => !f.suppressed);
    expect(failing.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line])).toEqual([['IDC005', 8]]);
  });

  it('reports a missing baseline as a tool error (exit 2), with the findings still shown', async () => {
    const root = makeRepo({ ...files, '.idc-guard.yml': 'baseline: missing.json\n' });
    const { code, stdout } = await runCli(['check', '--root', root]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/error: baseline missing.json does not exist; write it with `idc-guard baseline`/);
    expect(stdout).toMatch(/IDC005/);
  });
});

describe('idc-guard rules', () => {
  it('lists every rule and explains one', async () => {
    const list = await runCli(['rules']);
    expect(list.stdout.split('\n').filter(Boolean)).toHaveLength(36);
    const one = await runCli(['rules', 'idc005']);
    expect(one.stdout).toMatch(/^IDC005: Nested group\nseverity: error \(default\)/);
    expect(one.stdout).toMatch(
      /More: https:\/\/github.com\/idc-guard\/idc-guard\/blob\/v\d+\.\d+\.\d+\/docs\/rules.md#idc005/,
    );
  });

  it('keeps docs/rules.md equal to what the catalogue generates (npm run docs)', async () => {
    const { stdout } = await runCli(['rules', '--format', 'markdown']);
    expect(readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8')).toBe(stdout);
  });

  it('has, for every rule in the catalogue, a rule file in src/rules or a policy in its metadata; never both', () => {
    const codeIds = execFileSync('ls', [join(REPO_ROOT, 'src', 'rules')], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => /^idc\d+/.test(f))
      .map((f) => f.slice(0, 6).toUpperCase());
    const catalogue = execFileSync('ls', [join(REPO_ROOT, 'policies', 'builtin')], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace('.yaml', ''));
    const policyIds = builtinPolicies().map((p) => p.meta.id);
    expect(policyIds).toEqual(['IDC011']);
    expect([...codeIds, ...policyIds].sort()).toEqual(catalogue);
  });
});

describe('the product schemas', () => {
  it('are valid draft 2020-12 schemas (the product skips that check at run time)', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addKeyword('errorHint');
    const dir = join(REPO_ROOT, 'schemas');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json'))) {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      expect([file, ajv.validateSchema(schema), ajv.errorsText()]).toEqual([file, true, 'No errors']);
    }
    // The built-in policies' schemas too.
    for (const policy of builtinPolicies()) {
      for (const validate of [policy.require, policy.where].filter(Boolean))
        expect(ajv.validateSchema(validate!.schema)).toBe(true);
    }
  });
});
