import * as core from '@actions/core';
import { renderedProblems } from './gfm.js';
import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planAnnotations, type Annotation } from '../src/action/annotations.js';
import { InputError, parseInputs, repoPathPrefix } from '../src/action/inputs.js';
import { commandText, logLines } from '../src/action/log.js';
import { driftDetected, failureReason } from '../src/action/outcome.js';
import { renderSummary, SUMMARY_LIMIT_BYTES, type SummaryContext } from '../src/action/summary.js';
import type { Severity } from '../src/findings/types.js';
import { makeRepo, REPO_ROOT, fakeFinding, fakeReport } from './helpers.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');

/** Golden files as in cli.test.ts: UPDATE_GOLDEN=1 rewrites them; otherwise output must match exactly. */
function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const HOSTILE = [
  '::set-output name=x::y',
  '##[set-output name=drift;]true',
  '##[stop-commands]zzz',
  '##[error]boom',
  '@org/team',
  '<img src=x onerror=1>',
  'a|b #1',
  'line1\nline2%0A',
];

const finding = fakeFinding;

const reportOf = fakeReport;

const many = (n: number, severity: Severity) => Array.from({ length: n }, () => finding(severity));
const levels = (plan: Annotation[]) => plan.map((a) => a.level);
const count = (plan: Annotation[], level: Severity) => plan.filter((a) => a.level === level).length;

/**
 * What the runner makes of a step's stdout (actions/runner ActionCommand.TryParseV2, then the legacy
 * TryParse), stricter than the runner: every command name counts as registered.
 */
interface RunnerCommand {
  syntax: '::' | '##[';
  name: string;
  properties: Record<string, string>;
  data: string;
}
function runnerCommands(stdout: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.trimStart();
    const end = line.startsWith('::') ? line.indexOf('::', 2) : -1;
    if (end >= 0) {
      const [name, props = ''] = line.slice(2, end).split(/ (.*)/s);
      const properties = Object.fromEntries(
        props
          .split(',')
          .filter(Boolean)
          .map((p) => p.split(/=(.*)/s).slice(0, 2))
          .map(([k, v]) => [k, unescapeCommand(v, true)]),
      );
      commands.push({ syntax: '::', name, properties, data: unescapeCommand(line.slice(end + 2), false) });
      continue;
    }
    const start = raw.indexOf('##[');
    const close = start >= 0 ? raw.indexOf(']', start) : -1;
    if (close >= 0) {
      const name = raw.slice(start + 3, close).split(' ')[0];
      commands.push({ syntax: '##[', name, properties: {}, data: raw.slice(close + 1) });
    }
  }
  return commands;
}
function unescapeCommand(value: string, property: boolean): string {
  let text = value.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) text = text.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return text.replace(/%25/g, '%');
}

/** The `name<<delimiter` blocks @actions/core 3 appends to GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^([^\n<]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n\2$/gm;
  for (const [, name, , value] of text.matchAll(block)) outputs[name] = value;
  return outputs;
}

describe('annotations', () => {
  const options = { pathPrefix: 'examples/acme/', readMore: 'the job summary' };

  it('puts the most severe first, keeps the report order within a level, and leaves out suppressed findings', () => {
    const findings = [
      finding('notice'),
      finding('warning'),
      finding('error'),
      finding('error', { suppressed: true, suppression: { kind: 'inline', reason: 'accepted' } }),
      finding('warning'),
      finding('error'),
    ];
    const plan = planAnnotations(findings, options);
    expect(levels(plan)).toEqual(['error', 'error', 'warning', 'warning', 'notice']);
    expect(plan[0]).toEqual({
      level: 'error',
      message: findings[2].message,
      properties: {
        file: 'examples/acme/identity/groups.yaml',
        startLine: findings[2].line,
        startColumn: 3,
        title: 'IDC005',
      },
    });
    expect(plan.map((a) => a.message)).toEqual([2, 5, 1, 4, 0].map((i) => findings[i].message));
  });

  it('emits no more than GitHub shows per level, then one notice counting the rest', () => {
    const plan = planAnnotations(
      [...many(15, 'error'), ...many(12, 'warning'), ...many(3, 'notice')],
      options,
    );
    expect([count(plan, 'error'), count(plan, 'warning'), count(plan, 'notice')]).toEqual([10, 10, 4]);
    expect(plan.at(-1)).toEqual({
      level: 'notice',
      message: '7 more findings not annotated (GitHub shows 10 per level per step): see the job summary',
      properties: { title: 'idc-guard' },
    });
  });

  it('keeps a slot for the failure annotation, and one for the notice about the rest', () => {
    const plan = planAnnotations([...many(10, 'error'), ...many(10, 'notice')], {
      ...options,
      reserved: { error: 1 },
    });
    expect([count(plan, 'error'), count(plan, 'warning'), count(plan, 'notice')]).toEqual([9, 0, 10]);
    expect(plan.at(-1)?.message).toMatch(/^2 more findings not annotated/);
  });

  it('adds no notice when everything fits', () => {
    const plan = planAnnotations(
      [...many(10, 'error'), ...many(10, 'warning'), ...many(10, 'notice')],
      options,
    );
    expect(plan).toHaveLength(30);
    expect(plan.every((a) => a.properties.file)).toBe(true);
  });

  it('makes hostile names inert: what the runner reads back is only our annotations, with the text intact', () => {
    const findings = HOSTILE.map((name) =>
      finding('error', { message: `group "${name}" is nested`, file: `${name}.yaml` }),
    );
    const plan = planAnnotations(findings, { ...options, pathPrefix: '' });
    let stdout = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    try {
      for (const a of plan) core[a.level](a.message, a.properties);
    } finally {
      write.mockRestore();
    }
    const commands = runnerCommands(stdout);
    expect(stdout.trimEnd().split('\n')).toHaveLength(HOSTILE.length);
    expect(commands.map((c) => `${c.syntax}${c.name}`)).toEqual(HOSTILE.map(() => '::error'));
    expect(commands.map((c) => c.data)).toEqual([
      'group "::set-output name=x::y" is nested',
      'group "##\\[set-output name=drift;]true" is nested',
      'group "##\\[stop-commands]zzz" is nested',
      'group "##\\[error]boom" is nested',
      'group "@org/team" is nested',
      'group "<img src=x onerror=1>" is nested',
      'group "a|b #1" is nested',
      'group "line1\\nline2%0A" is nested',
    ]);
    // The file keeps its name (so the annotation still attaches), but for the control characters.
    expect(commands.map((c) => c.properties.file)).toEqual(
      HOSTILE.map((n) => `${n.replace('\n', '\\n')}.yaml`),
    );
  });
});

describe('log lines', () => {
  it('never start a command, and break the legacy `##[` command anywhere in a line', () => {
    expect(logLines('::set-output name=x::y\n  ##[error]boom\nok ##[set-output name=a;]b\n')).toEqual([
      '\\::set-output name=x::y',
      '  ##\\[error]boom',
      'ok ##\\[set-output name=a;]b',
    ]);
    expect(runnerCommands(logLines(HOSTILE.join('\n')).join('\n'))).toEqual([]);
    expect(commandText('a\nb ##[x]')).toBe('a\\nb ##\\[x]');
  });
});

describe('job summary', () => {
  const context: SummaryContext = {
    pathPrefix: 'examples/acme/',
    mode: 'check',
    failOn: 'error',
    exitCode: 1,
    sarif: false,
  };

  it('escapes every value from files and AWS, and keeps each table row to its four columns', () => {
    const findings = HOSTILE.map((name) =>
      finding('warning', { message: `group "${name}" is nested`, file: `${name}.yaml`, ruleId: 'IDC005' }),
    );
    const { markdown, cut } = renderSummary(
      reportOf(findings, { errors: [{ source: 'aws', message: '<b>@org</b> denied' }] }),
      { ...context, exitCode: 2 },
    );
    expect(cut).toBe(0);
    expect(renderedProblems(markdown)).toEqual([]);
    expect(markdown).toContain('&lt;img src=x onerror=1&gt;');
    expect(markdown).toContain('`@org/team`');
    expect(markdown).toContain('- &lt;b&gt;`@org`&lt;/b&gt; denied');
    const rows = markdown.split('\n').filter((l) => l.startsWith('| 🟠'));
    expect(rows).toHaveLength(HOSTILE.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
    expect(markdown).toContain('⚠️ **Incomplete**: 1 tool error');
  });

  it('shows accepted findings folded away, the AWS reads, and drift in drift mode', () => {
    const findings = [
      finding('error', { ruleId: 'IDC106' }),
      finding('notice', { suppressed: true, suppression: { kind: 'inline', reason: 'ticket #12 @ops' } }),
    ];
    const stats = {
      files: 3,
      apiCalls: 7,
      apiCallsByOperation: { ListGroups: 2, ListAccountAssignments: 5 },
      durationMs: 1,
    };
    const { markdown } = renderSummary(reportOf(findings, { stats }), { ...context, mode: 'drift' });
    expect(markdown).toContain(
      '1 error, 0 warnings, 0 notices, 1 suppressed in 3 files; mode `drift`: **drift found**.',
    );
    expect(markdown).toContain('<details><summary>1 suppressed finding</summary>');
    expect(markdown).toContain('| inline: ticket `#12` `@ops` |');
    expect(markdown).toContain(
      '7 API calls to Identity Center and the identity store:\n\n| Operation | Calls |\n|---|---:|\n| ListAccountAssignments | 5 |\n| ListGroups | 2 |\n',
    );
  });

  it('stays under its limit by cutting accepted findings, then notices, then the least severe findings', () => {
    const long = 'x'.repeat(300);
    const findings = [
      ...many(200, 'notice'),
      ...many(200, 'error'),
      ...many(200, 'warning'),
      ...Array.from({ length: 50 }, () =>
        finding('error', { suppressed: true, suppression: { kind: 'baseline' } }),
      ),
    ].map((f) => ({ ...f, message: `${f.message} ${long}` }));
    const notices = Array.from({ length: 50 }, (_, i) => ({ message: `notice ${i} ${long}` }));
    const report = reportOf(findings, { notices, errors: [{ source: 'aws', message: 'throttled' }] });
    const limit = 150_000;
    const { markdown, cut } = renderSummary(report, { ...context, sarif: true }, limit);

    expect(Buffer.byteLength(markdown)).toBeLessThan(limit);
    const shown = (severity: Severity) =>
      markdown.split('\n').filter((l) => l.includes(` ${severity} | IDC005 |`)).length;
    expect(shown('error')).toBe(200);
    expect(shown('notice')).toBe(0);
    expect(shown('warning')).toBeGreaterThan(50);
    expect(shown('warning')).toBeLessThan(200);
    const cutFindings = 600 - shown('error') - shown('warning');
    expect(cut).toBe(cutFindings + 50 + 50);
    expect(markdown).toContain(
      `_${cutFindings} findings of 600 not shown (the least severe), to keep this summary under GitHub's 1 MiB limit: all are in the JSON report (output \`report-file\`) and the SARIF file (output \`sarif-file\`)._`,
    );
    expect(markdown).toContain('<details><summary>50 suppressed findings</summary>\n\n_50 more not shown');
    expect(markdown).toContain(
      "### Notices\n\n_50 more not shown, to keep this summary under GitHub's 1 MiB limit: see the step's log._",
    );
    expect(markdown).toContain('- throttled');
    // The kept warnings are the first ones: the report's order within a severity.
    expect(markdown).toContain(`| ${findings[400].message} |`);
  });

  it('stays under 1 MiB with many findings, and when one value is pathologically long', () => {
    const huge = finding('error', { message: `@${'<'.repeat(2_000_000)}` });
    const findings = [huge, ...many(5000, 'warning').map((f) => ({ ...f, message: 'm'.repeat(400) }))];
    const { markdown, cut } = renderSummary(reportOf(findings), context);
    expect(Buffer.byteLength(markdown)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(cut).toBeGreaterThan(2000);
    expect(markdown).toContain(`| @${'&lt;'.repeat(1999)}… |`);
  });
});

describe('inputs and outcome', () => {
  const workspace = makeRepo({ 'sub/identity/groups.yaml': 'kind: Groups\ngroups: []\n' });
  const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('reads the inputs with action.yml defaults, paths from the workspace and the config from `path`', () => {
    const inputs = parseInputs(reader({ path: 'sub', config: 'cfg.yml', live: 'snap.json' }), workspace, {});
    expect(inputs).toMatchObject({
      root: join(workspace, 'sub'),
      pathPrefix: 'sub/',
      configPath: join(workspace, 'sub', 'cfg.yml'),
      live: join(workspace, 'snap.json'),
      mode: 'check',
      failOn: 'error',
      comment: true,
      driftIssue: true,
    });
    expect(
      parseInputs(reader({ live: 'aws', mode: 'drift', comment: 'False' }), workspace, {
        IDC_GUARD_NOW: '2026-11-23',
      }),
    ).toMatchObject({
      root: workspace,
      pathPrefix: '',
      live: 'aws',
      mode: 'drift',
      comment: false,
      now: new Date('2026-11-23T00:00:00Z'),
    });
    expect(repoPathPrefix(workspace, join(workspace, '..'))).toBe('');
  });

  it.each([
    [{ mode: 'nightly' }, 'input mode is "nightly"; expected one of check, drift'],
    [{ 'fail-on': 'fatal' }, 'input fail-on is "fatal"; expected one of error, warning, notice, never'],
    [{ comment: 'yes' }, 'input comment is "yes"; expected true or false'],
    [{ path: 'missing' }, 'input path "missing" is not a folder in the workspace'],
    [
      { mode: 'drift', live: 'off' },
      'input mode is "drift" but live is "off": drift needs live state (auto, aws or a snapshot file)',
    ],
  ])('rejects %j with one clear line', (values, message) => {
    expect(() => parseInputs(reader(values), workspace, {})).toThrow(new InputError(message));
  });

  it('reports drift only in drift mode, and not for accepted findings', () => {
    const drift = reportOf([finding('warning', { ruleId: 'IDC110' })]);
    expect(driftDetected(drift, 'drift')).toBe(true);
    expect(driftDetected(drift, 'check')).toBe(false);
    expect(driftDetected(reportOf([finding('error', { ruleId: 'IDC110', suppressed: true })]), 'drift')).toBe(
      false,
    );
    expect(driftDetected(reportOf([finding('error', { ruleId: 'IDC005' })]), 'drift')).toBe(false);
  });

  it('does not call a drift run clean when part of the live state could not be read', () => {
    const broken = reportOf([], {
      errors: [{ source: 'aws', message: 'ListAccountAssignments: AccessDenied' }],
    });
    const context: SummaryContext = {
      pathPrefix: '',
      mode: 'drift',
      failOn: 'error',
      exitCode: 2,
      sarif: false,
    };
    expect(renderSummary(broken, context).markdown).toContain(
      'mode `drift`: no drift found, but not everything could be read.',
    );
  });

  it('says why the step fails', () => {
    const report = reportOf([finding('error'), finding('warning'), finding('notice')]);
    expect(failureReason(report, 'warning', 1)).toBe(
      'idc-guard: 2 findings at or above fail-on "warning"; see the annotations and the job summary',
    );
    const broken = reportOf([], {
      errors: [
        { source: 'aws', message: 'AccessDenied' },
        { source: 'aws', message: 'x' },
      ],
    });
    expect(failureReason(broken, 'error', 2)).toBe(
      'idc-guard could not complete the check: AccessDenied (and 1 more tool error)',
    );
    expect(failureReason(report, 'never', 0)).toBeUndefined();
  });
});

describe('the bundled action (dist/index.js) run as the runner runs it', () => {
  /** Runs dist/index.js with the runner's environment: INPUT_* (names upper-cased, hyphens kept) and files. */
  function runAction(inputs: Record<string, string>, workspace = REPO_ROOT) {
    const temp = mkdtempSync(join(tmpdir(), 'idc-guard-action-'));
    const summaryFile = join(temp, 'step_summary');
    const outputFile = join(temp, 'output');
    writeFileSync(summaryFile, '');
    writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: temp,
      IDC_GUARD_NOW: '2026-11-23',
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'index.js')], {
      cwd: workspace,
      env,
      encoding: 'utf8',
    });
    return {
      cwd: workspace,
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
      annotations: run.stdout.split('\n').filter((l) => /^::(error|warning|notice)\b/.test(l)),
      outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      temp,
    };
  }
  const EXAMPLE = { path: 'examples/acme', live: 'examples/acme/live/snapshot.json' };

  it('checks examples/: annotations, outputs, job summary, the JSON report, and fails on errors', () => {
    const run = runAction({ ...EXAMPLE, 'fail-on': 'error' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expectGolden('action-acme-annotations.txt', `${run.annotations.join('\n')}\n`);
    expect(run.annotations[0]).toBe(
      '::error title=IDC105,file=examples/acme/identity/assignments.yaml,line=14,col=16::group "aws-auditors" should have "ReadOnly" in audit (012345678901), but Identity Center has no such assignment: apply the declarations, or remove this account from the assignment',
    );
    expect(run.annotations.at(-1)).toBe(
      '::error::idc-guard: 10 findings at or above fail-on "error"; see the annotations and the job summary',
    );
    expect(run.annotations.filter((l) => l.startsWith('::error')).length).toBe(10);
    expect(run.annotations).toContain(
      '::notice title=idc-guard::1 more finding not annotated (GitHub shows 10 per level per step): see the job summary',
    );
    expectGolden('action-acme-summary.md', run.summary);

    const { 'report-file': reportFile, ...counts } = run.outputs;
    expect(counts).toEqual({ errors: '10', warnings: '6', notices: '2', suppressed: '1', drift: 'false' });
    expect(reportFile.startsWith(run.temp)).toBe(true);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report.summary).toEqual({ error: 10, warning: 6, notice: 2, suppressed: 1 });
    // The log has the readable report as well, and the runner reads no command in it but ours.
    expect(run.stdout).toContain(
      '✖ 18 problems (10 errors, 6 warnings, 2 notices), 1 suppressed in 10 files',
    );
    expect(
      runnerCommands(run.stdout).every(
        (c) => c.syntax === '::' && run.annotations.some((l) => l.startsWith(`::${c.name}`)),
      ),
    ).toBe(true);
  });

  it('in drift mode writes SARIF relative to the repository root, says drift=true, and passes with fail-on never', () => {
    const run = runAction(
      { ...EXAMPLE, mode: 'drift', 'fail-on': 'never', 'sarif-file': 'build/idc-guard.sarif' },
      makeWorkspaceWithExample(),
    );
    expect(run.status).toBe(0);
    // Nothing fails the step, so no slot is kept for a failure: all 10 errors are annotated, and nothing is left out.
    expect(run.annotations.filter((l) => l.startsWith('::error')).length).toBe(10);
    expect(run.annotations.some((l) => l.startsWith('::error::') || l.includes('title=idc-guard'))).toBe(
      false,
    );
    expect(run.outputs).toMatchObject({ drift: 'true', 'sarif-file': 'build/idc-guard.sarif', errors: '10' });
    const sarif = JSON.parse(readFileSync(join(run.cwd, 'build', 'idc-guard.sarif'), 'utf8'));
    const uris = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0].physicalLocation.artifactLocation.uri,
    );
    expect(uris).toContain('examples/acme/identity/groups.yaml');
    expect(run.summary).toContain(
      '✅ **Passed**: `fail-on: never`, so findings are reported but fail nothing.\n\n10 errors, 6 warnings, 2 notices, 1 suppressed in 10 files; mode `drift`: **drift found**.\n',
    );
  });

  it('fails with one clear line on an invalid input, and says so in the job summary', () => {
    const run = runAction({ ...EXAMPLE, 'fail-on': 'sometimes' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe(
      '::error::idc-guard: input fail-on is "sometimes"; expected one of error, warning, notice, never\n',
    );
    expect(run.summary).toBe(
      '## idc-guard\n\n⚠️ **Not run**: idc-guard: input fail-on is "sometimes"; expected one of error, warning, notice, never\n',
    );
    expect(run.outputs).toEqual({});
  });

  it('prints no workflow command from hostile file and group names, in the log or in annotations', () => {
    const workspace = makeRepo({
      '.idc-guard.yml': 'include: ["*.yaml"]\n',
      '##[error]boom.yaml': groupsDoc(HOSTILE.slice(0, 4)),
      '::set-output name=f::g.yaml': groupsDoc(HOSTILE.slice(4)),
    });
    const run = runAction({ live: 'off' }, workspace);
    expect(run.status).toBe(1);
    const commands = runnerCommands(run.stdout);
    expect(commands.filter((c) => c.syntax === '##[' || !['error', 'notice'].includes(c.name))).toEqual([]);
    expect(commands.filter((c) => c.properties.title === 'IDC005').map((c) => c.properties.file)).toEqual([
      ...HOSTILE.slice(0, 4).map(() => '##[error]boom.yaml'),
      ...HOSTILE.slice(4).map(() => '::set-output name=f::g.yaml'),
    ]);
    expect(commands.map((c) => c.data).join('\n')).toContain(
      'group "::set-output name=x::y-inner" is nested',
    );
    expect(Object.keys(run.outputs).sort()).toEqual([
      'drift',
      'errors',
      'notices',
      'report-file',
      'suppressed',
      'warnings',
    ]);
    expect(run.outputs.drift).toBe('false');
    expect(renderedProblems(run.summary, ['https://github.com/'])).toEqual([]);
  });
});

function groupsDoc(names: string[]): string {
  const groups = names.map(
    (name) =>
      `  - name: ${JSON.stringify(name)}\n    members: { groups: [${JSON.stringify(`${name}-inner`)}] }`,
  );
  return `kind: Groups\ngroups:\n${groups.join('\n')}\n`;
}

/** A workspace holding a copy of examples/, so files the action writes stay out of the repository. */
function makeWorkspaceWithExample(): string {
  const workspace = mkdtempSync(join(tmpdir(), 'idc-guard-ws-'));
  cpSync(join(REPO_ROOT, 'examples'), join(workspace, 'examples'), { recursive: true });
  return workspace;
}

describe('@github/local-action runs the action on examples/ (npm run local-action)', () => {
  it('reports the same annotations, outputs and job summary as on a runner', () => {
    const temp = mkdtempSync(join(tmpdir(), 'idc-guard-local-action-'));
    const summaryFile = join(temp, 'summary.md');
    writeFileSync(summaryFile, '');
    const bin = join(REPO_ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');
    const run = spawnSync(
      process.execPath,
      [bin, 'run', '.', 'src/action/run.ts', 'examples/local-action.env'],
      {
        cwd: REPO_ROOT,
        // The env file sets the inputs; the summary goes to a file of this test's (the env file leaves it unset).
        env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_STEP_SUMMARY: summaryFile },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(
      '::error title=IDC105,file=examples/acme/identity/assignments.yaml,line=14,endLine=14,col=16,endColumn=16::group "aws-auditors" should have "ReadOnly" in audit (012345678901), but Identity Center has no such assignment: apply the declarations, or remove this account from the assignment',
    );
    expect(lines).toContain('::set-output name=errors::10');
    expect(lines).toContain('::set-output name=drift::false');
    expect(lines).toContain(
      '::error::idc-guard: 10 findings at or above fail-on "error"; see the annotations and the job summary',
    );
    const summary = readFileSync(summaryFile, 'utf8');
    expect(
      summary.startsWith('## idc-guard\n\n❌ **Failed**: 10 findings at or above `fail-on: error`.'),
    ).toBe(true);
  }, 120_000);
});
