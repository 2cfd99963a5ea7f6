import type { Finding } from '../findings/types.js';

/**
 * What findings must share to be shown as one entry (see FindingGroup): place, rule, severity, scope and
 * heading. Undefined for a finding that is shown on its own (no group, or a suppression it requests).
 */
export function groupKey(f: Finding): string | undefined {
  return f.group && f.requestedSuppression === undefined
    ? [f.file, f.line, f.column, f.ruleId, f.severity, f.scope ?? '', f.group.heading].join('\u0000')
    : undefined;
}

/**
 * One finding's message; or a group's heading, how many, and its first `maxItems` items, then where the rest
 * can be read (`listsEvery`, e.g. "`--format json`").
 */
export function groupMessage(run: Finding[], maxItems: number, listsEvery?: string): string {
  if (run.length === 1 || !run.every((f) => f.group)) return run[0].message;
  const items = run.slice(0, maxItems).map((f) => f.group!.item);
  const more = run.length - items.length;
  const rest = more > 0 ? `; and ${more} more${listsEvery ? ` (${listsEvery} lists each)` : ''}` : '';
  return `${run[0].group!.heading} (${run.length}): ${items.join('; ')}${rest}`;
}

/**
 * Runs of findings (in their order) that one heading describes, at one place, of one rule, severity and
 * scope: each run is shown as one entry. Every other finding is a run of its own.
 */
export function groupedFindings(findings: Finding[]): Finding[][] {
  const runs: Finding[][] = [];
  for (const f of findings) {
    const last = runs.at(-1);
    const key = groupKey(f);
    if (last && key !== undefined && key === groupKey(last[0])) last.push(f);
    else runs.push([f]);
  }
  return runs;
}
