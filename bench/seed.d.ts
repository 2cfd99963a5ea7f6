// Types of bench/seed.js, for test/bench-plan.test.ts.
import type { SeededOrganisation, SeedSpec } from '../test/aws/seed.js';
import type { LiveOrg } from './live-org.js';

export function seedSpec(org: LiveOrg): SeedSpec;
export function seedCallsByOperation(org: LiveOrg): Record<string, number>;
export function seedCalls(org: LiveOrg): number;
/** Seeds the applications and attributes for access control; the applications' ARNs by name. */
export function seedApplications(
  endpoint: string,
  org: LiveOrg,
  seeded: SeededOrganisation,
  modules?: { seedClients: unknown; seedApplication: unknown; seedAccessControlAttributes: unknown },
): Promise<Record<string, string>>;
