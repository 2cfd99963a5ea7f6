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
   * The file was not read as the deployer would read it (a parse error, a duplicate key, a link, an unreadable
   * file): no inline suppression can silence that, or a pull request could hide a document from the check.
   */
  unsuppressible?: boolean;
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
