import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../util/text.js';

/** A mistake on the command line: one line on stderr, exit code 2, before any work is done. */
export class UsageError extends Error {}

export const FAIL_ON = ['error', 'warning', 'notice', 'never'];

const OPTIONS = {
  root: { type: 'string' },
  config: { type: 'string' },
  live: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  'from-live': { type: 'boolean' },
  mode: { type: 'string' },
  'requests-per-second': { type: 'string' },
  base: { type: 'string' },
  'fail-on-scope': { type: 'string' },
  'base-root': { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

/** The flags each command takes; any other is a usage error rather than silently ignored. */
const COMMAND_FLAGS: Record<string, readonly (keyof typeof OPTIONS)[]> = {
  check: [
    'root',
    'config',
    'live',
    'format',
    'output',
    'fail-on',
    'mode',
    'requests-per-second',
    'base',
    'base-root',
    'fail-on-scope',
    'quiet',
  ],
  snapshot: ['output', 'root', 'requests-per-second', 'quiet'],
  baseline: ['root', 'config', 'output', 'mode', 'live', 'requests-per-second', 'quiet'],
  init: ['from-live', 'live', 'out', 'force', 'requests-per-second', 'quiet'],
  rules: ['root', 'config', 'format'],
};

/** Refuses a flag the command does not take: `baseline --live off` would otherwise be quietly ignored. */
export function onlyOwnFlags(command: string, values: Values): void {
  const allowed = COMMAND_FLAGS[command];
  if (!allowed) return;
  for (const flag of Object.keys(values)) {
    if (flag === 'help' || flag === 'version' || (allowed as readonly string[]).includes(flag)) continue;
    const near = closest(flag, [...allowed]);
    throw new UsageError(
      `${command} does not take --${flag}${near ? ` (did you mean --${near}?)` : ''}; ` +
        `it takes ${allowed.map((f) => `--${f}`).join(', ')}`,
    );
  }
}

export type Values = ReturnType<typeof parseCommandLine>['values'];

export function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/**
 * --requests-per-second: the client-side limit of AWS reads (Identity Center allows about 20, account-wide).
 */
export function requestsPerSecond(values: Values): number | undefined {
  const raw = values['requests-per-second'];
  if (raw === undefined) return undefined;
  const rate = Number(raw);
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new UsageError(`--requests-per-second ${JSON.stringify(raw)} is not a positive number`);
  return rate;
}

export function noExtra(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
}

export function suggestion(word: string, options: string[]): string {
  const near = closest(word, options);
  return near ? ` (did you mean ${near}?)` : '';
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(
      `--${name} ${JSON.stringify(value)} is not one of ` +
        `${allowed.join(', ')}${suggestion(value, [...allowed])}`,
    );
  }
  return value as T;
}

const LIVE_MODES = ['auto', 'aws', 'off'];

/** `--live`: a mode, or a snapshot file that exists (a typo is no path to a missing file). */
export function liveChoice(value: string | undefined, cwd: string, fallback: string): string {
  const live = value ?? fallback;
  if (LIVE_MODES.includes(live)) return live;
  const path = resolve(cwd, live);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(
      `--live ${JSON.stringify(live)} is not auto, aws, off or a snapshot file that exists` +
        suggestion(live, LIVE_MODES),
    );
  }
  return path;
}

/** An output file's folder must exist before any work is done, or the work would be lost at the end. */
export function outputPath(flag: string, value: string, base: string): string {
  const path = resolve(base, value);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new UsageError(`--${flag} ${JSON.stringify(value)}: the folder ${folder} does not exist`);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is a folder; give a file name`);
  return path;
}
