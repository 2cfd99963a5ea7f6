import type { ParsedDoc } from '../../load/parse.js';
import { VALID } from '../values.js';
import type { Located, MappingSet } from '../types.js';
import { isAwsAppExport, type AppSignal } from './app-identity.js';
import { ExportProblems, type ImportOptions } from './common.js';
import { asList, asFields, asString, type Fields } from '../untrusted.js';

/** Graph's appRoleAssignedTo: a `value` list of assignments with principalType, or its @odata.context. */
export const isEntraAppAssignments = (value: Fields): boolean =>
  Array.isArray(value.value) &&
  (String(value['@odata.context'] ?? '').includes('appRoleAssignedTo') ||
    value.value.some((v) => asFields(v)?.principalType !== undefined));

/** Reads the groups assigned to an Entra enterprise app: the groups in provisioning scope (IDC010). */
export function importEntraAppAssignments(
  doc: ParsedDoc,
  options: ImportOptions = {},
): { sets: MappingSet[]; problems: ExportProblems } {
  const problems = new ExportProblems(doc);
  if (!problems.validate('entra-app-assignments.schema.json', 'Entra app assignments'))
    return { sets: [], problems };
  const value = doc.value as Fields;
  if (typeof value['@odata.nextLink'] === 'string') {
    problems.add(
      ['@odata.nextLink'],
      'this is one page of a paged Graph response, so the app assignments are incomplete and groups on ' +
        'later pages look out of scope; export every page (follow @odata.nextLink) into one `value` list',
      { key: true },
    );
  }
  // Every assignment names the app it assigns to: each distinct name is a signal.
  const signals: AppSignal[] = [];
  asList(value.value).forEach((a, i) => {
    const resource = asString(asFields(a)?.resourceDisplayName);
    if (resource !== undefined && !signals.some((s) => s.name === resource))
      signals.push({
        name: resource,
        path: ['value', i, 'resourceDisplayName'],
        where: 'named in resourceDisplayName',
      });
  });
  if (!isAwsAppExport(signals, options.awsAppNames ?? [], problems, "this app's assignment list"))
    return { sets: [], problems };
  const appGroups: Located[] = [];
  // A group assigned under several app roles is one group in scope, not a duplicate.
  const seen = new Set<string>();
  asList(value.value).forEach((a, i) => {
    const assignment = asFields(a)!;
    const name = asString(assignment.principalDisplayName);
    const id = asString(assignment.principalId) ?? `${i}`;
    if (assignment.principalType === 'Group' && name !== undefined && !seen.has(id)) {
      seen.add(id);
      appGroups.push({ value: name, at: problems.loc('value', i, 'principalDisplayName') });
    }
  });
  return {
    sets: [
      {
        at: problems.loc(),
        ...VALID,
        idp: 'entra',
        origin: 'entra-app-assignments',
        file: doc.file,
        object: 'group',
        mappingsAt: problems.loc('value'),
        appGroups,
      },
    ],
    problems,
  };
}
