/**
 * What the tests of the Action's runner side share (test/action-annotations, -summary, -inputs and
 * -bundled.test.ts): hostile names, reports to render, and what the runner reads back from a step's log.
 */
import type { Severity } from '../../src/findings/types.js';
import { fakeFinding, fakeReport } from '../helpers.js';

export const HOSTILE = [
  '::set-output name=x::y',
  '##[set-output name=drift;]true',
  '##[stop-commands]zzz',
  '##[error]boom',
  '@org/team',
  '<img src=x onerror=1>',
  'a|b #1',
  'line1\nline2%0A',
];

export const finding = fakeFinding;

export const reportOf = fakeReport;

export const many = (n: number, severity: Severity) => Array.from({ length: n }, () => finding(severity));

/**
 * What the runner makes of a step's stdout (actions/runner ActionCommand.TryParseV2, then the legacy
 * TryParse), stricter than the runner: every command name counts as registered.
 */
export interface RunnerCommand {
  syntax: '::' | '##[';
  name: string;
  properties: Record<string, string>;
  data: string;
}
export function runnerCommands(stdout: string): RunnerCommand[] {
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
