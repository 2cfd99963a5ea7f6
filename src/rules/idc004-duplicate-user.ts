import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { duplicatesIgnoringCase } from './idc003-duplicate-group.js';
import { finding, type Rule } from './types.js';

export const rule: Rule = {
  id: 'IDC004',
  check({ model }) {
    const out: RawFinding[] = [];
    for (const field of ['userName', 'email'] as const) {
      for (const { item, first } of duplicatesIgnoringCase(model.users, (u) => u[field])) {
        const value = item[field] as string;
        out.push(
          finding(
            'IDC004',
            childLoc(item.at, field),
            { kind: 'user', name: value.toLowerCase() },
            `${field} ${quote(value)} is used by two users (first in ${first.at.file}); Identity Center requires a unique ${field} regardless of case, so the second user is never provisioned`,
            { detail: field },
          ),
        );
      }
    }
    return out;
  },
};
