import type { AnnotationProperties } from '@actions/core';
import { SEVERITIES, type Finding, type Severity } from '../findings/types.js';
import { visibleText } from '../report/escape.js';
import { groupedFindings, groupMessage } from '../report/group.js';
import { plural } from '../report/text.js';
import { commandText } from './log.js';

/** GitHub shows at most this many annotations of each level (error, warning, notice) per step. */
export const ANNOTATIONS_PER_LEVEL = 10;
const MAX_GROUP_ITEMS = 20;

export interface Annotation {
  level: Severity;
  /** Already escaped for a workflow command. */
  message: string;
  properties: AnnotationProperties;
}

export interface AnnotationOptions {
  /** Makes a finding's file relative to the repository root, where annotations attach. */
  pathPrefix: string;
  /** Slots taken by the step's other annotations, e.g. the error core.setFailed adds when the step fails. */
  reserved?: Partial<Record<Severity, number>>;
  /** Where every finding can be read, for the notice about those left out ("the job summary"). */
  readMore: string;
}

/**
 * The annotations to emit, in order: the most severe first, no more per level than GitHub shows, then one
 * notice counting the findings left out. Suppressed findings are accepted, so they are not annotated.
 */
export function planAnnotations(findings: Finding[], options: AnnotationOptions): Annotation[] {
  const active = findings.filter((f) => !f.suppressed);
  // One annotation per group (a principal's undeclared assignments), so one principal cannot take every slot.
  const runs = groupedFindings(active);
  const byLevel = (level: Severity) => runs.filter((run) => run[0].severity === level);
  const room = roomPerLevel(options.reserved ?? {});
  const overflows = SEVERITIES.some((level) => byLevel(level).length > room[level]);
  // The notice about the rest is a notice too: it takes a slot, or GitHub would hide it.
  if (overflows) room.notice = Math.max(0, room.notice - 1);
  const annotated = SEVERITIES.flatMap((level) => byLevel(level).slice(0, room[level]));
  const plan = annotated.map((run) => findingAnnotation(run, options));
  const leftOut = active.length - annotated.reduce((n, run) => n + run.length, 0);
  if (leftOut > 0) plan.push(leftOutNotice(leftOut, options.readMore));
  return plan;
}

function roomPerLevel(reserved: Partial<Record<Severity, number>>): Record<Severity, number> {
  const room = (level: Severity) => Math.max(0, ANNOTATIONS_PER_LEVEL - (reserved[level] ?? 0));
  return { error: room('error'), warning: room('warning'), notice: room('notice') };
}

function findingAnnotation(run: Finding[], { pathPrefix, readMore }: AnnotationOptions): Annotation {
  const f = run[0];
  return {
    level: f.severity,
    message: commandText(groupMessage(run, MAX_GROUP_ITEMS, readMore)),
    properties: {
      // @actions/core escapes `%`, CR, LF, `:` and `,` in properties; visibleText makes the rest visible.
      // The file keeps `##[`: a property is read only within this `::` command, and the path must match.
      file: visibleText(pathPrefix + f.file),
      startLine: f.line,
      startColumn: f.column,
      title: commandText(f.ruleId),
    },
  };
}

function leftOutNotice(count: number, readMore: string): Annotation {
  return {
    level: 'notice',
    message: commandText(
      `${plural(count, 'more finding')} not annotated ` +
        `(GitHub shows ${ANNOTATIONS_PER_LEVEL} per level per step): see ${readMore}`,
    ),
    properties: { title: 'idc-guard' },
  };
}
