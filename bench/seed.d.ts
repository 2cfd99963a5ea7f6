// Types of bench/seed.js, for test/bench-plan.test.ts.
import type { SeedSpec } from '../test/aws/seed.js';
import type { LiveOrg } from './live-org.js';

export function seedSpec(org: LiveOrg): SeedSpec;
export function seedCallsByOperation(org: LiveOrg): Record<string, number>;
export function seedCalls(org: LiveOrg): number;
