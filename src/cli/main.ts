import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, type FailOn } from '../config/config.js';
import { ruleCatalogue, runCheck, type CheckOptions, type CheckResult } from '../engine.js';
import { BaseUnavailableError } from '../pull-request/base-checkout.js';
import { checkAgainstBase } from './pull-request.js';
import { FORMATS, render, renderAccessChanges, type Format } from './render.js';
import { Progress } from './progress.js';
import { sourceLines } from './source-lines.js';
import { loadLiveState } from '../live/load.js';
import type { FailOnScope, Notice, ToolError } from '../findings/types.js';
import { renderDeclarations } from '../init/write-declarations.js';
import { baselineOf, DEFAULT_BASELINE } from '../findings/baseline.js';
import { escapeText } from '../report/escape.js';
import { renderRulesDoc } from '../report/rules-doc.js';
import { plural, renderText } from '../report/text.js';
import { productVersion } from '../util/product.js';
import {
  FAIL_ON,
  liveChoice,
  noExtra,
  oneOf,
  onlyOwnFlags,
  outputPath,
  parseCommandLine,
  requestsPerSecond,
  suggestion,
  UsageError,
  type Values,
} from './args.js';

/** Where the CLI writes: real streams in production, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  /** stderr is a terminal: progress is one line redrawn in place (a CI log gets a line every 10 s). */
  stderrIsTerminal?: boolean;
  /** stdout is a terminal this wide: the text report wraps to it and shows each finding's source line. */
  stdoutColumns?: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const USAGE = `idc-guard: checks AWS IAM Identity Center configuration kept in Git

Usage:
  idc-guard check    [--root DIR] [--config FILE] [--live auto|aws|off|FILE.json]
                     [--format text|json|sarif|markdown] [--output FILE] [--fail-on error|warning|notice|never]
                     [--mode check|drift]   check: read the declared principals; drift: read everything
                     [--requests-per-second N]   AWS reads' client-side limit (default 20)
                     [--base REF | --base-root DIR] [--fail-on-scope introduced|all]
                     a pull request's check: judged by the base's configuration, policies, instance and
                     suppressions; only what the change introduces fails it (unless --fail-on-scope all)
  idc-guard snapshot --output FILE [--root DIR] [--requests-per-second N]
  idc-guard baseline [--root DIR] [--config FILE] [--output FILE] [--live auto|aws|off|FILE.json]
                     [--mode check|drift]   accept today's findings: check fails only on new ones
  idc-guard init     --from-live [--live aws|FILE.json] [--out DIR] [--force] [--requests-per-second N]
  idc-guard rules    [ID] [--root DIR] [--config FILE] [--format text|markdown]
                     the built-in rules and the team's policies (policies: in .idc-guard.yml)
  idc-guard --version

check, snapshot, baseline and init show the progress of a live read on stderr; --quiet (-q) turns it off.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration or tool error.
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.version) {
      io.stdout(`${productVersion()}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      io.stdout(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    onlyOwnFlags(command, values);
    switch (command) {
      case 'check':
        noExtra(rest);
        return await check(values, io);
      case 'baseline':
        noExtra(rest);
        return await baseline(values, io);
      case 'rules':
        if (rest.length > 1) throw new UsageError('rules takes at most one rule ID');
        return rules(rest[0], values, io);
      case 'init':
        noExtra(rest);
        return await init(values, io);
      case 'snapshot':
        noExtra(rest);
        return await snapshot(values, io);
      default:
        throw new UsageError(
          `unknown command ${JSON.stringify(command)}${suggestion(command, ['check', 'baseline', 'rules'])}`,
        );
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`idc-guard: ${escapeText(err.message)} (see idc-guard --help)\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr(`idc-guard: configuration error: ${escapeText(err.message)}\n`);
      return 2;
    }
    if (err instanceof BaseUnavailableError) {
      io.stderr(`idc-guard: ${escapeText(err.message)}\n`);
      return 2;
    }
    // Anything else is a bug of ours: one clear line, the stack only on request.
    io.stderr(`idc-guard: internal error: ${escapeText((err as Error)?.message ?? String(err))}\n`);
    if (io.env.IDC_GUARD_DEBUG) io.stderr(`${(err as Error)?.stack}\n`);
    return 2;
  }
}

/**
 * The progress of a live read on stderr, unless --quiet, or unless stdout carries a report in another format
 * (a script reads it, and a person is not watching).
 */
function progressOf(values: Values, io: CliIO, what: string, reportOnStdout = false): Progress | undefined {
  if (values.quiet || reportOnStdout) return undefined;
  return new Progress({ write: io.stderr, terminal: io.stderrIsTerminal === true }, what);
}

function checkOptionsOf(
  values: Values,
  io: CliIO,
  extra: { ignoreBaseline?: boolean; progress?: Progress } = {},
): CheckOptions {
  // Anything but a mode is a snapshot file, relative to where the command runs.
  const live = liveChoice(values.live, io.cwd, 'auto');
  const failOn =
    values['fail-on'] === undefined
      ? undefined
      : oneOf<FailOn>('fail-on', values['fail-on'], FAIL_ON as FailOn[], 'error');
  const now = io.env.IDC_GUARD_NOW ? new Date(`${io.env.IDC_GUARD_NOW}T00:00:00Z`) : undefined;
  if (now && Number.isNaN(now.getTime())) throw new UsageError('IDC_GUARD_NOW must be a date, YYYY-MM-DD');
  const mode = oneOf('mode', values.mode, ['check', 'drift'], 'check');
  if (mode === 'drift' && live === 'off')
    throw new UsageError('--mode drift compares the declarations with live state: --live off reads none');
  return {
    requestsPerSecond: requestsPerSecond(values),
    mode,
    root: resolve(io.cwd, values.root ?? '.'),
    configPath: values.config === undefined ? undefined : resolve(io.cwd, values.config),
    live,
    failOn,
    now,
    ...(extra.ignoreBaseline ? { ignoreBaseline: true } : {}),
    ...(extra.progress ? { onAwsCall: extra.progress.call } : {}),
  };
}

async function runFromOptions(
  values: Values,
  io: CliIO,
  extra: { ignoreBaseline?: boolean; progress?: Progress } = {},
): Promise<CheckResult> {
  try {
    return await runCheck(checkOptionsOf(values, io, extra));
  } finally {
    extra.progress?.done();
  }
}

async function check(values: Values, io: CliIO): Promise<number> {
  const format = oneOf<Format>('format', values.format, FORMATS, 'text');
  const output = values.output === undefined ? undefined : outputPath('output', values.output, io.cwd);
  if (values.base !== undefined && values['base-root'] !== undefined)
    throw new UsageError('give --base or --base-root, not both');
  const againstBase = values.base !== undefined || values['base-root'] !== undefined;
  const progress = progressOf(values, io, 'reading Identity Center', format !== 'text' && !output);
  if (!againstBase && values['fail-on-scope'] !== undefined)
    throw new UsageError('--fail-on-scope applies to a pull request check: give --base or --base-root too');
  const { result, diff } = againstBase
    ? await checkAgainstBase(
        checkOptionsOf(values, io, { progress }),
        {
          ref: values.base,
          root: values['base-root'],
          failOnScope: oneOf<FailOnScope>(
            'fail-on-scope',
            values['fail-on-scope'],
            ['introduced', 'all'],
            'introduced',
          ),
        },
        io.cwd,
      )
    : { result: await runFromOptions(values, io, { progress }), diff: undefined };
  progress?.done();
  const rendered = render(format, result, io.cwd, values.root);
  // A notice about the rendering (SARIF results left out) is one of the report's notices from here on.
  if (rendered.notice) result.report.notices.push(rendered.notice);
  const text = () =>
    (diff ? renderAccessChanges(diff, result.live !== undefined) : '') +
    renderText(result.report, {
      color: io.color,
      ...(io.stdoutColumns
        ? { width: io.stdoutColumns, sourceLine: sourceLines(resolve(io.cwd, values.root ?? '.')) }
        : {}),
    });
  if (output) {
    writeFileSync(output, rendered.text);
    // The file has the chosen format; the terminal still gets the readable report.
    io.stdout(text());
  } else {
    io.stdout(format === 'text' ? text() : rendered.text);
    // stdout is the file itself: the notice goes where the user reads.
    if (format !== 'text' && rendered.notice)
      io.stderr(`idc-guard: note: ${escapeText(rendered.notice.message)}\n`);
  }
  return result.exitCode;
}

async function baseline(values: Values, io: CliIO): Promise<number> {
  const root = resolve(io.cwd, values.root ?? '.');
  if (values.output !== undefined) outputPath('output', values.output, root);
  const progress = progressOf(values, io, 'reading Identity Center');
  const result = await runFromOptions(values, io, { ignoreBaseline: true, progress });
  for (const e of result.report.errors) io.stderr(`idc-guard: ${escapeText(e.message)}\n`);
  // A baseline accepts what exists; after a tool error some of it was not seen, and would fail later.
  if (result.report.errors.length > 0) {
    io.stderr(
      `idc-guard: baseline not written: ${plural(result.report.errors.length, 'tool error')}, so the ` +
        `check did not see every finding\n`,
    );
    return 2;
  }
  const output = values.output ?? result.config.baseline ?? DEFAULT_BASELINE;
  const mode = values.mode === 'drift' ? 'drift' : 'check';
  const file = baselineOf(result.report.findings, mode);
  writeFileSync(resolve(root, output), `${JSON.stringify(file, null, 2)}\n`);
  io.stdout(`wrote ${plural(file.findings.length, 'finding')} (--mode ${mode}) to ${escapeText(output)}\n`);
  if (result.config.baseline !== output)
    io.stdout(
      `note: check reads a baseline only when .idc-guard.yml names it: add \`baseline: ${escapeText(output)}\`\n`,
    );
  if (mode === 'check')
    io.stdout(
      'note: drift findings of a full read (IDC105-IDC110 in --mode drift) are not in it; ' +
        "write the nightly job's baseline with --mode drift\n",
    );
  return 0;
}

/**
 * `rules [ID]`: the built-in rules and the team's policies (from --root's .idc-guard.yml), or one of them.
 */
function rules(id: string | undefined, values: Values, io: CliIO): number {
  const { catalogue, problems } = ruleCatalogue({
    root: resolve(io.cwd, values.root ?? '.'),
    configPath: values.config === undefined ? undefined : resolve(io.cwd, values.config),
  });
  for (const problem of problems) io.stderr(`idc-guard: ${escapeText(problem)}\n`);
  if (oneOf('format', values.format, ['text', 'markdown'], 'text') === 'markdown') {
    if (id !== undefined)
      throw new UsageError('rules --format markdown documents every rule; leave out the ID');
    io.stdout(renderRulesDoc([...catalogue.values()]));
    return problems.length > 0 ? 2 : 0;
  }
  if (id === undefined) {
    const width = Math.max(...[...catalogue.keys()].map((k) => k.length)) + 1;
    for (const r of catalogue.values()) {
      const policy = r.source ? `  (${r.source})` : '';
      const columns = `${r.id.padEnd(width)} ${r.severity.padEnd(8)} ${r.scope.padEnd(7)}`;
      io.stdout(`${columns} ${escapeText(r.title)}${policy}\n`);
    }
    return problems.length > 0 ? 2 : 0;
  }
  const rule = catalogue.get(id.toUpperCase());
  if (!rule)
    throw new UsageError(
      `unknown rule ${JSON.stringify(id)}${suggestion(id.toUpperCase(), [...catalogue.keys()])}` +
        (id.toUpperCase().startsWith('IDC')
          ? ''
          : "; a team's policies are those that `policies:` in --root's .idc-guard.yml lists, and " +
            'ready-made ones are in policies/recommended/'),
    );
  // A team policy's text comes from a file: each line is escaped, the line breaks kept.
  const lines = [
    `${rule.id}: ${rule.title}`,
    `severity: ${rule.severity} (default)    scope: ` +
      `${rule.scope}${rule.source ? `    policy: ${rule.source}` : ''}`,
    '',
    ...rule.description.trim().split('\n'),
    '',
    ...(rule.remediation.trim() ? [...`Fix: ${rule.remediation.trim()}`.split('\n'), ''] : []),
    ...(rule.helpUri ? [`More: ${rule.helpUri}`, ''] : []),
    ...(rule.references?.length
      ? ['Sources:', ...rule.references.map((r) => `  ${r.title}: ${r.url}`), '']
      : []),
  ];
  io.stdout(lines.map(escapeText).join('\n'));
  return problems.length > 0 ? 2 : 0;
}

/** `init --from-live`: writes declarations that describe the live state, so a team can adopt the tool. */
async function init(values: Values, io: CliIO): Promise<number> {
  if (!values['from-live'])
    throw new UsageError('init needs --from-live (declarations are written from the live state)');
  const liveOption = liveChoice(values.live, io.cwd, 'aws');
  if (liveOption === 'off' || liveOption === 'auto')
    throw new UsageError('init --from-live reads --live aws or a snapshot FILE.json');
  const out = resolve(io.cwd, values.out ?? '.');
  const errors: ToolError[] = [];
  const progress = progressOf(values, io, 'reading Identity Center');
  const live = await loadLiveState(
    {
      live: liveOption,
      onAwsCall: progress?.call,
      mode: 'drift',
      fullDetail: true,
      requestsPerSecond: requestsPerSecond(values),
      // With the organization, a whole OU's accounts are written as the OU (never required).
      organizationStructure: true,
      everyApplication: true,
    },
    out,
    undefined,
    errors,
    [],
  ).finally(() => progress?.done());
  if (!live) {
    for (const e of errors) io.stderr(`idc-guard: ${escapeText(e.message)}\n`);
    return 2;
  }
  const unread = Object.entries(live.complete)
    .filter(([, done]) => done === false || done === 'principals')
    .map(([part]) => part);
  if (unread.length > 0) {
    io.stderr(
      `idc-guard: the live state is incomplete (${unread.join(', ')}); init needs a full read, or it ` +
        `would declare less than exists\n`,
    );
    return 2;
  }
  const files = renderDeclarations(live);
  const existing = [...files.keys()].filter((f) => existsSync(join(out, f)));
  if (existing.length > 0 && !values.force) {
    io.stderr(
      `idc-guard: ${escapeText(existing.join(', '))} already exist${existing.length === 1 ? 's' : ''} in ` +
        `${escapeText(out)}; use --force to overwrite\n`,
    );
    return 2;
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
  io.stdout(
    `wrote ${plural(files.size, 'file')} to ${escapeText(out)} from the live state read at ${live.readAt}\n`,
  );
  for (const e of errors) io.stderr(`idc-guard: warning: ${escapeText(e.message)}\n`);
  return 0;
}

/** `snapshot`: reads every part of the live state once and writes it, for `check --live FILE.json`. */
async function snapshot(values: Values, io: CliIO): Promise<number> {
  if (!values.output) throw new UsageError('snapshot needs --output FILE');
  const output = outputPath('output', values.output, io.cwd);
  const root = resolve(io.cwd, values.root ?? '.');
  const model = (await runCheck({ root, live: 'off' })).model;
  const errors: ToolError[] = [];
  const notices: Notice[] = [];
  const progress = progressOf(values, io, 'reading Identity Center');
  const live = await loadLiveState(
    {
      live: 'aws',
      mode: 'drift',
      fullDetail: true,
      requestsPerSecond: requestsPerSecond(values),
      onAwsCall: progress?.call,
    },
    root,
    model,
    errors,
    notices,
  ).finally(() => progress?.done());
  for (const e of errors) io.stderr(`idc-guard: ${escapeText(e.message)}\n`);
  if (!live) return 2;
  writeFileSync(output, `${JSON.stringify(live, null, 2)}\n`);
  const counts =
    `${plural(live.groups.length, 'group')}, ${plural(live.users.length, 'user')}, ` +
    `${plural(live.permissionSets.length, 'permission set')}, ` +
    `${plural(live.assignments.length, 'assignment')}`;
  const noticeText = notices.map((n) => escapeText(n.message)).join('; ');
  io.stdout(`wrote ${escapeText(values.output)}: ${counts}; ${noticeText}\n`);
  // An incomplete snapshot is still written (its completeness is recorded), but the exit code says so.
  return errors.length > 0 ? 2 : 0;
}
