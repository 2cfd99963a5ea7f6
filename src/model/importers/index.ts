import type { RawFinding } from '../../findings/types.js';
import type { ParsedDoc } from '../../load/parse.js';
import type { MappingSet } from '../types.js';
import { type ImportOptions } from './common.js';
import { asFields } from '../untrusted.js';
import { importEntraAppAssignments, isEntraAppAssignments } from './entra-app-assignments.js';
import { importEntraSchema, isEntraSchema } from './entra-schema.js';
import { importOktaMapping, isOktaMapping } from './okta-mapping.js';
import { append } from '../../util/list.js';

/** IdP exports read as they are: each recognised by its shape, each turned into mapping sets. */
const IMPORTERS = [
  { detect: isEntraSchema, run: importEntraSchema },
  { detect: isEntraAppAssignments, run: importEntraAppAssignments },
  { detect: isOktaMapping, run: importOktaMapping },
];

export interface ImportResult {
  sets: MappingSet[];
  findings: RawFinding[];
  /** JSON files that are no known export. */
  unknown: ParsedDoc[];
}

export function importExports(docs: ParsedDoc[], options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { sets: [], findings: [], unknown: [] };
  for (const doc of docs) {
    const value = asFields(doc.value);
    const importer = value && IMPORTERS.find((i) => i.detect(value));
    if (!importer) {
      result.unknown.push(doc);
      continue;
    }
    const { sets, problems } = importer.run(doc, options);
    append(result.sets, sets);
    append(result.findings, problems.findings);
  }
  return result;
}
