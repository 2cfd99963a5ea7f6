import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { duplicatesIgnoringCase } from './shared.js';
import { defineRule } from './types.js';

export const rule = defineRule({ id: 'IDC004' }, ({ model }, finding) => {
  const out: RawFinding[] = [];
  for (const field of ['userName', 'email'] as const) {
    for (const { item, first } of duplicatesIgnoringCase(model.users, (u) => u[field])) {
      const value = item[field] as string;
      out.push(
        finding(
          childLoc(item.at, field),
          { kind: 'user', name: value.toLowerCase() },
          `${field} ${quote(value)} is used by two users (first in ${first.at.file}); Identity Center ` +
            `requires a unique ${field} regardless of case, so the second user is never provisioned`,
          { detail: field },
        ),
      );
    }
  }
  return out;
});
