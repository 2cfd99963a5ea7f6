import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { builtinRuleDocUrl, productRoot } from '../util/product.js';
import { compilePolicy, type PolicyDocument } from './policy/compile.js';
import type { Policy } from './policy/types.js';
import type { RuleMeta } from './types.js';

interface Builtin {
  catalogue: Map<string, RuleMeta>;
  policies: Policy[];
}

let cached: Builtin | undefined;

/**
 * The built-in rules, read from the product's `policies/builtin/` (never from the repository under check):
 * every rule's metadata, and the rules written as policies, compiled like a team's.
 */
function builtin(): Builtin {
  if (cached) return cached;
  const dir = join(productRoot(), 'policies', 'builtin');
  const result: Builtin = { catalogue: new Map(), policies: [] };
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const doc = jsYaml.load(readFileSync(join(dir, file), 'utf8'), {
      schema: jsYaml.CORE_SCHEMA,
    }) as RuleMeta & Partial<PolicyDocument>;
    const { id, title, severity, securitySeverity, scope, drift, pullRequest, description, remediation } =
      doc;
    const { references } = doc;
    result.catalogue.set(id, {
      id,
      title,
      severity,
      securitySeverity,
      scope,
      ...(drift ? { drift } : {}),
      ...(pullRequest ? { pullRequest } : {}),
      description,
      remediation,
      helpUri: builtinRuleDocUrl(id),
      ...(references ? { references } : {}),
    });
    if (doc.target) {
      const compiled = compilePolicy(doc as PolicyDocument, {
        file: `policies/builtin/${file}`,
        line: 1,
        column: 1,
      });
      if ('problem' in compiled) throw new Error(`built-in policy ${id}: ${compiled.problem.message}`);
      compiled.policy.meta = result.catalogue.get(id)!;
      result.policies.push(compiled.policy);
    }
  }
  return (cached = result);
}

/**
 * A read-only set filled on first use: importing the catalogue reads no files (the CLI's `--version` and
 * every module that imports a rule set stay free of I/O).
 */
class LazySet implements ReadonlySet<string> {
  #members: Set<string> | undefined;
  constructor(private readonly fill: () => Iterable<string>) {}

  private get members(): Set<string> {
    return (this.#members ??= new Set(this.fill()));
  }
  get size(): number {
    return this.members.size;
  }
  has(value: string): boolean {
    return this.members.has(value);
  }
  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    this.members.forEach((value) => callback.call(thisArg, value, value, this));
  }
  entries(): SetIterator<[string, string]> {
    return this.members.entries();
  }
  keys(): SetIterator<string> {
    return this.members.keys();
  }
  values(): SetIterator<string> {
    return this.members.values();
  }
  [Symbol.iterator](): SetIterator<string> {
    return this.members[Symbol.iterator]();
  }
}

/** The rules that find declarations and live state differ: `drift: true` in their metadata. */
export const DRIFT_RULES: ReadonlySet<string> = new LazySet(() =>
  [...builtinCatalogue().values()].filter((meta) => meta.drift).map((meta) => meta.id),
);

/** Drift that merging and applying a pull request removes: `pullRequest: pending` in their metadata. */
export const PENDING_ON_MERGE_RULES: ReadonlySet<string> = new LazySet(() =>
  [...builtinCatalogue().values()].filter((meta) => meta.pullRequest === 'pending').map((meta) => meta.id),
);

/** Findings on a group that block a pull request's new grants to it: `pullRequest: prerequisite`. */
export const PREREQUISITE_RULES: ReadonlySet<string> = new LazySet(() =>
  [...builtinCatalogue().values()]
    .filter((meta) => meta.pullRequest === 'prerequisite')
    .map((meta) => meta.id),
);

/** The built-in rule catalogue: metadata by rule ID. */
export function builtinCatalogue(): Map<string, RuleMeta> {
  return builtin().catalogue;
}

/** The built-in rules that are written as policies. */
export function builtinPolicies(): Policy[] {
  return builtin().policies;
}
