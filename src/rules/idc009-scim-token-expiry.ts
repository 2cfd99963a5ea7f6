import { defineRule } from './types.js';

const DAY_MS = 86_400_000;

export const rule = defineRule({ id: 'IDC009' }, ({ model, params, now }, finding) => {
  const created = model.instance?.scim?.tokenCreated;
  if (!created || !/^\d{4}-\d{2}-\d{2}$/.test(created.value)) return [];
  const start = new Date(`${created.value}T00:00:00Z`);
  if (Number.isNaN(start.getTime())) return [];
  // Identity Center's SCIM access tokens are valid for one year from their creation.
  const expiry = new Date(start);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 1);
  const day = expiry.toISOString().slice(0, 10);
  const daysLeft = Math.ceil((expiry.getTime() - now.getTime()) / DAY_MS);
  const entity = { kind: 'instance', name: 'scim.token' };
  const fix =
    'generate a new token in Identity Center → Settings → Identity source → Automatic provisioning, ' +
    'put it in the IdP, then update tokenCreated';
  if (daysLeft <= 0) {
    return [
      finding(
        created.at,
        entity,
        `the SCIM access token expired on ${day}: provisioning has stopped and no user or group changes ` +
          `reach Identity Center; ${fix}`,
        { severity: 'error' },
      ),
    ];
  }
  if (daysLeft <= params.tokenExpiryWarningDays) {
    return [
      finding(
        created.at,
        entity,
        `the SCIM access token expires on ${day}, in ${daysLeft} day${daysLeft === 1 ? '' : 's'}; then ` +
          `provisioning stops. ${fix[0].toUpperCase()}${fix.slice(1)}`,
        { severity: 'warning' },
      ),
    ];
  }
  return [];
});
