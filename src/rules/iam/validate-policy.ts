import type { PathSegment } from '../../load/location.js';
import type { Severity } from '../../findings/types.js';
import { closest } from '../../util/text.js';
import { isConditionOperator } from './condition-operators.js';
import { IamNames } from './iam-names.js';
import { passRoleExposure } from './pass-role.js';

/** One problem in an IAM policy document, at a path inside it. */
export interface PolicyProblem {
  path: PathSegment[];
  /** Points at the key rather than its value (an unknown or misplaced element). */
  key?: boolean;
  message: string;
  severity?: Severity;
  /** Tells two problems of one permission set apart in its fingerprint. */
  detail: string;
}

const TOP_LEVEL = ['Version', 'Id', 'Statement'];
const STATEMENT = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const VERSIONS = ['2012-10-17', '2008-10-17'];
/** service:Action, both compared without case by IAM (`SNS:Publish` is in AWS's own managed policies). */
const ACTION = /^([A-Za-z0-9-]+):([\w*?-]+)$/;
/** IAM's Sid grammar for identity-based policies (reference_policies_elements_sid.html). */
const SID = /^[A-Za-z0-9]*$/;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: Json): Json[] => (Array.isArray(v) ? v : [v]);
const text = (v: Json): string => JSON.stringify(v);

interface Options {
  administrator: boolean;
  names: IamNames;
}

/**
 * The problems of an identity-based IAM policy (a permission set's inline policy), offline. Errors are what
 * IAM rejects: its grammar (elements, Effect, Sid, Action/NotAction, Resource/NotResource, Condition and its
 * operators). Warnings are what IAM accepts but is likely wrong or dangerous: a missing or old Version, an
 * unknown service prefix or action (the lists age), Allow with NotAction, Action "*" on Resource "*" (unless
 * the permission set is marked `administrator: true`), and iam:PassRole on any role for any service.
 */
export function validatePolicyDocument(
  doc: Json,
  // `names` is shared by a run's policies, so that suggestions and pattern matching are bounded per run.
  { administrator, names = new IamNames() }: { administrator: boolean; names?: IamNames },
): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const options: Options = { administrator, names };
  if (!isObject(doc))
    return [{ path: [], message: 'an IAM policy is a JSON object with a Statement', detail: 'shape' }];
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL.includes(key)) {
      const hint = closest(key, TOP_LEVEL);
      out.push({
        path: [key],
        key: true,
        message: `unknown policy element ${text(key)}${hint ? ` (did you mean ${hint}?)` : ''}; a policy has Version, Id and Statement`,
        detail: `element:${key}`,
      });
    }
  }
  if (doc.Version === undefined) {
    out.push({
      path: [],
      message:
        'the policy has no Version: IAM then reads it as 2008-10-17, where policy variables like ' +
        '${aws:username} are plain text; add "Version": "2012-10-17"',
      severity: 'warning',
      detail: 'version',
    });
  } else if (!VERSIONS.includes(doc.Version as string)) {
    out.push({
      path: ['Version'],
      message: `Version ${text(doc.Version)} is not one IAM knows; use "2012-10-17"`,
      detail: 'version',
    });
  } else if (doc.Version === '2008-10-17') {
    out.push({
      path: ['Version'],
      message:
        'Version "2008-10-17" is the old policy language, where policy variables like ${aws:username} are plain text; use "2012-10-17"',
      severity: 'warning',
      detail: 'version',
    });
  }
  if (doc.Statement === undefined) {
    out.push({ path: [], message: 'the policy has no Statement', detail: 'statement' });
    return out;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const sids = new Map<string, number>();
  statements.forEach((statement, i) => {
    const at: PathSegment[] = Array.isArray(doc.Statement) ? ['Statement', i] : ['Statement'];
    for (const problem of validateStatement(statement, at, i, options, sids)) out.push(problem);
  });
  return out;
}

function validateStatement(
  s: Json,
  at: PathSegment[],
  index: number,
  options: Options,
  sids: Map<string, number>,
): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const add = (path: PathSegment[], message: string, detail: string, extra: Partial<PolicyProblem> = {}) =>
    out.push({
      path: [...at, ...path],
      message: `statement ${index + 1}: ${message}`,
      detail: `${index}:${detail}`,
      ...extra,
    });
  if (!isObject(s)) {
    add([], 'a statement is an object with Effect, Action and Resource', 'shape');
    return out;
  }
  for (const key of Object.keys(s)) {
    if (key === 'Principal' || key === 'NotPrincipal') {
      add(
        [key],
        `${key} belongs in resource policies; a permission set's policy is attached to a role and must not have one`,
        `element:${key}`,
        { key: true },
      );
    } else if (!STATEMENT.includes(key)) {
      const hint = closest(key, STATEMENT);
      add([key], `unknown element ${text(key)}${hint ? ` (did you mean ${hint}?)` : ''}`, `element:${key}`, {
        key: true,
      });
    }
  }
  if (s.Sid !== undefined && (typeof s.Sid !== 'string' || !SID.test(s.Sid))) {
    add(
      ['Sid'],
      `Sid ${text(s.Sid)} is not letters and digits only (A-Z, a-z, 0-9), as IAM requires of a Sid in an identity-based policy`,
      'sid-grammar',
    );
  }
  if (typeof s.Sid === 'string') {
    if (sids.has(s.Sid))
      add(
        ['Sid'],
        `Sid ${text(s.Sid)} is also statement ${sids.get(s.Sid)! + 1}'s; Sids must be unique`,
        'sid',
      );
    else sids.set(s.Sid, index);
  }
  if (s.Effect === undefined) add([], 'no Effect; it is "Allow" or "Deny"', 'effect');
  else if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    const hint = typeof s.Effect === 'string' ? closest(s.Effect, ['Allow', 'Deny']) : undefined;
    add(
      ['Effect'],
      `Effect ${text(s.Effect)} is not "Allow" or "Deny"${hint ? ` (did you mean ${hint}?)` : ''}; IAM rejects the policy`,
      'effect',
    );
  }
  const both = (a: string, b: string) => {
    if (s[a] !== undefined && s[b] !== undefined) add([b], `has both ${a} and ${b}; use one`, `${a}${b}`);
    else if (s[a] === undefined && s[b] === undefined) add([], `has neither ${a} nor ${b}`, `${a}${b}`);
  };
  both('Action', 'NotAction');
  both('Resource', 'NotResource');
  for (const element of ['Action', 'NotAction']) {
    if (s[element] === undefined) continue;
    list(s[element]).forEach((action, j) => {
      const path = Array.isArray(s[element]) ? [element, j] : [element];
      if (typeof action !== 'string') return add(path, `${element} entries are strings`, `${element}:${j}`);
      if (action === '*') return;
      const m = ACTION.exec(action);
      if (!m)
        return add(
          path,
          `${text(action)} is not an action: write service:Action, e.g. "s3:GetObject"`,
          `${element}:${action}`,
        );
      const [, prefix, name] = m;
      if (!options.names.isPrefix(prefix)) {
        const hint = options.names.closestPrefix(prefix);
        add(
          path,
          `unknown service prefix ${text(prefix)} in ${text(action)}${hint ? ` (did you mean ${hint}?)` : ''}`,
          `prefix:${action}`,
          { severity: 'warning' },
        );
      } else if (!options.names.hasAction(prefix, name)) {
        const hint = options.names.closestAction(prefix, name);
        const what = /[*?]/.test(name) ? 'matches no action' : 'is no action';
        add(
          path,
          `${text(action)} ${what} of ${prefix.toLowerCase()} that idc-guard knows` +
            `${hint ? ` (did you mean ${prefix}:${hint}?)` : ''}: a misspelt action grants nothing ` +
            "(idc-guard's list may also predate the action)",
          `action:${action}`,
          { severity: 'warning' },
        );
      }
    });
  }
  for (const element of ['Resource', 'NotResource']) {
    if (s[element] === undefined) continue;
    list(s[element]).forEach((resource, j) => {
      if (typeof resource !== 'string' || (resource !== '*' && !resource.startsWith('arn:'))) {
        add(
          Array.isArray(s[element]) ? [element, j] : [element],
          `${text(resource)} is not a resource: use an ARN or "*"`,
          `${element}:${j}`,
        );
      }
    });
  }
  if (s.Condition !== undefined && !(isObject(s.Condition) && Object.values(s.Condition).every(isObject))) {
    add(
      ['Condition'],
      'a Condition maps operators to { key: value } objects, e.g. { "StringEquals": { "aws:RequestedRegion": "eu-west-1" } }',
      'condition',
    );
  } else if (isObject(s.Condition)) {
    for (const operator of Object.keys(s.Condition)) {
      if (isConditionOperator(operator)) continue;
      const base = operator.replace(/IfExists$/, '');
      const hint =
        base !== operator && isConditionOperator(base) ? undefined : options.names.closestOperator(operator);
      const why =
        hint === undefined && base !== operator
          ? `: ${base} has no IfExists form`
          : hint?.toLowerCase() === operator.toLowerCase()
            ? ': operator names are case-sensitive'
            : '';
      add(
        ['Condition', operator],
        `unknown condition operator ${text(operator)}${hint ? ` (did you mean ${hint}?)` : ''}${why}; IAM rejects the policy`,
        `operator:${operator}`,
      );
    }
  }
  // A statement IAM rejects grants nothing yet: its dangerous forms are judged once it is fixed.
  if (s.Effect !== 'Allow' || out.some((p) => !p.severity)) return out;
  if (s.NotAction !== undefined) {
    add(
      ['NotAction'],
      'Allow with NotAction allows every action not listed, including those of services added later; list the allowed actions instead',
      'notaction',
      {
        severity: 'warning',
      },
    );
  }
  const actions = list(s.Action).filter((a): a is string => typeof a === 'string');
  const resources = list(s.Resource).filter((r): r is string => typeof r === 'string');
  const everything = actions.some((a) => a === '*' || a === '*:*') && resources.includes('*');
  // IAM accepts this (AdministratorAccess is it), so a warning: errors are kept for what IAM rejects.
  if (everything && !options.administrator) {
    add(
      ['Action'],
      'allows "Action": "*" on "Resource": "*", full administrator access; narrow it, ' +
        'or mark the permission set `administrator: true` if that is its purpose',
      'admin',
      { severity: 'warning' },
    );
  } else if (!everything) {
    const passRole = passRoleExposure(s);
    if (passRole)
      add([s.NotResource !== undefined ? 'NotResource' : 'Resource'], passRole, 'passrole', {
        severity: 'warning',
      });
  }
  return out;
}
