import type { Params } from '../config/config.js';
import type { EntityRef, FindingGroup, RawFinding, Severity } from '../findings/types.js';
import type { Loc } from '../load/location.js';
import type { AnalyzerFinding } from '../live/access-analyzer.js';
import type { LiveLookup } from '../live/live-lookup.js';
import type { LiveOrganization, LiveState } from '../live/types.js';
import type { DeclaredModel } from '../model/types.js';

/** A rule's metadata, from `policies/builtin/<ID>.yaml`: the catalogue is data, docs are made from it. */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /**
   * What a failure of the rule means for access, 0.1 to 10.0, as GitHub code scanning reads SARIF's
   * `security-severity`: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low
   * (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object).
   * Every built-in rule sets it; a team policy may (securitySeverityOf derives one from its severity).
   */
  securitySeverity?: number;
  /** static: the repository alone; live: needs Identity Center state. */
  scope: 'static' | 'live';
  /** A live rule that compares the declarations with live state and finds a difference: drift. */
  drift?: boolean;
  /**
   * What the rule means for a pull request's check (pull-request/scope.ts): `pending`, drift that merging the
   * change and applying it removes; `prerequisite`, a finding on a group that blocks the grants the change adds.
   */
  pullRequest?: 'pending' | 'prerequisite';
  description: string;
  remediation: string;
  helpUri: string;
  /** The vendor documents the rule's facts and fix texts are checked against (built-in rules). */
  references?: { title: string; url: string }[];
  /** A team policy's file (relative to the root); built-in rules have none. */
  source?: string;
  /** The line of the team policy's document in `source`, once located (engine.ts). */
  sourceLine?: number;
}

/**
 * A team policy's security-severity when it sets none, from its default severity: error 7.0 (high), warning
 * 5.0 (medium), notice 2.0 (low), the middle or the foot of GitHub's bands.
 */
export const DERIVED_SECURITY_SEVERITY: Record<Severity, number> = { error: 7.0, warning: 5.0, notice: 2.0 };

/** The rule's security-severity: its own, or derived from its default severity. */
export function securitySeverityOf(meta: RuleMeta): number {
  return meta.securitySeverity ?? DERIVED_SECURITY_SEVERITY[meta.severity];
}

export interface RuleContext {
  model: DeclaredModel;
  /** IDC001 problems found while loading and validating. */
  loadProblems: RawFinding[];
  params: Params;
  /** The time the check runs at: rules never read the clock themselves. */
  now: Date;
  /** Lookups between the declarations and the live state; undefined when live rules are off. */
  lookup?: LiveLookup;
  /** The organization, when it was read: static rules resolve OU, tag and root targets with it. */
  organization?: LiveOrganization;
  /** IAM Access Analyzer's findings on the inline policies, when it was asked (live AWS runs). */
  analyzerFindings?: AnalyzerFinding[];
  /**
   * The kinds whose declarations the model may lack ('*': any kind), with the files concerned: a document
   * that did not load. Rules that judge live state by what is *not* declared skip those kinds.
   */
  incomplete?: ReadonlyMap<string, readonly string[]>;
}

/** A live rule's context: run.ts calls live rules only with the live lookups built. */
export interface LiveRuleContext extends RuleContext {
  lookup: LiveLookup;
}

/** The parts of the live state a live rule reads: it runs only when all of them were read in full. */
export type LiveNeed = Exclude<keyof LiveState['complete'], never>;

/** One rule: pure, it reads the context and returns findings. It never prints and never does I/O. */
export interface Rule {
  id: string;
  /** Live rules only: what they read. Without live state they do not run; with part missing they say so. */
  needs?: LiveNeed[];
  /**
   * The declaration kinds whose every document the rule needs, because it reports live state that nothing
   * declares: when one of them did not load, the rule does not run (one broken file is one IDC001, not an
   * IDC106 per live assignment).
   */
  needsCompleteDeclarations?: string[];
  check(ctx: RuleContext): RawFinding[];
}

/** A rule that judges live state: it is given the live context, so it needs no guard of its own. */
export interface LiveRule extends Omit<Rule, 'needs' | 'check'> {
  needs: LiveNeed[];
  check(ctx: LiveRuleContext): RawFinding[];
}

/** What a finding may carry besides its place, entity and message. */
export interface FindingExtra {
  severity?: Severity;
  detail?: string;
  group?: FindingGroup;
}

/** Builds a finding of `ruleId`: the one place where the shape of a raw finding is spelt out. */
export function finding(
  ruleId: string,
  at: Loc,
  entity: EntityRef,
  message: string,
  extra: FindingExtra = {},
): RawFinding {
  return { ruleId, at, entity, message, ...extra };
}

/** Builds a finding of the rule being defined: the rule's ID is stamped on it. */
export type FindingOf = (at: Loc, entity: EntityRef, message: string, extra?: FindingExtra) => RawFinding;

const findingOf =
  (ruleId: string): FindingOf =>
  (at, entity, message, extra) =>
    finding(ruleId, at, entity, message, extra);

/** A static rule: its ID, written once, and its check, whose `finding` stamps that ID. */
export function defineRule(
  spec: Omit<Rule, 'check'>,
  check: (ctx: RuleContext, finding: FindingOf) => RawFinding[],
): Rule {
  const build = findingOf(spec.id);
  return { ...spec, check: (ctx) => check(ctx, build) };
}

/** A live rule: like defineRule, with what it reads; its check gets the live context. */
export function defineLiveRule(
  spec: Omit<LiveRule, 'check'>,
  check: (ctx: LiveRuleContext, finding: FindingOf) => RawFinding[],
): LiveRule {
  const build = findingOf(spec.id);
  return { ...spec, check: (ctx) => check(ctx, build) };
}
