// Types of bench/declarations.js, for test/bench-plan.test.ts.
import type { LiveOrg } from './live-org.js';

export function writeDeclarations(
  org: LiveOrg,
  dir: string,
  instance: { instanceArn: string; identityStoreId: string },
  only?: Set<string>,
): { files: number; groups: number; users: number; assignmentEntries: number };
