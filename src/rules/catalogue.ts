import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { productRoot } from '../util/product.js';
import type { RuleMeta } from './types.js';

let cached: Map<string, RuleMeta> | undefined;

/** The built-in rule catalogue, read from the product's `policies/builtin/`. */
export function builtinCatalogue(): Map<string, RuleMeta> {
  if (cached) return cached;
  const dir = join(productRoot(), 'policies', 'builtin');
  const catalogue = new Map<string, RuleMeta>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const meta = jsYaml.load(readFileSync(join(dir, file), 'utf8'), {
      schema: jsYaml.CORE_SCHEMA,
    }) as RuleMeta;
    catalogue.set(meta.id, meta);
  }
  return (cached = catalogue);
}
