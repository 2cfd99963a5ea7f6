import { quote } from '../util/text.js';
import { defineRule } from './types.js';

const ENDPOINT = /^https:\/\/scim\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com\/[A-Za-z0-9-]+\/scim\/v2\/?$/;

export const rule = defineRule({ id: 'IDC008' }, ({ model }, finding) => {
  const instance = model.instance;
  const endpoint = instance?.scim?.endpoint;
  if (!instance || !endpoint) return [];
  const entity = { kind: 'instance', name: 'scim.endpoint' };
  const m = ENDPOINT.exec(endpoint.value.trim());
  if (!m) {
    return [
      finding(
        endpoint.at,
        entity,
        `SCIM endpoint ${quote(endpoint.value)} is not of the form ` +
          `https://scim.<region>.amazonaws.com/<tenant>/scim/v2; copy it from Identity Center → Settings ` +
          `→ Identity source → Automatic provisioning`,
      ),
    ];
  }
  if (instance.region && m[1] !== instance.region) {
    return [
      finding(
        endpoint.at,
        entity,
        `SCIM endpoint is in ${m[1]} but the instance is in ${instance.region}; the IdP would provision ` +
          `into the wrong Region. Use the endpoint shown in the ${instance.region} console`,
      ),
    ];
  }
  return [];
});
