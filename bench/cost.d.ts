// Types of bench/cost.js, for test/bench-plan.test.ts.
import type { LiveOrg } from './live-org.js';

export function minimumCalls(
  org: LiveOrg,
  counts: Record<string, unknown>,
  mode: 'drift' | 'check',
  declaredGroups: Set<string>,
): { byOperation: Record<string, number>; choices: string[] };
/** The applications' and attributes for access control's calls of a repository declaring `declaredGroups`. */
export function applicationCalls(org: LiveOrg, declaredGroups?: Set<string>): Record<string, number>;
