// Types of bench/live-org.js, for test/bench-plan.test.ts.
export interface LiveOrgSpec {
  accounts: number;
  permissionSets: number;
  groups: number;
  users: number;
  tuples: number;
  prGroups: number;
  /** Declared applications (an AWS managed one nobody declares is added); none when absent. */
  applications?: number;
  accessControlAttributes?: number;
}
export interface LiveApplication {
  name: string;
  /** Absent: nobody declares it (the AWS managed one). */
  declaredBy?: 'name' | 'arn';
  providerArn?: string;
  assignmentRequired?: boolean;
  groups: string[];
  users: string[];
}
export interface LiveOrg {
  size: string;
  seed: number;
  spec: LiveOrgSpec;
  accounts: { alias: string; id: string; domain: string }[];
  permissionSets: { name: string }[];
  users: { userName: string }[];
  groups: { name: string; members: string[] }[];
  entries: { group: string; permissionSet: string; accounts: string[]; refs: string[] }[];
  tuples: number;
  prGroups: string[];
  applications: LiveApplication[];
  accessControlAttributes: { key: string; source: string }[];
}
export const LIVE_SIZES: Record<string, LiveOrgSpec>;
export const MODEL_SIZES: Record<string, LiveOrgSpec>;
/** `size`: a size's name, or a spec of one's own. */
export function generateLiveOrg(size: string | LiveOrgSpec, seed?: number): LiveOrg;
export function describeOrg(org: LiveOrg): Record<string, unknown>;
