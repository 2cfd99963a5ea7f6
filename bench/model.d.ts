// Types of bench/model.js, for test/bench-plan.test.ts.
import type { LiveOrg } from './live-org.js';

export type FakeData = Record<string, unknown> & { instanceArn: string; identityStoreId: string };
export interface Principals {
  groups: string[];
  users: string[];
  permissionSets: string[];
}
export interface ReaderRun {
  calls: number;
  byOperation: Record<string, number>;
  failures: { message: string }[];
  route: 'pair' | 'principal';
}
export function fakeData(org: LiveOrg): FakeData;
export function principalsOf(org: LiveOrg, groups?: Iterable<string>): Principals;
export interface ApplicationReads {
  applications?: { names: string[]; arns: string[] };
  accessControlAttributes?: true;
}
export function applicationReads(org: LiveOrg, data: FakeData, groups?: Iterable<string>): ApplicationReads;
export function runReader(
  data: FakeData,
  options: {
    read: 'drift' | 'check';
    principals?: Principals;
    applications?: ApplicationReads['applications'];
    accessControlAttributes?: true;
    fullDetail?: boolean;
    /** The reader and fake to run; by default the ones compiled into bench/out/model/. */
    modules?: { readLiveState: unknown; FakeIdentityCenter: unknown };
  },
): Promise<ReaderRun>;
