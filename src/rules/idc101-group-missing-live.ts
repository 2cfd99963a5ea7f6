import { managedByText } from '../model/managed.js';
import { quote } from '../util/text.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule({ id: 'IDC101', needs: ['groups'] }, (ctx, finding) => {
  // A group managed elsewhere is declared because it exists: when it does not, its assignments grant nothing.
  return ctx.model.groups
    .filter((g) => (g.source === 'idp' || g.managedBy) && !ctx.lookup.groupByName.has(g.name.toLowerCase()))
    .map((g) =>
      finding(
        g.at,
        { kind: 'group', name: g.name },
        g.managedBy
          ? `group ${quote(g.name)} is declared as ${managedByText(g.managedBy)} but does not exist in ` +
              `the identity store, so its assignments grant nothing: create it where it is managed, or ` +
              `fix the name`
          : `group ${quote(g.name)} does not exist in the identity store: the IdP has not provisioned ` +
              `it. Assign it to the IdP app (in provisioning scope) and wait for a provisioning cycle, or ` +
              `check the provisioning logs for errors`,
      ),
    );
});
