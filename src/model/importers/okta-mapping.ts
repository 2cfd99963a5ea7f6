import type { ParsedDoc } from '../../load/parse.js';
import { keyLoc } from '../../load/location.js';
import { OKTA_APP_TO_SCIM, oktaExpressionInputs, oktaMayBeEmpty } from '../idp.js';
import { VALID } from '../build.js';
import type { AttributeMap, MappingSet } from '../types.js';
import { own } from '../../util/own.js';
import { isAwsAppExport } from './app-identity.js';
import { ExportProblems, obj, str, type ImportOptions, type Obj } from './common.js';

/** An Okta profile mapping: `properties` plus `source` and `target` objects that carry a `type`. */
export const isOktaMapping = (value: Obj): boolean =>
  obj(value.properties) !== undefined &&
  obj(value.source)?.type !== undefined &&
  obj(value.target)?.type !== undefined;

/** Reads the Okta user → AWS IAM Identity Center app user mapping ("To App"). */
export function importOktaMapping(
  doc: ParsedDoc,
  options: ImportOptions = {},
): { sets: MappingSet[]; problems: ExportProblems } {
  const problems = new ExportProblems(doc);
  if (!problems.validate('okta-profile-mapping.schema.json', 'Okta profile mapping'))
    return { sets: [], problems };
  const value = doc.value as Obj;
  const source = obj(value.source)!;
  const target = obj(value.target)!;
  if (source.type === 'appuser' && target.type === 'user') {
    problems.add(
      ['source'],
      'this is the app → Okta mapping ("To Okta"); idc-guard needs the Okta → app mapping ("To App"), ' +
        'whose source is the Okta user',
      { key: true },
    );
    return { sets: [], problems };
  }
  // The app's name in Okta's catalogue ("amazon_aws_sso"); a custom SCIM app's is its own.
  const appName = str(target.name);
  const signals =
    appName === undefined ? [] : [{ name: appName, path: ['target', 'name'], where: 'named in target.name' }];
  if (!isAwsAppExport(signals, options.awsAppNames ?? [], problems, 'this profile mapping'))
    return { sets: [], problems };
  const mappings: AttributeMap[] = [];
  for (const [attribute, raw] of Object.entries(obj(value.properties)!)) {
    const property = obj(raw);
    const expression = str(property?.expression)?.trim();
    if (!property || !expression) continue;
    mappings.push({
      target: own(OKTA_APP_TO_SCIM, attribute) ?? attribute,
      kind: 'expression',
      inputs: oktaExpressionInputs(expression),
      sourceText: expression,
      at: problems.loc('properties', attribute),
      mayBeEmpty: oktaMayBeEmpty(expression),
      onlyOnCreate: property.pushStatus === 'DONT_PUSH',
    });
  }
  return {
    sets: [
      {
        at: problems.loc(),
        ...VALID,
        idp: 'okta',
        origin: 'okta-mapping',
        file: doc.file,
        object: 'user',
        mappingsAt: keyLoc(doc.loc, 'properties'),
        mappings,
      },
    ],
    problems,
  };
}
