import {
  escapeMarkdown,
  escapeText,
  markdownCode,
  messageMarkdown,
  safeLogLine,
} from '../src/report/escape.js';
import { renderedProblems } from './gfm.js';
import { check, makeRepo, runCli } from './helpers.js';

const HOSTILE = [
  '::set-output name=x::y',
  '##[error]boom',
  'line1\nline2%0A',
  '@org/team',
  '#1',
  '<img src=x onerror=alert(1)>',
  '<!-- hidden',
  'a|b',
  '`code`',
  'evil\u202Etxt.yaml',
  'zero\u200Bwidth',
];

describe('escaping untrusted text', () => {
  it('makes text inert for terminals and logs: no control, bidi or zero-width characters, no workflow commands', () => {
    expect(escapeText('a\nb\u202Ec\u200Bd\u001b[31m')).toBe('a\\nb\\u{202e}c\\u{200b}d\\u{001b}[31m');
    expect(safeLogLine('::set-output name=x::y')).toBe('\\::set-output name=x::y');
    expect(safeLogLine('  ##[error]x')).toBe('  ##\\[error]x');
    expect(escapeText('a group x ##[set-output name=a;]b')).toBe('a group x ##\\[set-output name=a;]b');
  });

  it('makes text inert for Markdown: no HTML, mentions, references, table breaks or code spans', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    // Mentions and references become code spans: GitHub links nothing in code, and a copy is the text itself.
    expect(escapeMarkdown('@org/team fixes #12, o/r#3')).toBe('`@org/team` fixes `#12`, `o/r#3`');
    // An `@` after a letter is no mention (an email address): it is left alone.
    expect(escapeMarkdown('mallory@example.com')).toBe('mallory@example.com');
    expect(escapeMarkdown('a|b `c` <!-- d # e')).toBe('a\\|b \\`c\\` &lt;!-- d \\# e');
    expect(markdownCode('x`y|z')).toBe('``x`y|z``');
    expect(markdownCode('x`y|z', { table: true })).toBe('``x`y\\|z``');
    expect(markdownCode('$x$')).toBe('&#36;x&#36;');
  });

  it('makes text inert for Markdown: no autolink, GH- reference or math, and renders the same', () => {
    expect(escapeMarkdown('https://evil.example/x see www.evil.example')).toBe(
      'https\\://evil.example/x see www\\.evil.example',
    );
    expect(escapeMarkdown('GH-1 costs $5, $x$')).toBe('`GH-1` costs &#36;5, &#36;x&#36;');
    expect(escapeMarkdown('&#1;')).toBe('&amp;`#1`;');
  });

  it("keeps the tool's own code spans in a message, and escapes the rest", () => {
    expect(messageMarkdown('map `surname` → `name.familyName` for <b>')).toBe(
      'map `surname` → `name.familyName` for &lt;b&gt;',
    );
    // A value's backtick can move where a span starts, never let anything out of one: each piece is a fenced
    // span or escaped text, and the table cell keeps its pipe.
    expect(messageMarkdown('group "`@x" is `a|b`', { table: true })).toBe('group "`@x" is `a\\|b\\`');
    expect(
      renderedProblems(`| a |\n|---|\n| ${messageMarkdown('`<img>` `@x` is `a|b`', { table: true })} |`),
    ).toEqual([]);
  });

  it('shows blank and format characters as escapes, leaving variation selectors', () => {
    expect(escapeText('a\u061Cb\u00ADc\u3164d\u{E0041}e\u2800f')).toBe(
      'a\\u{061c}b\\u{00ad}c\\u{3164}d\\u{e0041}e\\u{2800}f',
    );
    expect(escapeText('\u2764\uFE0F')).toBe('\u2764\uFE0F');
  });

  it('renders hostile group names inert in every report format, and still recognisable', async () => {
    const groups = HOSTILE.map(
      (name) =>
        `  - name: ${JSON.stringify(name)}\n    members: { groups: [${JSON.stringify(`${name}-inner`)}] }`,
    );
    const root = makeRepo({ 'identity/groups.yaml': `kind: Groups\ngroups:\n${groups.join('\n')}\n` });
    const { report } = await check(root);
    expect(report.findings).toHaveLength(HOSTILE.length);

    const text = (await runCli(['check', '--root', root])).stdout;
    for (const line of text.split('\n')) {
      expect(line).not.toMatch(/^\s*(::|##\[)/);
      // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
      expect(line).not.toMatch(/[\u202E\u200B\u0000-\u0008]/);
    }
    expect(text).toContain('::set-output name=x::y'); // recognisable, but never at the start of a line
    expect(text).toContain('line1\\nline2%0A');

    const markdown = (await runCli(['check', '--root', root, '--format', 'markdown'])).stdout;
    expect(renderedProblems(markdown)).toEqual([]);
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const row of markdown.split('\n').filter((l) => l.startsWith('| 🔴'))) {
      expect(row.split(/(?<!\\)\|/)).toHaveLength(6); // every row keeps exactly its four columns
    }

    const json = JSON.parse((await runCli(['check', '--root', root, '--format', 'json'])).stdout);
    expect(json.findings.map((f: { entity: { name: string } }) => f.entity.name)).toEqual(
      expect.arrayContaining(HOSTILE.map((n) => `${n}-inner`)),
    );

    const sarif = (await runCli(['check', '--root', root, '--format', 'sarif'])).stdout;
    expect(sarif).not.toMatch(/[\u202E\u200B]/);
  });
});
