import type { ParsedDoc } from '../../load/parse.js';
import { keyLoc } from '../../load/location.js';
import { OKTA_APP_TO_SCIM, oktaExpressionInputs, oktaMayBeEmpty } from '../idp.js';
import { VALID } from '../values.js';
import type { AttributeMap, MappingSet } from '../types.js';
import { own } from '../../util/own.js';
import { isAwsAppExport } from './app-identity.js';
import { ExportProblems, type ImportOptions } from './common.js';
import { asFields, asString, type Fields } from '../untrusted.js';

/** An Okta profile mapping: `properties` plus `source` and `target` objects that carry a `type`. */
export const isOktaMapping = (value: Fields): boolean =>
  asFields(value.properties) !== undefined &&
  asFields(value.source)?.type !== undefined &&
  asFields(value.target)?.type !== undefined;

/** Reads the Okta user → AWS IAM Identity Center app user mapping ("To App"). */
export function importOktaMapping(
  doc: ParsedDoc,
  options: ImportOptions = {},
): { sets: MappingSet[]; problems: ExportProblems } {
  const problems = new ExportProblems(doc);
  if (!problems.validate('okta-profile-mapping.schema.json', 'Okta profile mapping'))
    return { sets: [], problems };
  const value = doc.value as Fields;
  const source = asFields(value.source)!;
  const target = asFields(value.target)!;
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
  const appName = asString(target.name);
  const signals =
    appName === undefined ? [] : [{ name: appName, path: ['target', 'name'], where: 'named in target.name' }];
  if (!isAwsAppExport(signals, options.awsAppNames ?? [], problems, 'this profile mapping'))
    return { sets: [], problems };
  const mappings: AttributeMap[] = [];
  for (const [attribute, raw] of Object.entries(asFields(value.properties)!)) {
    const property = asFields(raw);
    const expression = asString(property?.expression)?.trim();
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
