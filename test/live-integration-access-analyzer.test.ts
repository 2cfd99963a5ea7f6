/**
 * IAM Access Analyzer (ValidatePolicy) on the inline policies, in live AWS runs against the local Identity
 * Center server. See test/live-integration/helpers.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { check, makeRepo, runCli } from './helpers.js';
import { DECLARATIONS, agreeing, useLocalIdc, liveCheck } from './live-integration/helpers.js';

useLocalIdc();

describe('IAM Access Analyzer (ValidatePolicy) on the inline policies, in live AWS runs', () => {
  /**
   * Access Analyzer on loopback (moto has none): the real SDK client calls POST /policy/validation and gets
   * the documented response shape. Each request is recorded; `deny` answers AccessDeniedException.
   */
  async function startAnalyzer(deny = false) {
    const requests: { policyDocument: string; policyType: string }[] = [];
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push(JSON.parse(body));
        if (deny) {
          res.writeHead(403, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'AccessDeniedException',
          });
          return res.end(
            JSON.stringify({ message: 'not authorized to perform: access-analyzer:ValidatePolicy' }),
          );
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            findings: [
              {
                findingType: 'ERROR',
                issueCode: 'INVALID_ACTION',
                findingDetails: 'The action s3:GetObjekt does not exist.',
                learnMoreLink:
                  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html',
                locations: [
                  {
                    path: [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }, { index: 1 }],
                    span: {
                      start: { line: 0, column: 0, offset: 0 },
                      end: { line: 0, column: 1, offset: 1 },
                    },
                  },
                ],
              },
            ],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    return { url, requests, stop: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
  }

  const POLICY = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjekt'], Resource: '*' }],
  };
  const withInline = () => {
    const spec = agreeing();
    spec.permissionSets[0] = { ...spec.permissionSets[0], inlinePolicy: POLICY };
    return spec;
  };
  const files = {
    'identity/ps.yaml': `${DECLARATIONS['identity/ps.yaml']}inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Action: [s3:GetObject, s3:GetObjekt]\n      Resource: "*"\n`,
  };

  it('turns its findings into IDC014 at the line inside the policy, and counts its calls', async () => {
    const analyzer = await startAnalyzer();
    process.env.AWS_ENDPOINT_URL_ACCESSANALYZER = analyzer.url;
    try {
      const result = await liveCheck(withInline(), { mode: 'drift' }, undefined, files);
      expect(result.report.errors).toEqual([]);
      expect(
        result.report.findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.column, f.message]),
      ).toEqual([
        [
          'IDC014',
          'error',
          'identity/ps.yaml',
          9,
          30,
          'inline policy of "Admin": IAM Access Analyzer INVALID_ACTION: The action s3:GetObjekt does not exist.',
        ],
      ]);
      expect(analyzer.requests).toEqual([
        { policyDocument: JSON.stringify(POLICY), policyType: 'IDENTITY_POLICY', locale: 'EN' },
      ]);
      expect(result.report.stats.apiCallsByOperation!['access-analyzer:ValidatePolicy']).toBe(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
      await analyzer.stop();
    }
  });

  it('without access, runs the offline checks only and says so once; never with a snapshot', async () => {
    const analyzer = await startAnalyzer(true);
    process.env.AWS_ENDPOINT_URL_ACCESSANALYZER = analyzer.url;
    try {
      const result = await liveCheck(withInline(), { mode: 'drift' }, undefined, files);
      expect(result.report.errors).toEqual([]);
      // The offline list knows the actions too; Access Analyzer, when it runs, speaks for them instead.
      expect(result.report.findings.map((f) => [f.ruleId, f.severity, f.line, f.column, f.message])).toEqual([
        [
          'IDC014',
          'warning',
          9,
          30,
          expect.stringContaining(
            '"s3:GetObjekt" is no action of s3 that idc-guard knows (did you mean s3:GetObject?)',
          ),
        ],
      ]);
      expect(result.report.notices.map((n) => n.message)).toContain(
        "IAM Access Analyzer was not used (access-analyzer:ValidatePolicy is not allowed): only idc-guard's offline IAM policy checks ran",
      );
      // A check from a snapshot calls no AWS service at all.
      const root = makeRepo({ ...DECLARATIONS, ...files });
      expect((await runCli(['snapshot', '--root', root, '--output', 's.json'], root)).code).toBe(0);
      analyzer.requests.length = 0;
      await check(root, { live: join(root, 's.json') });
      expect(analyzer.requests).toEqual([]);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
      await analyzer.stop();
    }
  });

  it("says in one line when the endpoint does not serve Access Analyzer, not with the SDK's raw error", async () => {
    // A server that answers every request with an HTML 404, as a local test server or a proxy would.
    const notFound = createServer((_, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Not Found</h1>\n<p>no such API</p></body></html>');
    });
    await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL_ACCESSANALYZER = `http://127.0.0.1:${(notFound.address() as AddressInfo).port}`;
    try {
      const result = await liveCheck(withInline(), { mode: 'drift' }, undefined, files);
      expect(result.report.notices.map((n) => n.message)).toContain(
        'IAM Access Analyzer was not used (ValidatePolicy failed (the endpoint did not answer as IAM Access ' +
          "Analyzer does: HTTP 404)): only idc-guard's offline IAM policy checks ran",
      );
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
      await new Promise((resolve) => notFound.close(resolve));
    }
  });
});
