/**
 * The hostile-strings corpus (issue 9) through every reporter: each string is a group name (and part of a file
 * name), checked for real, then rendered as text (the log), JSON, SARIF, annotations, the PR comment, the job
 * summary and the drift issue. Each rendering must be inert (no workflow command, no HTML, no mention or
 * reference, no autolink or math, no table break, no bidi, zero-width or blank character) and still
 * recognisable; SARIF's URIs must be RFC 3986 references to the file.
 */
import * as core from '@actions/core';
import { jest } from '@jest/globals';
import { planAnnotations } from '../src/action/annotations.js';
import { renderComment } from '../src/action/comment.js';
import { renderDriftIssue } from '../src/action/drift-issue.js';
import { logLines } from '../src/action/log.js';
import { renderSummary } from '../src/action/summary.js';
import { renderJson } from '../src/report/json.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderText } from '../src/report/text.js';
import { check, makeRepo } from './helpers.js';
import { renderedProblems, renderedText, tableRows } from './gfm.js';

/** The corpus, each with a part that must still be readable in every output. */
const CORPUS: [hostile: string, recognisable: string][] = [
  ['::set-output name=x::y', 'set-output name=x'],
  ['##[error]boom', 'boom'],
  ['a%0Ab', '%0A'],
  ['line1\nline2', 'line2'],
  ['@org/team', 'org/team'],
  ['fixes #1', 'fixes'],
  ['<img src=x onerror=alert(1)>', 'onerror=alert(1)'],
  ['<!-- hidden', 'hidden'],
  ['a|b', 'b'],
  ['`code`', 'code'],
  ['evil\u202Etxt', 'evil'],
  ['zero\u200Bwidth', 'width'],
  // GitHub links bare URLs and www. domains, GH-123 references, and renders $…$ and $$…$$ as math (issue 13).
  ['https://evil.example/x', 'evil.example/x'],
  ['see www.evil.example', 'evil.example'],
  ['fixes GH-1', 'fixes GH-'],
  ['$x^2$ and $$y$$', 'x^2'],
  // Characters that show nothing (issue 13), each on its own.
  ...[0x061c, 0x00ad, 0x180e, 0x3164, 0x115f, 0x1160, 0xffa0, 0x2800, 0xe0000, 0xe0041, 0xe007f].map(
    (code): [string, string] => [`hid${String.fromCodePoint(code)}den`, 'den'],
  ),
  // Messages quote at most 80 characters of a name, then an ellipsis: the start is what is recognisable.
  ['x'.repeat(10_000), 'x'.repeat(60)],
];

const INVISIBLE =
  /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF\u061C\u00AD\u180E\u3164\u115F\u1160\uFFA0\u2800\u{E0000}-\u{E007F}]/u;

/** What the runner would read as a workflow command in a log: `::name::` at a line's start, `##[` anywhere. */
function commandsIn(log: string): string[] {
  return log.split('\n').filter((line) => /^\s*::[\w-]+/.test(line) || line.includes('##['));
}

/**
 * What GitHub would render as something other than text: the body rendered as GFM (test/gfm.ts), then
 * anything but the tool's own markup, and every table row with its four cells.
 */
function markdownProblems(md: string): string[] {
  const problems = renderedProblems(md, ['https://github.com/']);
  for (const row of tableRows(md)) if (row.length !== 4) problems.push(`table row of ${row.length} cells`);
  return problems;
}

describe.each(CORPUS.map(([h, r]) => [JSON.stringify(h).slice(0, 40), h, r]))(
  'the hostile string %s',
  (_label, hostile, recognisable) => {
    let report: Awaited<ReturnType<typeof check>>['report'];

    beforeAll(async () => {
      // A file named after it too (a slash cannot be in a file name), holding a group nested in one named after it.
      const file = `identity/${hostile.slice(0, 60).replace(/\//g, '_')}.yaml`;
      // An assignment to an undeclared group named after it too (IDC002), valid even when the name is too long.
      const root = makeRepo({
        [file]: `kind: Groups\ngroups:\n  - name: ${JSON.stringify(hostile)}\n    members: { groups: [${JSON.stringify(`${hostile}-inner`)}] }\n`,
        'identity/assignments.yaml': `kind: Assignments\nassignments:\n  - group: ${JSON.stringify(`${hostile}-missing`)}\n    permissionSet: P\n    accounts: ["111111111111"]\n`,
        'identity/ps.yaml': 'kind: PermissionSet\nname: P\n',
      });
      report = (await check(root)).report;
      // IDC005 (nested group); a 10,000-character name is also too long for Identity Center (IDC001).
      expect(report.findings.map((f) => f.ruleId)).toContain(hostile.length > 1024 ? 'IDC001' : 'IDC005');
    });

    it('text, in the log', () => {
      const log = logLines(renderText(report, { color: false })).join('\n');
      expect(commandsIn(log)).toEqual([]);
      expect(log).not.toMatch(INVISIBLE);
      expect(log).toContain(recognisable);
    });

    it('JSON and SARIF: valid, the name kept exactly as data', () => {
      const json = JSON.parse(renderJson(report));
      expect(json.findings.map((f: { entity: { name: string } }) => f.entity.name)).toContain(
        `${hostile}-missing`,
      );
      const sarif = renderSarif(report, { version: '0', rules: [], pathPrefix: '' }).text;
      expect(() => JSON.parse(sarif)).not.toThrow();
      expect(sarif).not.toMatch(INVISIBLE);
      expect(sarif).toContain(recognisable);
      // Each URI is an RFC 3986 relative reference that names the file: `#` and `?` would end its path.
      const results = JSON.parse(sarif).runs[0].results;
      const uris: string[] = results.map(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0].physicalLocation.artifactLocation.uri,
      );
      expect(uris.map((u) => decodeURIComponent(u))).toEqual(report.findings.map((f) => f.file));
      for (const uri of uris) expect(uri).toMatch(/^(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+$/);
    });

    it('annotations, as the runner reads them', () => {
      const written: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
        written.push(String(chunk));
        return true;
      });
      try {
        for (const a of planAnnotations(report.findings, { pathPrefix: '', readMore: 'the job summary' }))
          core[a.level](a.message, a.properties);
      } finally {
        spy.mockRestore();
      }
      const lines = written.join('').trimEnd().split('\n');
      // One command per finding: nothing inside one became a command of its own.
      expect(lines).toHaveLength(report.findings.length);
      expect(lines.every((l) => l.startsWith('::error '))).toBe(true);
      expect(commandsIn(lines.map((l) => l.replace(/^::error [^:]*::/, '')).join('\n'))).toEqual([]);
      expect(lines.join('\n')).not.toMatch(INVISIBLE);
    });

    it('the PR comment, the job summary and the drift issue', () => {
      const comment = renderComment({ report }).body;
      const summary = renderSummary(report, {
        pathPrefix: '',
        mode: 'check',
        failOn: 'error',
        exitCode: 1,
        sarif: false,
      }).markdown;
      // The drift issue shows drift rules only: the same findings under IDC106.
      const drifted = { ...report, findings: report.findings.map((f) => ({ ...f, ruleId: 'IDC106' })) };
      const issue = renderDriftIssue({ report: drifted, drift: true, key: hostile });
      for (const md of [comment, summary, issue]) {
        expect(markdownProblems(md)).toEqual([]);
        expect(renderedText(md)).toContain(recognisable);
      }
      // A key from AWS cannot close the issue's marker early.
      // (the marker is the first line; the only other comment is the tool's first-seen dates, last)
      expect(issue.indexOf('-->')).toBe(issue.indexOf('\n') - 3);
      expect(issue.match(/-->/g)).toHaveLength(2);
    });
  },
);
