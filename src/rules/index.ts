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
import { rule as idc011 } from './idc011-user-attributes.js';
import { rule as idc012 } from './idc012-permission-set-limits.js';
import type { Rule } from './types.js';

/** Every built-in rule whose logic is code. Their metadata is in policies/builtin/. */
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
  idc011,
  idc012,
];
