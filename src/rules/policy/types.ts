import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { Loc } from '../../load/location.js';
import type { RuleMeta } from '../types.js';

/** What a policy is checked on. The live targets need live state, like the live rules. */
export const POLICY_TARGETS = [
  'permissionSet',
  'group',
  'user',
  'assignment',
  'mapping',
  'application',
  'liveGroup',
  'liveAssignment',
] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

export const isLiveTarget = (target: PolicyTarget): boolean => target.startsWith('live');

/** A `kind: Policy` document (or a built-in rule written as one), validated and compiled once. */
export interface Policy {
  meta: RuleMeta;
  target: PolicyTarget;
  /** Which entities the policy applies to; all of the target's when absent. */
  where?: ValidateFunction;
  require: ValidateFunction;
  message: string;
  /** The policy document, for findings about the policy itself. */
  at: Loc;
}
