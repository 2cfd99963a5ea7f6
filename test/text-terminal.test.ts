/**
 * The text report on a terminal (#18): messages wrap to its width under their own start, and each finding
 * shows its source line with a caret under the column. Off a terminal (logs, goldens) neither happens.
 */
import { renderText } from '../src/report/text.js';
import { fakeFinding, fakeReport } from './helpers.js';

const finding = fakeFinding('error', {
  ruleId: 'IDC005',
  file: 'identity/groups.yaml',
  line: 8,
  column: 16,
  message: 'group "platform-oncall" is nested in "aws-platform-admins": members of it never get the access',
});
const source = (file: string, line: number) =>
  file === 'identity/groups.yaml' && line === 8 ? '      groups: [platform-oncall]' : undefined;

describe('the text report on a terminal', () => {
  it('wraps the message under its start and puts a caret under the column', () => {
    const text = renderText(fakeReport([finding]), { color: false, width: 70, sourceLine: source });
    expect(text.split('\n').slice(1, 6)).toEqual([
      // 70 columns leave 43 for the message after its 27-column indent.
      '  8:16     error   IDC005  group "platform-oncall" is nested in',
      '                           "aws-platform-admins": members of it never',
      '                           get the access',
      '     8 |       groups: [platform-oncall]',
      '       |                ^',
    ]);
  });

  it('shows a tab in the line as an escape and keeps the caret under the column', () => {
    const tabbed = () => '\tgroups: [x]';
    const text = renderText(fakeReport([{ ...finding, column: 10 }]), { color: false, sourceLine: tabbed });
    expect(text).toContain('     8 | \\tgroups: [x]\n       |           ^\n');
  });

  it('is one line per finding without a terminal', () => {
    const text = renderText(fakeReport([finding]), { color: false });
    expect(text.split('\n')[1]).toBe(`  8:16     error   IDC005  ${finding.message}`);
  });
});
