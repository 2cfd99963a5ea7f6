import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { productRoot } from '../util/product.js';

// ajv-formats is CommonJS; depending on the loader its function is the module or its default export.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** The declaration kinds and the schema file of each. */
export const KIND_SCHEMAS = {
  IdentityCenter: 'identity-center.schema.json',
  Groups: 'groups.schema.json',
  Users: 'users.schema.json',
  PermissionSet: 'permission-set.schema.json',
  Assignments: 'assignments.schema.json',
  AttributeMapping: 'attribute-mapping.schema.json',
  Application: 'application.schema.json',
  AccessControlAttributes: 'access-control-attributes.schema.json',
} as const;

export type Kind = keyof typeof KIND_SCHEMAS;
export const KINDS = Object.keys(KIND_SCHEMAS) as Kind[];

/** ISO-8601 session durations that Identity Center accepts: one to twelve hours. */
export function sessionDurationMinutes(value: string): number | undefined {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(value);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

function isSessionDuration(value: string): boolean {
  const minutes = sessionDurationMinutes(value);
  return minutes !== undefined && minutes >= 60 && minutes <= 720;
}

/**
 * With allErrors, ajv appends the errors of a `$ref`'d schema by `vErrors = vErrors.concat(refErrors)`: a
 * copy of every error so far, for each list item that has one, so a file of 150,000 bad groups took 85 s
 * (quadratic). The generated code appends in place instead; the copy was never shared (each call of a
 * validator starts its own list and sets `.errors` to it at the end).
 */
function appendInPlace(code: string): string {
  return code.replace(
    /vErrors = vErrors === null \? ([\w$.]+) : vErrors\.concat\(\1\);/g,
    'if (vErrors === null) vErrors = $1; else for (const refError of $1) vErrors.push(refError);',
  );
}

let ajvInstance: Ajv2020 | undefined;

/** One ajv for every schema of the product, compiled once per process. */
export function schemaRegistry(): Ajv2020 {
  if (ajvInstance) return ajvInstance;
  const ajv = new Ajv2020({
    allErrors: true,
    // The product's own schemas are checked against the meta-schema by a test, not on every start (it was
    // most of a small check's time).
    validateSchema: false,
    strict: true,
    strictRequired: false,
    verbose: true,
    allowUnionTypes: true,
    code: { process: appendInPlace },
  });
  addFormats(ajv);
  ajv.addFormat('session-duration', { type: 'string', validate: isSessionDuration });
  // An annotation of ours: the sentence to show when a value breaks its schema.
  ajv.addKeyword({ keyword: 'errorHint', schemaType: 'string' });
  const dir = join(productRoot(), 'schemas');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object, file);
  }
  return (ajvInstance = ajv);
}

export function validatorFor(schemaFile: string): ValidateFunction {
  const validate = schemaRegistry().getSchema(schemaFile);
  if (!validate) throw new Error(`schema ${schemaFile} is missing from the installation`);
  return validate;
}
