// Types of bench/declarations.js, for test/bench-plan.test.ts.
import type { LiveOrg } from './live-org.js';

export function writeDeclarations(
  org: LiveOrg,
  dir: string,
  /** `applicationArns`: the seeded applications' ARNs by name, for those declared by ARN. */
  instance: { instanceArn: string; identityStoreId: string; applicationArns?: Record<string, string> },
  only?: Set<string>,
): { files: number; groups: number; users: number; assignmentEntries: number; applications: number };
