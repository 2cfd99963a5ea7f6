import type { ParsedDoc } from '../../load/parse.js';
import { keyLoc } from '../../load/location.js';
import { VALID } from '../values.js';
import type { MappingSet } from '../types.js';
import { isAwsAppExport, type AppSignal } from './app-identity.js';
import { ExportProblems, type ImportOptions } from './common.js';
import { asList, asFields, asString, type Fields } from '../untrusted.js';
import { readAttributeMappings } from './entra-mappings.js';

/** An Entra provisioning schema is recognised by its `synchronizationRules`. */
export const isEntraSchema = (value: Fields): boolean => Object.hasOwn(value, 'synchronizationRules');

/** SCIM's schema URNs (RFC 7643 §8.7.1), which Entra's gallery templates use as object names. */
const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:user';
const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:group';
const SCIM_ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * What an object mapping's targetObjectName provisions: users, groups, or the users' enterprise extension.
 */
function objectKind(name: string | undefined): 'user' | 'group' | 'enterprise' | undefined {
  const n = (name ?? '').trim().toLowerCase();
  if (n === 'user' || n === SCIM_USER) return 'user';
  if (n === 'group' || n === SCIM_GROUP) return 'group';
  if (n === SCIM_ENTERPRISE_USER.toLowerCase()) return 'enterprise';
  return undefined;
}

/** Every name in the schema that says which app it is for (judged in app-identity.ts). */
function appSignals(value: Fields): AppSignal[] {
  const signals: AppSignal[] = [];
  const sources = new Set<string>();
  asList(value.synchronizationRules).forEach((r, ri) => {
    const rule = asFields(r)!;
    const source = asString(rule.sourceDirectoryName);
    if (source) sources.add(source.toLowerCase());
    const target = asString(rule.targetDirectoryName);
    if (target !== undefined)
      signals.push({
        name: target,
        path: ['synchronizationRules', ri, 'targetDirectoryName'],
        where: 'named in targetDirectoryName',
      });
    asList(rule.objectMappings).forEach((m, mi) => {
      // Entra names object mappings "Synchronize Microsoft Entra users to <app>".
      const to = /\bto\s+(.+)$/i.exec(asString(asFields(m)?.name) ?? '')?.[1];
      if (to)
        signals.push({
          name: to,
          path: ['synchronizationRules', ri, 'objectMappings', mi, 'name'],
          where: "named in an object mapping's name",
        });
    });
  });
  asList(value.directories).forEach((d, di) => {
    const name = asString(asFields(d)?.name);
    if (name !== undefined && !sources.has(name.toLowerCase()))
      signals.push({ name, path: ['directories', di, 'name'], where: 'named as a directory' });
  });
  // A job's ID starts with its template's: "aWSSingleSignon.<tenant>.<guid>".
  const id = asString(value.id);
  if (id?.includes('.')) signals.push({ name: id.split('.')[0], path: ['id'], where: 'named by the job ID' });
  return signals;
}

/**
 * Reads an Entra provisioning schema export into one mapping set per enabled user or group object mapping;
 * the enterprise extension's object mapping joins its rule's user set. Object mappings with `enabled: false`
 * do not provision anything, so they do not count; any other object mapping is reported, never dropped
 * silently. A schema that provisions no users at all is a set with `absent`, which IDC006 reports.
 */
export function importEntraSchema(
  doc: ParsedDoc,
  options: ImportOptions = {},
): { sets: MappingSet[]; problems: ExportProblems } {
  const problems = new ExportProblems(doc);
  const sets: MappingSet[] = [];
  if (!problems.validate('entra-provisioning-schema.schema.json', 'Entra provisioning schema'))
    return { sets, problems };
  const value = doc.value as Fields;
  if (!isAwsAppExport(appSignals(value), options.awsAppNames ?? [], problems, 'this provisioning schema'))
    return { sets, problems };
  const newSet = (path: (string | number)[], object: 'user' | 'group'): MappingSet => ({
    at: problems.loc(...path),
    ...VALID,
    idp: 'entra',
    origin: 'entra-schema',
    file: doc.file,
    object,
    mappingsAt: keyLoc(doc.loc, ...path, 'attributeMappings'),
    mappings: [],
  });
  let disabledUsers: (string | number)[] | undefined;
  asList(value.synchronizationRules).forEach((r, ri) => {
    const extensions: { path: (string | number)[]; mapping: Fields }[] = [];
    let users: MappingSet | undefined;
    asList(asFields(r)!.objectMappings).forEach((m, mi) => {
      const mapping = asFields(m)!;
      const path = ['synchronizationRules', ri, 'objectMappings', mi];
      const target = asString(mapping.targetObjectName);
      const object = objectKind(target);
      if (mapping.enabled === false) {
        if (object === 'user') disabledUsers ??= [...path, 'enabled'];
        return;
      }
      if (!object) {
        problems.add(
          [...path, target === undefined ? 'attributeMappings' : 'targetObjectName'],
          `this object mapping provisions ` +
            `${target === undefined ? 'an unnamed object' : JSON.stringify(target)}, which is neither a ` +
            `SCIM User nor a Group: Identity Center provisions only users and groups, so idc-guard does ` +
            `not check it`,
          { severity: 'warning', key: target === undefined },
        );
        return;
      }
      if (object === 'enterprise') return void extensions.push({ path, mapping });
      const set = newSet(path, object);
      set.mappings = readAttributeMappings(mapping, path, problems);
      users ??= object === 'user' ? set : undefined;
      sets.push(set);
    });
    // The enterprise extension's attributes are the user's: they count with the rule's user mapping.
    for (const { path, mapping } of extensions) {
      if (!users) sets.push((users = newSet(path, 'user')));
      users.mappings!.push(...readAttributeMappings(mapping, path, problems, `${SCIM_ENTERPRISE_USER}:`));
    }
  });
  if (!sets.some((s) => s.object === 'user')) {
    sets.push({
      ...newSet([], 'user'),
      mappingsAt: disabledUsers ? problems.loc(...disabledUsers) : keyLoc(doc.loc, 'synchronizationRules'),
      mappings: undefined,
      absent: disabledUsers ? 'disabled' : 'missing',
    });
  }
  return { sets, problems };
}
