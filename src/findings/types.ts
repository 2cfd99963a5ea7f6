import type { Loc } from '../load/location.js';

export type Severity = 'error' | 'warning' | 'notice';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, notice: 1 };

/** What a finding is about; with the rule and file it makes the fingerprint. */
export interface EntityRef {
  kind: string;
  name: string;
}

/** A finding as a rule produces it: a location that may still need resolving, no fingerprint yet. */
export interface RawFinding {
  ruleId: string;
  message: string;
  at: Loc;
  entity: EntityRef;
  /** A severity the rule chose for this case (e.g. an expired token); config overrides still win. */
  severity?: Severity;
  /** Disambiguates the fingerprint when one entity has several findings of one rule. */
  detail?: string;
  /**
   * The file was not read as the deployer would read it (a parse error, a duplicate key, a link, an
   * unreadable file): no inline suppression can silence that, or a pull request could hide a document from
   * the check.
   */
  unsuppressible?: boolean;
  /**
   * What the model lacks because of this problem: the declarations of a kind (a document of that kind broke
   * its schema), or of any kind ('*': a file or document that was not read). Rules that need the complete
   * declared set (IDC106: "no declaration grants it") then do not judge it (see rules/run.ts).
   */
  incomplete?: string;
  /** This finding is one item of a group that reporters may show as one (see FindingGroup). */
  group?: FindingGroup;
}

/**
 * Findings of one rule, at one place, that one heading describes (IDC106: a principal's undeclared live
 * assignments). Each finding stays whole, for baselines, suppressions and the pull request's comparisons;
 * a reporter with little room shows the heading once, then each finding's item.
 */
export interface FindingGroup {
  /** The same for every finding of the group, e.g. `group "devs" has … that no declaration grants`. */
  heading: string;
  /** This finding within it, e.g. `"Admin" in 111111111111 (prod)`. */
  item: string;
}

export interface Suppression {
  kind: 'inline' | 'baseline';
  reason?: string;
}

/** A finding as reported: resolved position, final severity, fingerprint, suppression. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  entity: EntityRef;
  fingerprint: string;
  suppressed: boolean;
  suppression?: Suppression;
  /** The reason of an inline suppression the pull request adds that does not apply (not accepted yet). */
  requestedSuppression?: string;
  /**
   * On a pull request, which comparison the finding comes from: `introduced` by the change (head vs base),
   * `existing` on the base already, `baseDrift` (the base differs from live, before and without the change),
   * or `pending` (live differs from the head only because the change is not applied yet). Absent outside a
   * PR.
   */
  scope?: FindingScope;
  group?: FindingGroup;
}

export type FindingScope = 'introduced' | 'existing' | 'baseDrift' | 'pending';
export type FailOnScope = 'introduced' | 'all';

/**
 * Whether a finding decides the verdict: unsuppressed, and on a pull request introduced by it (or, with
 * `fail-on-scope: all`, existing or base drift too). A pending change never fails a PR: merging applies it.
 */
export function decidesVerdict(f: Finding, failOnScope: FailOnScope = 'introduced'): boolean {
  if (f.suppressed) return false;
  if (f.scope === undefined || f.scope === 'introduced') return true;
  return f.scope !== 'pending' && failOnScope === 'all';
}

/** A failure of the tool, never of the user's content: it cannot be suppressed and makes the exit code 2. */
export interface ToolError {
  message: string;
  source: 'config' | 'filesystem' | 'aws' | 'usage' | 'internal';
  file?: string;
  line?: number;
}

/** Information that is neither a finding nor an error, e.g. a JSON file that was skipped. */
export interface Notice {
  message: string;
  file?: string;
}
