/**
 * The bundled Action (dist/index.js) on examples/, run as the runner runs it and by @github/local-action:
 * annotations, outputs, the job summary and the reports.
 */
import { renderedProblems } from './gfm.js';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputs } from './github/bundled-action.js';
import { makeRepo, REPO_ROOT } from './helpers.js';
import { HOSTILE, runnerCommands } from './action/helpers.js';

const GOLDEN = join(REPO_ROOT, 'test', 'golden');

/** Golden files as in cli.test.ts: UPDATE_GOLDEN=1 rewrites them; otherwise output must match exactly. */
function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

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
      '::error title=IDC106,file=examples/acme/identity/assignments.yaml,line=7,col=5::group "aws-developers" has "Developer" in prod (111111111111) in Identity Center, but no declaration grants it (made in the console?): declare it in an Assignments document, or remove it in Identity Center',
    );
    expect(run.annotations[1]).toBe(
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
