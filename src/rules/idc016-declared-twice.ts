import type { RawFinding } from '../findings/types.js';
import { quote } from '../util/text.js';
import { applicationName, duplicatesIgnoringCase } from './shared.js';
import { defineRule } from './types.js';

/**
 * The new kinds declared twice: an application (by ARN, or by name when neither gives an ARN), a second
 * AccessControlAttributes document, or two attribute keys that differ only in case (IAM session tag keys are
 * not case-sensitive, so the two become one tag).
 */
export const rule = defineRule({ id: 'IDC016' }, ({ model }, finding) => {
  const out: RawFinding[] = [];
  const seen = new Map<string, { file: string; line?: number }>();
  for (const app of model.applications) {
    const key = app.arn ? `arn:${app.arn.value}` : app.name ? `name:${app.name.value}` : undefined;
    if (!key) continue;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, app.at);
      continue;
    }
    out.push(
      finding(
        app.arn?.at ?? app.name!.at,
        { kind: 'application', name: applicationName(app) },
        `application ${quote(applicationName(app))} is declared twice (first in ${first.file}); ` +
          `declare each application once, with all its assignments`,
      ),
    );
  }
  const [first, ...others] = model.accessControlAttributes;
  for (const other of others) {
    out.push(
      finding(
        other.at,
        { kind: 'accessControlAttributes', name: 'instance' },
        `a second AccessControlAttributes document (the first is in ${first.at.file}): an instance has one ` +
          `set of attributes for access control, and only the first document is used; merge them`,
      ),
    );
  }
  if (first) {
    for (const { item, first: earlier } of duplicatesIgnoringCase(first.attributes, (a) => a.key.value)) {
      out.push(
        finding(
          item.key.at,
          { kind: 'accessControlAttribute', name: item.key.value.toLowerCase() },
          `access control attribute key ${quote(item.key.value)} is declared twice (as ` +
            `${quote(earlier.key.value)} too): session tag keys are not case-sensitive, so both are one ` +
            `tag \`aws:PrincipalTag/${item.key.value}\`; keep one`,
        ),
      );
    }
  }
  return out;
});
