import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { finding, type Rule } from './types.js';

const REQUIRED = ['userName', 'displayName', 'givenName', 'familyName', 'email'] as const;

export const rule: Rule = {
  id: 'IDC011',
  check({ model }) {
    const out: RawFinding[] = [];
    model.users.forEach((user, index) => {
      if (user.invalid) return;
      const name = user.userName ?? `users[${index}]`;
      const entity = { kind: 'user', name };
      const missing = REQUIRED.filter((field) => (user[field] ?? '').trim() === '');
      if (missing.length > 0) {
        out.push(
          finding(
            'IDC011',
            user.at,
            entity,
            `user ${quote(name)} has no ${missing.join(', ')}: Identity Center requires ${missing.length === 1 ? 'it' : 'them'}, so the IdP never provisions this user; fill ${missing.length === 1 ? 'it' : 'them'} in at the IdP`,
            { detail: 'missing' },
          ),
        );
      }
      const userName = user.userName;
      if (
        userName !== undefined &&
        userName.trim() !== '' &&
        (userName.length > 128 || /\s/.test(userName))
      ) {
        const why = userName.length > 128 ? `is ${userName.length} characters long` : 'contains whitespace';
        out.push(
          finding(
            'IDC011',
            childLoc(user.at, 'userName'),
            entity,
            `userName ${quote(userName)} ${why}; Identity Center accepts 1 to 128 characters with no whitespace`,
            { detail: 'userName' },
          ),
        );
      }
    });
    return out;
  },
};
