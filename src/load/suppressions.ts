import type { RawFinding } from '../findings/types.js';
import type { SourceFile } from './source.js';

/** `# idc-guard-ignore IDC103 -- reason`: silences those rules on its own line and on the next. */
export interface Suppressions {
  /** line → the directive written on it. */
  byLine: Map<number, { ruleIds: string[]; reason: string }>;
}

const DIRECTIVE = /#\s*idc-guard-ignore\b(.*)$/;

/** Finds the directives in a YAML file. A directive without rule IDs or without a reason is an IDC001 finding. */
export function scanSuppressions(source: SourceFile): { suppressions: Suppressions; problems: RawFinding[] } {
  const byLine = new Map<number, { ruleIds: string[]; reason: string }>();
  const problems: RawFinding[] = [];
  if (source.format !== 'yaml' || !source.text.includes('idc-guard-ignore'))
    return { suppressions: { byLine }, problems };
  source.text.split('\n').forEach((text, index) => {
    const m = DIRECTIVE.exec(text);
    if (!m) return;
    const line = index + 1;
    const separator = m[1].indexOf('--');
    const ids = (separator === -1 ? m[1] : m[1].slice(0, separator)).split(/[\s,]+/).filter(Boolean);
    const reason = separator === -1 ? '' : m[1].slice(separator + 2).trim();
    const fail = (message: string): void => {
      problems.push({
        ruleId: 'IDC001',
        message,
        at: { file: source.path, line, column: m.index + 1 },
        entity: { kind: 'suppression', name: `${line}` },
      });
    };
    if (ids.length === 0) fail('idc-guard-ignore names no rule; write `# idc-guard-ignore IDC103 -- reason`');
    else if (reason === '')
      fail(`idc-guard-ignore ${ids.join(', ')} has no reason, so it is not applied; add one after \`--\``);
    else byLine.set(line, { ruleIds: ids, reason });
  });
  return { suppressions: { byLine }, problems };
}

/** The directive that silences `ruleId` at `line`: on the line itself or on the line above. */
export function suppressionFor(
  suppressions: Suppressions | undefined,
  ruleId: string,
  line: number,
): string | undefined {
  for (const at of [line, line - 1]) {
    const directive = suppressions?.byLine.get(at);
    if (directive?.ruleIds.includes(ruleId)) return directive.reason;
  }
  return undefined;
}
