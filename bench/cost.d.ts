// Types of bench/cost.js, for test/bench-plan.test.ts.
import type { LiveOrg } from './live-org.js';

export function minimumCalls(
  org: LiveOrg,
  counts: Record<string, unknown>,
  mode: 'drift' | 'check',
  declaredGroups: Set<string>,
): { byOperation: Record<string, number>; choices: string[] };
