import { Lexer } from 'yaml';
import type { RawFinding } from '../findings/types.js';
import type { SourceFile } from './source.js';

/** One `# idc-guard-ignore IDC103 -- reason` comment. */
export interface Directive {
  ruleIds: string[];
  reason: string;
  /** Where the comment starts on its line. */
  column: number;
  /**
   * What the directive covers, independent of its line number: its file, rules, reason and the text of the
   * lines it silences. A pull request's directive whose key the base also has is the base's, moved by edits
   * above it; any other is added by the pull request and needs a maintainer (see finalize.ts).
   */
  key: string;
}

/** `# idc-guard-ignore IDC103 -- reason`: silences those rules on its own line and on the next. */
export interface Suppressions {
  /** line → the directive written on it. */
  byLine: Map<number, Directive>;
  /** Every rule some directive of the file names: only their findings need a line before they are listed. */
  ruleIds: Set<string>;
}

const DIRECTIVE = /^#\s*idc-guard-ignore\b(.*)$/;
// The lexer's markers for document start, flow end and scalar: they stand for no text of the source.
const MARKERS = new Set(['\u0002', '\u0018', '\u001f', '\ufeff']);

/**
 * Finds the directives in a YAML file: real comments only, as the YAML lexer sees them, never text inside a
 * quoted or block scalar that merely looks like one. A directive without rule IDs or without a reason is an
 * IDC001 finding.
 */
export function scanSuppressions(source: SourceFile): { suppressions: Suppressions; problems: RawFinding[] } {
  const byLine = new Map<number, Directive>();
  const ruleIds = new Set<string>();
  const problems: RawFinding[] = [];
  if (source.format !== 'yaml' || !source.text.includes('idc-guard-ignore'))
    return { suppressions: { byLine, ruleIds }, problems };
  const lines = source.text.split('\n');
  const lineStarts = [0];
  for (const l of lines) lineStarts.push(lineStarts.at(-1)! + l.length + 1);
  let offset = 0;
  let line = 0; // 0-based, advanced monotonically with the offset
  for (const token of new Lexer().lex(source.text)) {
    if (token.length === 1 && MARKERS.has(token)) continue;
    const start = offset;
    offset += token.length;
    if (token[0] !== '#' || !token.includes('idc-guard-ignore')) continue;
    const m = DIRECTIVE.exec(token);
    if (!m) continue;
    while (lineStarts[line + 1] <= start) line++;
    const column = start - lineStarts[line] + 1;
    const fail = (message: string): void => {
      problems.push({
        ruleId: 'IDC001',
        message,
        at: { file: source.path, line: line + 1, column },
        entity: { kind: 'suppression', name: `${line + 1}` },
      });
    };
    const separator = m[1].indexOf('--');
    const ids = (separator === -1 ? m[1] : m[1].slice(0, separator)).split(/[\s,]+/).filter(Boolean);
    const reason = separator === -1 ? '' : m[1].slice(separator + 2).trim();
    if (ids.length === 0) fail('idc-guard-ignore names no rule; write `# idc-guard-ignore IDC103 -- reason`');
    else if (reason === '')
      fail(`idc-guard-ignore ${ids.join(', ')} has no reason, so it is not applied; add one after \`--\``);
    else {
      const covered = [lines[line].slice(0, column - 1), lines[line + 1] ?? ''].map((l) => l.trim());
      const key = [source.path, [...ids].sort().join(','), reason, ...covered].join('\u0000');
      byLine.set(line + 1, { ruleIds: ids, reason, column, key });
      for (const id of ids) ruleIds.add(id);
    }
  }
  return { suppressions: { byLine, ruleIds }, problems };
}

/** The directive that silences `ruleId` at `line`: on the line itself or on the line above. */
export function suppressionFor(
  suppressions: Suppressions | undefined,
  ruleId: string,
  line: number,
): Directive | undefined {
  for (const at of [line, line - 1]) {
    const directive = suppressions?.byLine.get(at);
    if (directive?.ruleIds.includes(ruleId)) return directive;
  }
  return undefined;
}

/**
 * An IDC001 for each rule a directive names that the check does not have: `IDC1O6` silences nothing, and a
 * silent typo would leave the finding it meant to accept failing with no word why.
 */
export function unknownSuppressedRules(
  suppressions: ReadonlyMap<string, Suppressions>,
  known: ReadonlySet<string>,
  suggest: (id: string) => string | undefined,
): RawFinding[] {
  const problems: RawFinding[] = [];
  for (const [file, s] of suppressions) {
    for (const [line, directive] of s.byLine) {
      for (const id of directive.ruleIds.filter((r) => !known.has(r))) {
        const near = suggest(id);
        problems.push({
          ruleId: 'IDC001',
          message:
            `idc-guard-ignore names ${id}, which is no rule of this check${near ? ` (did you mean ${near}?)` : ''}, ` +
            'so it silences nothing; `idc-guard rules` lists the rules',
          at: { file, line, column: directive.column },
          entity: { kind: 'suppression', name: `${line}` },
        });
      }
    }
  }
  return problems;
}
