import { isNegatedOperator } from './condition-operators.js';
import { globMatch } from './glob.js';

type Json = unknown;
const list = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: Json): string[] => list(v).filter((x): x is string => typeof x === 'string');
const text = (v: Json): string => JSON.stringify(v);

const PASS_ROLE = 'iam:PassRole';
/** Role names no real scoping would all admit: a pattern matching the three covers every role. */
const PROBE_ROLES = ['q', 'Z9', 'path/to/x-y_z.1'];
const VARIABLE = /\$\{[^}]*\}/g;

const coversPassRole = (action: string) => globMatch(action, PASS_ROLE);

/** Which roles a Resource entry lets pass when it covers every role of an account, else undefined. */
function everyRoleIn(resource: string): string | undefined {
  if (resource === '*') return 'every role in every account';
  // Policy variables hold colons (`${aws:PrincipalAccount}`): keep them whole while the ARN is split.
  const variables: string[] = [];
  const parts = resource.replace(VARIABLE, (v) => `\uE000${variables.push(v) - 1}\uE000`).split(':');
  const restore = (s: string) => s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => variables[Number(i)]);
  if (parts[0] !== 'arn') return undefined;
  const literal = (s: string | undefined) => s !== undefined && s !== '' && !/[*?]/.test(s);
  const partition = literal(parts[1]) ? restore(parts[1]) : 'aws';
  const account = literal(parts[4]) ? restore(parts[4]) : undefined;
  const probe = account ?? '123456789012';
  if (!PROBE_ROLES.every((name) => globMatch(resource, `arn:${partition}:iam::${probe}:role/${name}`)))
    return undefined;
  return account ? `every role in account ${account}` : 'every role in every account';
}

/** Whether the Condition limits the services the roles may be passed to. */
function passedToService(condition: Json): 'limits' | 'negated' | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined;
  let found: 'limits' | 'negated' | undefined;
  for (const [operator, block] of Object.entries(condition)) {
    if (typeof block !== 'object' || block === null) continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() !== 'iam:passedtoservice') continue;
      if (isNegatedOperator(operator)) found ??= 'negated';
      else if (list(value).some((v) => v !== '*')) return 'limits';
    }
  }
  return found;
}

/**
 * What an Allow statement lets pass when it lets its holder pass any role to any service (so act as any role),
 * said in a sentence; undefined when its Resource names roles or a prefix of them, or an iam:PassedToService
 * condition limits the services.
 */
export function passRoleExposure(s: Record<string, Json>): string | undefined {
  const grants =
    strings(s.Action).some(coversPassRole) ||
    (s.NotAction !== undefined && !strings(s.NotAction).some(coversPassRole));
  if (!grants) return undefined;
  const condition = passedToService(s.Condition);
  if (condition === 'limits') return undefined;
  let roles: string | undefined;
  if (s.NotResource !== undefined) {
    if (strings(s.NotResource).some((r) => everyRoleIn(r))) return undefined;
    roles = `every role but those of NotResource ${text(s.NotResource)}`;
  } else {
    const broad = strings(s.Resource).find((r) => everyRoleIn(r));
    if (broad === undefined) return undefined;
    roles = `${everyRoleIn(broad)} (Resource ${text(broad)})`;
  }
  const services =
    condition === 'negated'
      ? 'its iam:PassedToService condition only excludes services'
      : 'no iam:PassedToService condition limits the services';
  return (
    `allows iam:PassRole on ${roles}, and ${services}: whoever holds it can hand those roles to a service ` +
    'and act as them; name the roles (or a path or name prefix), or add an iam:PassedToService condition'
  );
}
