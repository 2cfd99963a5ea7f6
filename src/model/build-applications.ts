import { childLoc, type Loc } from '../load/location.js';
import { asFields, asList, type Fields } from './untrusted.js';
import type { AccessControlAttributesDecl, ApplicationDecl, Validity } from './types.js';
import { located, strings } from './values.js';

// The builders of the two kinds that describe access beyond accounts: applications and ABAC attributes.

export function application(v: Fields, at: Loc, validity: Validity): ApplicationDecl {
  const assignments = asFields(v.assignments);
  const required = v.assignmentRequired;
  return {
    at,
    ...validity,
    written: v,
    name: located(v.name, childLoc(at, 'name')),
    arn: located(v.arn, childLoc(at, 'arn')),
    ...(typeof required === 'boolean'
      ? { assignmentRequired: { value: required, at: childLoc(at, 'assignmentRequired') } }
      : {}),
    groups: strings(assignments?.groups, childLoc(at, 'assignments', 'groups')),
    users: strings(assignments?.users, childLoc(at, 'assignments', 'users')),
  };
}

export function accessControlAttributes(
  v: Fields,
  at: Loc,
  validity: Validity,
  itemValidity: (i: number) => Validity,
): AccessControlAttributesDecl {
  const attributes: AccessControlAttributesDecl['attributes'] = [];
  asList(v.attributes).forEach((a, i) => {
    const o = asFields(a);
    const itemAt = childLoc(at, 'attributes', i);
    const key = located(o?.key, childLoc(itemAt, 'key'));
    const source = located(o?.source, childLoc(itemAt, 'source'));
    if (key && source) attributes.push({ at: itemAt, ...itemValidity(i), key, source });
  });
  return {
    at,
    ...validity,
    attributes,
    fromSamlAssertion: strings(v.fromSamlAssertion, childLoc(at, 'fromSamlAssertion')),
  };
}
