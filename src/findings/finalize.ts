import { createHash } from 'node:crypto';
import type { Config, SuppressionMode } from '../config/config.js';
import type { Locator } from '../load/positions.js';
import { suppressionFor, type Directive, type Suppressions } from '../load/suppressions.js';
import type { RuleMeta } from '../rules/types.js';
import type { Finding, RawFinding } from './types.js';

export interface FinalizeInput {
  raw: RawFinding[];
  config: Config;
  catalogue: ReadonlyMap<string, RuleMeta>;
  locator: Locator;
  suppressions: ReadonlyMap<string, Suppressions>;
  /** Fingerprints from the baseline file. */
  baseline?: ReadonlySet<string>;
  /** On a pull request: which inline suppressions apply (undefined: all of them, as in a plain check). */
  review?: SuppressionReview;
}

/**
 * How a pull request's own suppressions are treated. A directive the base has too (see `ofBase`) applies; one
 * the head adds applies with `allow`, with `review` once a maintainer accepted it (a label), and never with
 * `base-only`.
 */
export interface SuppressionReview {
  mode: SuppressionMode;
  accepted: boolean;
  /** The head's directives that the base has: as many of each key as the base holds, in file order. */
  ofBase: ReadonlySet<Directive>;
}

/** Whether a directive applies under `review`: the base's always, the head's as the mode and label say. */
export function directiveApplies(directive: Directive, review: SuppressionReview | undefined): boolean {
  if (!review || review.ofBase.has(directive)) return true;
  return review.mode === 'allow' || (review.mode === 'review' && review.accepted);
}

/**
 * The head's directives that are the base's: for each key, no more than the base has. A copy of a base
 * directive onto a second, identical line is one more than the base has, so it counts as added.
 */
export function directivesOfBase(
  suppressions: ReadonlyMap<string, Suppressions>,
  baseCounts: ReadonlyMap<string, number>,
): Set<Directive> {
  const ofBase = new Set<Directive>();
  const used = new Map<string, number>();
  for (const file of [...suppressions.keys()].sort()) {
    const byLine = [...suppressions.get(file)!.byLine].sort(([a], [b]) => a - b);
    for (const [, d] of byLine) {
      const n = used.get(d.key) ?? 0;
      if (n >= (baseCounts.get(d.key) ?? 0)) continue;
      ofBase.add(d);
      used.set(d.key, n + 1);
    }
  }
  return ofBase;
}

/**
 * Applies the team's settings to what the rules found: disabled rules, severities, positions, inline
 * suppressions and the baseline. The fingerprint is rule + file + entity, never the line, so it survives
 * edits.
 */
export function finalizeFindings(input: FinalizeInput): Finding[] {
  const { config, catalogue, locator } = input;
  const findings: Finding[] = [];
  for (const raw of input.raw) {
    const setting = config.rules[raw.ruleId];
    if (setting?.enabled === false) continue;
    const severity = setting?.severity ?? raw.severity ?? catalogue.get(raw.ruleId)?.severity ?? 'error';
    const file = raw.at.file;
    // A position costs a parse with positions of its file: it is taken now only where a suppression may
    // depend on the line (a directive of the file names the rule), and otherwise once the findings that are
    // reported are known (placeFindings).
    const directives = raw.unsuppressible ? undefined : input.suppressions.get(file);
    const needsLine =
      directives?.ruleIds.has(raw.ruleId) === true && locator.mayBeAt(raw.at, directiveLines(directives));
    const { line, column } = needsLine ? locator.locate(raw.at) : { line: 0, column: 0 };
    const fingerprint = fingerprintOf(raw);
    const finding: Finding = {
      ruleId: raw.ruleId,
      severity,
      message: raw.message,
      file,
      line,
      column,
      entity: raw.entity,
      fingerprint,
      suppressed: false,
      ...(raw.group ? { group: raw.group } : {}),
    };
    const directive = raw.unsuppressible
      ? undefined
      : suppressionFor(input.suppressions.get(file), raw.ruleId, line);
    if (directive && directiveApplies(directive, input.review)) {
      finding.suppressed = true;
      finding.suppression = { kind: 'inline', reason: directive.reason };
    } else if (input.baseline?.has(fingerprint)) {
      finding.suppressed = true;
      finding.suppression = { kind: 'baseline' };
    }
    // Added by the pull request and not (yet) accepted: the finding counts, and says what was asked.
    if (directive && !finding.suppressed) finding.requestedSuppression = directive.reason;
    if (!needsLine) unplaced.set(finding, raw.at);
    findings.push(finding);
  }
  return findings;
}

/** The lines a file's directives silence: each its own and the next. */
const linesOfDirectives = new WeakMap<Suppressions, number[]>();
function directiveLines(suppressions: Suppressions): number[] {
  let lines = linesOfDirectives.get(suppressions);
  if (!lines) {
    lines = [...suppressions.byLine.keys()].flatMap((line) => [line, line + 1]);
    linesOfDirectives.set(suppressions, lines);
  }
  return lines;
}

/** Findings whose position is still to be taken, with where they point. */
const unplaced = new WeakMap<Finding, RawFinding['at']>();

/** Gives the findings that are reported their lines and columns, and sorts them in report order. */
export function placeFindings(findings: Finding[], locator: Locator): Finding[] {
  for (const f of findings) {
    const at = unplaced.get(f);
    if (!at) continue;
    Object.assign(f, locator.locate(at));
    unplaced.delete(f);
  }
  return findings.sort(compareFindings);
}

export function fingerprintOf(raw: RawFinding): string {
  return createHash('sha256')
    .update([raw.ruleId, raw.at.file, raw.entity.kind, raw.entity.name, raw.detail ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
