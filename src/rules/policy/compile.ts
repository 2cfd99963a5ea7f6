import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Severity } from '../../findings/types.js';
import type { Loc } from '../../load/location.js';
import { isLiveTarget, type Policy, type PolicyTarget } from './types.js';
import { linearRegExp } from './regexp.js';

// ajv-formats is CommonJS; depending on the loader its function is the module or its default export.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

const instances = new Map<boolean, Ajv2020>();

/**
 * The ajv that compiles the `where` and `require` schemas of policies. It is apart from the product's own
 * schemas and locked down: no `$data` (a policy compares with constants only), no schema loading (a `$ref`
 * to a URL or a file is an error, never a fetch), unknown keywords are errors (a typo would otherwise pass
 * everything), and patterns run on the linear-time engine (regexp.ts).
 */
function ajv(trusted: boolean): Ajv2020 {
  const existing = instances.get(trusted);
  if (existing) return existing;
  const instance = new Ajv2020({
    $data: false,
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    allowUnionTypes: true,
    unicodeRegExp: false,
    // A team's schema is checked against the meta-schema (a bad one is an IDC001); the product's by a test.
    validateSchema: !trusted,
    // The product's own policies (policies/builtin) are trusted: they keep the usual engine, so that a
    // Node.js without the linear-time engine still runs every built-in rule.
    ...(trusted ? {} : { code: { regExp: linearRegExp } }),
    addUsedSchema: false,
  });
  addFormats(instance);
  instances.set(trusted, instance);
  return instance;
}

/** The fields of a policy document, once it passed policy.schema.json. */
export interface PolicyDocument {
  id: string;
  title: string;
  severity: Severity;
  securitySeverity?: number;
  target: PolicyTarget;
  where?: object | boolean;
  require: object | boolean;
  message: string;
  description?: string;
  remediation?: string;
  helpUri?: string;
}

/** Compiles one schema of a policy; a bad schema is a sentence for an IDC001 finding, never a throw. */
function compileSchema(schema: object | boolean, trusted: boolean): ValidateFunction | string {
  try {
    return ajv(trusted).compile(schema);
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

/**
 * Compiles a policy, or says which of its schemas is wrong and why. `source` is a team policy's file; without
 * it the policy is a built-in one, from the product itself.
 */
export function compilePolicy(
  doc: PolicyDocument,
  at: Loc,
  source?: string,
): { policy: Policy } | { problem: { field: 'where' | 'require'; message: string } } {
  const trusted = source === undefined;
  const where = doc.where === undefined ? undefined : compileSchema(doc.where, trusted);
  if (typeof where === 'string') return { problem: { field: 'where', message: where } };
  const require = compileSchema(doc.require, trusted);
  if (typeof require === 'string') return { problem: { field: 'require', message: require } };
  return {
    policy: {
      meta: {
        id: doc.id,
        title: doc.title,
        severity: doc.severity,
        ...(doc.securitySeverity !== undefined ? { securitySeverity: doc.securitySeverity } : {}),
        scope: isLiveTarget(doc.target) ? 'live' : 'static',
        description: doc.description ?? doc.title,
        remediation: doc.remediation ?? '',
        helpUri: doc.helpUri ?? '',
        ...(source !== undefined ? { source } : {}),
      },
      target: doc.target,
      where,
      require,
      message: doc.message,
      at,
    },
  };
}
