import type { ErrorObject } from 'ajv';

/** The longest value a placeholder puts in a message: a 10,000-character name makes no 10 kB message. */
const MAX_VALUE_CHARS = 200;

/** A value for a message: strings as they are, other values as JSON, cut to MAX_VALUE_CHARS. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '(none)' : JSON.stringify(value);
  return cut(text);
}

/** A value inside a sentence about it: always JSON, so a string shows its quotes. */
function quoted(value: unknown): string {
  return cut(value === undefined ? '(none)' : JSON.stringify(value));
}

function cut(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/** The value at a dotted path (`tags.owner`, `members.users.0`) of an entity, own properties only. */
function valueAt(entity: unknown, path: string): unknown {
  let value: unknown = entity;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A policy's message with its placeholders filled in: `{field}` or `{a.b}` is the entity's value there,
 * `{error}` what failed in `require`. An unknown placeholder reads "(none)"; `{{` and `}}` are literal
 * braces.
 */
export function renderMessage(template: string, entity: unknown, errors: ErrorObject[]): string {
  return template.replace(/\{\{|\}\}|\{([\w.-]+)\}/g, (match, path: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    return path === 'error' ? describeFailure(errors) : show(valueAt(entity, path!));
  });
}

/** `/tags/owner` → `tags.owner`; the entity itself is "it". */
function where(instancePath: string): string {
  if (instancePath === '') return 'it';
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/**
 * ajv's errors as one short sentence a reader can act on:
 * `tags: missing owner; sessionDuration is "PT8H", not "PT1H"`.
 */
export function describeFailure(errors: ErrorObject[]): string {
  const missing = new Map<string, string[]>();
  const phrases: string[] = [];
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    const at = where(e.instancePath);
    switch (e.keyword) {
      case 'required': {
        const list = missing.get(at) ?? [];
        list.push(String(p.missingProperty));
        missing.set(at, list);
        continue;
      }
      // Their branches say what is wrong; the combinator adds nothing a reader can act on.
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
      case 'if':
      case 'false schema':
        continue;
      case 'const':
        phrases.push(`${at} is ${quoted(e.data)}, not ${quoted(p.allowedValue)}`);
        break;
      case 'enum':
        phrases.push(
          `${at} is ${quoted(e.data)}, not one of ${(p.allowedValues as unknown[]).map(quoted).join(', ')}`,
        );
        break;
      case 'pattern':
        phrases.push(`${at} ${quoted(e.data)} does not match /${String(p.pattern)}/`);
        break;
      case 'maxLength':
        phrases.push(`${at} is longer than ${String(p.limit)} characters`);
        break;
      case 'minLength':
        phrases.push(`${at} is shorter than ${String(p.limit)} characters`);
        break;
      case 'type':
        phrases.push(`${at} is not ${String(p.type)}`);
        break;
      case 'not':
        phrases.push(`${at} is ${quoted(e.data)}, which is not allowed`);
        break;
      case 'additionalProperties':
        phrases.push(`${at}: ${quoted(p.additionalProperty)} is not allowed`);
        break;
      default:
        phrases.push(`${at} ${e.message ?? 'is not allowed'}`);
    }
  }
  const missingPhrases = [...missing].map(
    ([at, names]) => `${at === 'it' ? '' : `${at}: `}missing ${names.join(', ')}`,
  );
  const all = [...new Set([...missingPhrases, ...phrases])];
  return all.length === 0 ? 'does not satisfy the policy' : all.join('; ');
}
