// The applications and attributes for access control in memory, for the bench's call model (bench/model.js):
// an SDK HttpHandler in front of test/aws/fake-idc.ts, which does not answer these operations. It answers
// them as test/aws/idc_server.py does (JSON 1.1; at most 50 applications and 100 assignments a page) and
// hands every other request to the fake.
import { APPLICATIONS_PAGE } from './cost.js';

class NotFound extends Error {}

function page(items, input, key, maxPage = 100) {
  const size = Math.min(Number(input.MaxResults ?? maxPage), maxPage);
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { [key]: items.slice(start, start + size), ...(next ? { NextToken: next } : {}) };
}

/**
 * `data.applications`: { arn, name, providerArn, assignmentRequired, assignments: [{ principalType,
 * principalId }] }; `data.accessControlAttributes`: [{ key, source }] (none: ABAC not enabled). `calls`
 * counts what it answered itself, by operation; `identityCenter.calls` the rest.
 */
export class FakeApplications {
  calls = {};

  constructor(data, identityCenter) {
    this.identityCenter = identityCenter;
    const byArn = new Map(data.applications.map((a) => [a.arn, a]));
    const application = (input) => {
      const found = byArn.get(String(input.ApplicationArn));
      if (!found) throw new NotFound(`application ${input.ApplicationArn} not found`);
      return found;
    };
    this.answer = {
      ListApplications: (input) =>
        page(
          data.applications.map((a) => ({
            ApplicationArn: a.arn,
            ApplicationProviderArn: a.providerArn,
            Name: a.name,
            InstanceArn: data.instanceArn,
            Status: 'ENABLED',
          })),
          input,
          'Applications',
          APPLICATIONS_PAGE,
        ),
      GetApplicationAssignmentConfiguration: (input) => ({
        AssignmentRequired: application(input).assignmentRequired ?? true,
      }),
      ListApplicationAssignments: (input) => {
        const app = application(input);
        const assignments = app.assignments.map((a) => ({
          ApplicationArn: app.arn,
          PrincipalType: a.principalType,
          PrincipalId: a.principalId,
        }));
        return page(assignments, input, 'ApplicationAssignments');
      },
      DescribeInstanceAccessControlAttributeConfiguration: () => {
        if (!data.accessControlAttributes.length) throw new NotFound('no access control attributes');
        return {
          Status: 'ENABLED',
          InstanceAccessControlAttributeConfiguration: {
            AccessControlAttributes: data.accessControlAttributes.map((a) => ({
              Key: a.key,
              Value: { Source: [a.source] },
            })),
          },
        };
      },
    };
  }

  /** What `readLiveState({ transport })` takes. */
  get transport() {
    return { ...this.identityCenter.transport, requestHandler: this };
  }

  /** Every operation answered, here or by the fake. */
  get allCalls() {
    return { ...this.identityCenter.calls, ...this.calls };
  }

  handle(request) {
    const target = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
    const operation = String(target ?? '').split('.')[1] ?? '';
    const answer = this.answer[operation];
    if (!answer) return this.identityCenter.handle(request);
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    const raw =
      typeof request.body === 'string'
        ? request.body
        : new TextDecoder().decode(request.body ?? new Uint8Array());
    let status = 200;
    let body;
    try {
      body = answer(raw ? JSON.parse(raw) : {});
    } catch (error) {
      if (!(error instanceof NotFound)) return Promise.reject(error);
      status = 400;
      body = { __type: 'ResourceNotFoundException', message: error.message };
    }
    return Promise.resolve({
      response: {
        statusCode: status,
        reason: status === 200 ? 'OK' : 'Bad Request',
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: new TextEncoder().encode(JSON.stringify(body)),
      },
    });
  }

  updateHttpClientConfig() {}

  httpHandlerConfigs() {
    return {};
  }

  destroy() {}
}
