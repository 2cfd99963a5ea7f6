/**
 * The Action's annotations and log lines: the most severe first, within GitHub's limits, and no workflow
 * command from hostile names.
 */
import * as core from '@actions/core';
import { jest } from '@jest/globals';
import { planAnnotations, type Annotation } from '../src/action/annotations.js';
import { commandText, logLines } from '../src/action/log.js';
import type { Severity } from '../src/findings/types.js';
import { HOSTILE, finding, many, runnerCommands } from './action/helpers.js';

const levels = (plan: Annotation[]) => plan.map((a) => a.level);
const count = (plan: Annotation[], level: Severity) => plan.filter((a) => a.level === level).length;

describe('annotations', () => {
  const options = { pathPrefix: 'examples/acme/', readMore: 'the job summary' };

  it("annotates a principal's undeclared assignments once, so one principal cannot take every slot", () => {
    const heading = 'group "devs" has assignments in Identity Center that no declaration grants';
    const grouped = Array.from({ length: 25 }, (_, i) =>
      finding('error', { ruleId: 'IDC106', line: 6, group: { heading, item: `"Admin" in ${100 + i}` } }),
    );
    const other = finding('error', {
      ruleId: 'IDC106',
      line: 6,
      group: { heading: 'group "ops" has …', item: 'x' },
    });
    const plan = planAnnotations([...grouped, other], options);
    expect(plan.map((a) => a.message)).toEqual([
      commandText(
        `${heading} (25): ${grouped
          .slice(0, 20)
          .map((f) => f.group!.item)
          .join('; ')}; and 5 more (the job summary lists each)`,
      ),
      other.message,
    ]);
    expect(plan.map((a) => a.properties.startLine)).toEqual([6, 6]);
  });

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
