import { rule as idc001 } from './idc001-invalid-file.js';
import { rule as idc002 } from './idc002-undeclared-reference.js';
import { rule as idc003 } from './idc003-duplicate-group.js';
import { rule as idc004 } from './idc004-duplicate-user.js';
import { rule as idc005 } from './idc005-nested-group.js';
import { rule as idc006 } from './idc006-required-attribute.js';
import { rule as idc007 } from './idc007-multivalued-attribute.js';
import { rule as idc008 } from './idc008-scim-endpoint.js';
import { rule as idc009 } from './idc009-scim-token-expiry.js';
import { rule as idc010 } from './idc010-group-not-in-app-scope.js';
import { rule as idc012 } from './idc012-permission-set-limits.js';
import { rule as idc013 } from './idc013-reserved-name.js';
import { rule as idc014 } from './idc014-iam-policy.js';
import { rule as idc015 } from './idc015-permission-sets-per-account.js';
import { rule as idc016 } from './idc016-declared-twice.js';
import { rule as idc017 } from './idc017-unsupported-abac-source.js';
import { rule as idc018 } from './idc018-abac-source-not-mapped.js';
import { rule as idc019 } from './idc019-principal-tag-not-configured.js';
import { rule as idc101 } from './idc101-group-missing-live.js';
import { rule as idc102 } from './idc102-group-not-scim.js';
import { rule as idc103 } from './idc103-empty-group.js';
import { rule as idc104 } from './idc104-member-attributes.js';
import { rule as idc105 } from './idc105-assignment-missing-live.js';
import { rule as idc106 } from './idc106-assignment-not-declared.js';
import { rule as idc107 } from './idc107-permission-set-drift.js';
import { rule as idc108 } from './idc108-not-reprovisioned.js';
import { rule as idc109 } from './idc109-orphaned-assignment.js';
import { rule as idc110 } from './idc110-membership-drift.js';
import { rule as idc111 } from './idc111-organization-target.js';
import { rule as idc112 } from './idc112-management-account.js';
import { rule as idc113 } from './idc113-application-assignment-missing-live.js';
import { rule as idc114 } from './idc114-application-assignment-not-declared.js';
import { rule as idc115 } from './idc115-orphaned-application-assignment.js';
import { rule as idc116 } from './idc116-application-drift.js';
import { rule as idc117 } from './idc117-access-control-attributes-drift.js';
import type { LiveRule, Rule } from './types.js';

/**
 * Every built-in static rule whose logic is code. Their metadata is in policies/builtin/, where the rules
 * that are one schema assertion (IDC011) are written as policies instead of code.
 */
export const STATIC_RULES: readonly Rule[] = [
  idc001,
  idc002,
  idc003,
  idc004,
  idc005,
  idc006,
  idc007,
  idc008,
  idc009,
  idc010,
  idc012,
  idc013,
  idc014,
  idc015,
  idc016,
  idc017,
  idc018,
  idc019,
];

/** The live rules: they need Identity Center state, from AWS or a snapshot. Metadata: policies/builtin/. */
export const LIVE_RULES: readonly LiveRule[] = [
  idc101,
  idc102,
  idc103,
  idc104,
  idc105,
  idc106,
  idc107,
  idc108,
  idc109,
  idc110,
  idc111,
  idc112,
  idc113,
  idc114,
  idc115,
  idc116,
  idc117,
];
