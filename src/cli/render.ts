import { relative, resolve } from 'node:path';
import type { CheckResult } from '../engine.js';
import { accessLines, type AccessDiff } from '../pull-request/access-diff.js';
import { escapeText } from '../report/escape.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { productVersion } from '../util/product.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** What the change grants and takes away, before the findings, as the PR comment shows it. */
export function renderAccessChanges(diff: AccessDiff, live: boolean): string {
  const lines = accessLines(diff);
  if (lines.length === 0) return 'access changes: none\n\n';
  const what = live ? 'pending: applied on merge' : 'against the base';
  return `access changes (${what}):\n${lines.map((l) => `  ${l.icon} ${escapeText(l.text)}`).join('\n')}\n\n`;
}

export function render(format: Format, result: CheckResult, cwd: string, root: string | undefined): string {
  switch (format) {
    case 'json':
      return renderJson(result.report);
    case 'sarif': {
      const rel = relative(cwd, resolve(cwd, root ?? '.'))
        .split('\\')
        .join('/');
      const pathPrefix = rel && !rel.startsWith('..') ? `${rel}/` : '';
      return renderSarif(result.report, {
        version: productVersion(),
        rules: [...result.catalogue.values()],
        pathPrefix,
      });
    }
    case 'markdown':
      return renderMarkdown(result.report);
    default:
      return renderText(result.report, { color: false });
  }
}
