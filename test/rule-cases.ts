// The per-rule fixture folders, tflint and actionlint style: test/fixtures/rules/<rule ID>/<case>/ is a tiny
// repository root, and `expected.out` beside its declarations is what a check of it reports.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../src/findings/report.js';
import { visibleText } from '../src/report/escape.js';
import { check, FIXTURES } from './helpers.js';

export const RULE_FIXTURES = join(FIXTURES, 'rules');
/** A case folder's name: `pass` or `fail`, optionally with a dash and what the case shows. */
export const CASE_NAME = /^(pass|fail)(-[a-z0-9]+)*$/;
export const EXPECTED_FILE = 'expected.out';
/** Live state for a live rule's case, beside the declarations (`check --live snapshot.json`). */
export const SNAPSHOT_FILE = 'snapshot.json';

export interface RuleFixture {
  rule: string;
  /** The case folder's name, e.g. `fail-region`. */
  name: string;
  kind: 'pass' | 'fail';
  root: string;
}

/** Every case folder under test/fixtures/rules whose name is a case name, by rule ID and then name. */
export function ruleFixtures(): RuleFixture[] {
  return readdirSync(RULE_FIXTURES)
    .sort()
    .flatMap((rule) =>
      readdirSync(join(RULE_FIXTURES, rule))
        .filter((name) => CASE_NAME.test(name))
        .sort()
        .map((name) => ({
          rule,
          name,
          kind: name.startsWith('pass') ? ('pass' as const) : ('fail' as const),
          root: join(RULE_FIXTURES, rule, name),
        })),
    );
}

/** Checks a case folder as `check --live off`, or against its snapshot.json, at the tests' fixed clock. */
export async function checkFixture(fixture: RuleFixture): Promise<Report> {
  const snapshot = join(fixture.root, SNAPSHOT_FILE);
  const { report } = await check(fixture.root, existsSync(snapshot) ? { live: snapshot } : {});
  return report;
}

/**
 * A report as expected.out holds it: every finding of every rule in report order, as
 * `file:line:col: severity RULEID message` (` [suppressed]` when it is), then the notices and the tool errors.
 * A case that reports nothing has an empty output, and no expected.out.
 */
export function outputOf(report: Report): string {
  const lines = [
    ...report.findings.map(
      (f) =>
        `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId} ${visibleText(f.message)}` +
        (f.suppressed ? ' [suppressed]' : ''),
    ),
    ...report.notices.map((n) => `${n.file ? `${n.file}: ` : ''}note: ${visibleText(n.message)}`),
    ...report.errors.map(
      (e) =>
        `${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}error (${e.source}): ${visibleText(e.message)}`,
    ),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

/** The rule IDs of an output's finding lines (notes and errors have none). */
export function rulesOf(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /^[^\s:][^:]*:\d+:\d+: (?:error|warning|notice) (\S+) /.exec(line)?.[1])
    .filter((rule): rule is string => rule !== undefined);
}

/** The expected output of a case folder: UPDATE_GOLDEN=1 rewrites it (or removes it when nothing is reported). */
export function expectedOutput(fixture: RuleFixture, actual: string): string {
  const file = join(fixture.root, EXPECTED_FILE);
  if (process.env.UPDATE_GOLDEN) {
    if (actual) writeFileSync(file, actual);
    else rmSync(file, { force: true });
  }
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
