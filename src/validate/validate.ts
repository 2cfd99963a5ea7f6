import type { ErrorObject } from 'ajv';
import type { RawFinding } from '../findings/types.js';
import { keyLoc, childLoc, type PathLoc, type PathSegment } from '../load/location.js';
import type { ParsedDoc } from '../load/parse.js';
import { closest, pathText, quote } from '../util/text.js';
import { KIND_SCHEMAS, KINDS, validatorFor, type Kind } from './schemas.js';

/** A declaration document that has a known kind. It may still break its schema in places. */
export interface Declaration {
  kind: Kind;
  value: Record<string, unknown>;
  loc: PathLoc;
  /**
   * The entities that break the schema, by path (joined with `/`: `assignments/3`, or `` for a document that
   * is one entity), each with the paths of its parts at fault, relative to it (`accounts/0`,
   * `sessionDuration`; `` for the entity as a whole). The model keeps an entity's valid parts, so the rules
   * still check them.
   */
  invalid: Map<string, Set<string>>;
}

export interface ValidationResult {
  declarations: Declaration[];
  /** JSON files without `kind`: IdP exports, or files to skip with a notice. */
  untyped: ParsedDoc[];
  findings: RawFinding[];
}

/**
 * Kinds whose documents hold a list of entities: a schema error marks one list item, not the whole document.
 */
const LIST_PROPERTY: Partial<Record<Kind, string>> = {
  Groups: 'groups',
  Users: 'users',
  Assignments: 'assignments',
  AccessControlAttributes: 'attributes',
};

export function validateDocuments(
  docs: ParsedDoc[],
  formatOf: (file: string) => 'yaml' | 'json',
): ValidationResult {
  const result: ValidationResult = { declarations: [], untyped: [], findings: [] };
  for (const doc of docs) {
    // The model lacks what the document declares: of its kind, or of any kind when that is unknown.
    let incomplete = '*';
    const fail = (message: string, at = doc.loc, detail = message, harmless = false): void => {
      result.findings.push({
        ruleId: 'IDC001',
        message,
        at,
        entity: { kind: 'document', name: `${doc.file}#${doc.doc}` },
        detail,
        ...(harmless ? {} : { incomplete }),
      });
    };
    const value = doc.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      if (formatOf(doc.file) === 'json') result.untyped.push(doc);
      else fail(`a declaration must be a mapping with a \`kind\` (one of ${KINDS.join(', ')})`);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (!Object.hasOwn(record, 'kind')) {
      if (formatOf(doc.file) === 'json') result.untyped.push(doc);
      else fail(`this YAML document has no \`kind\`; add one of ${KINDS.join(', ')}`);
      continue;
    }
    const kind = record.kind;
    if (typeof kind !== 'string' || !Object.hasOwn(KIND_SCHEMAS, kind)) {
      const hint = typeof kind === 'string' ? closest(kind, KINDS) : undefined;
      fail(
        `unknown kind ${quote(kind)}${hint ? ` (did you mean ${hint}?)` : ''}; expected one of ` +
          `${KINDS.join(', ')}`,
        childLoc(doc.loc, 'kind') as PathLoc,
      );
      continue;
    }
    const validate = validatorFor(KIND_SCHEMAS[kind as Kind]);
    const invalid = new Map<string, Set<string>>();
    incomplete = kind;
    if (!validate(record)) {
      for (const problem of describeErrors(validate.errors ?? [])) {
        fail(
          problem.message,
          (problem.key ? keyLoc(doc.loc, ...problem.path) : childLoc(doc.loc, ...problem.path)) as PathLoc,
          problem.message,
          problem.harmless,
        );
        if (problem.unknownProperty) continue; // nothing reads it, so it harms nothing else
        const listProperty = LIST_PROPERTY[kind as Kind];
        const depth = listProperty && problem.path[0] === listProperty && problem.path.length >= 2 ? 2 : 0;
        const entity = problem.path.slice(0, depth).join('/');
        // The field and, in a list, the item at fault: `accounts/0`, not the whole assignment.
        const part = problem.path.slice(depth, depth + 2).join('/');
        const parts = invalid.get(entity);
        if (parts) parts.add(part);
        else invalid.set(entity, new Set([part]));
      }
    }
    result.declarations.push({ kind: kind as Kind, value: record, loc: doc.loc, invalid });
  }
  return result;
}

interface Problem {
  path: PathSegment[];
  /** Point at the property's key, not its value. */
  key: boolean;
  /** The model misses nothing because of it (an unknown property, a field not allowed there). */
  harmless: boolean;
  /** A property the schema does not know: the model never reads it. */
  unknownProperty?: boolean;
  message: string;
}

/** Turns ajv's errors into one clear sentence per problem, at the node concerned. */
export function describeErrors(errors: ErrorObject[]): Problem[] {
  // Hinted errors by instance path: an error is looked up at each of its path's prefixes (at most the nesting
  // depth), not compared with every hinted error (a file of 20,000 bad assignments took 38 s that way).
  const hinted = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if ((e.keyword !== 'oneOf' && e.keyword !== 'anyOf') || !hintOf(e)) continue;
    const at = hinted.get(e.instancePath);
    if (at) at.push(e);
    else hinted.set(e.instancePath, [e]);
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // The branches of a oneOf/anyOf that carries a hint are explained by the hint alone.
    if (hinted.size > 0 && explainedByHint(error, hinted)) continue;
    if (error.keyword === 'if') continue;
    const problem = describe(error);
    const id = `${problem.path.join('/')}|${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}

/** Whether a hinted oneOf/anyOf at the error's path, or above it, has the error among its branches. */
function explainedByHint(error: ErrorObject, hinted: Map<string, ErrorObject[]>): boolean {
  const path = error.instancePath;
  for (let end = path.length; end >= 0; end = end === 0 ? -1 : path.lastIndexOf('/', end - 1)) {
    for (const h of hinted.get(path.slice(0, end)) ?? [])
      if (h !== error && error.schemaPath.startsWith(`${h.schemaPath}/`)) return true;
  }
  return false;
}

function describe(error: ErrorObject): Problem {
  const path = pointerToPath(error.instancePath);
  const where = pathText(path);
  const hint = hintOf(error);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      const suggestion = closest(name, known);
      return {
        path: [...path, name],
        key: true,
        harmless: true,
        unknownProperty: true,
        message:
          `unknown property ${quote(name)} in ` +
          `${where}${suggestion ? ` (did you mean ${suggestion}?)` : `; allowed: ${known.join(', ')}`}`,
      };
    }
    case 'required':
      return {
        path,
        key: false,
        harmless: false,
        message: `${where} is missing the required property ${quote(params.missingProperty)}`,
      };
    case 'type':
      return {
        path,
        key: false,
        harmless: false,
        message:
          `${where} must be ${article(String(params.type))}, not ` +
          `${describeValue(error.data)}${hint ? `: ${hint}` : ''}`,
      };
    case 'oneOf':
    case 'anyOf':
      return { path, key: false, harmless: false, message: `${where}: ${hint ?? error.message}` };
    case 'not':
      // A property the schema forbids in this entity (a definition on an object managed elsewhere).
      return { path, key: true, harmless: true, message: `${where} ${hint ?? 'is not allowed here'}` };
    case 'propertyNames':
      return {
        path,
        key: false,
        harmless: false,
        message: `${where} has an invalid key${hint ? `: ${hint}` : ''}`,
      };
    case 'enum':
      return {
        path,
        key: false,
        harmless: false,
        message:
          `${where} is ${quote(error.data)}; expected one of ` +
          `${(params.allowedValues as unknown[]).join(', ')}`,
      };
    case 'const':
      return { path, key: false, harmless: false, message: `${where} must be ${quote(params.allowedValue)}` };
    case 'maxItems':
    case 'minItems': {
      const bound =
        error.keyword === 'maxItems'
          ? `at most ${String(params.limit)} are allowed`
          : `at least ${String(params.limit)} needed`;
      const count = Array.isArray(error.data) ? error.data.length : 0;
      return {
        path,
        key: false,
        harmless: false,
        message: `${where} has ${count} item${count === 1 ? '' : 's'}, ${bound}${hint ? `: ${hint}` : ''}`,
      };
    }
    default: {
      const detail = hint ?? error.message ?? 'is not valid';
      return {
        path,
        key: false,
        harmless: false,
        message: `${where} ${quote(error.data)} is not valid: ${detail}`,
      };
    }
  }
}

function hintOf(error: ErrorObject): string | undefined {
  const parent = error.parentSchema as { errorHint?: string } | undefined;
  const own = (error.schema as { errorHint?: string } | undefined)?.errorHint;
  return parent?.errorHint ?? own;
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function article(type: string): string {
  const t = type.replace(',', ' or ');
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${quote(value)}`;
}
