import { relative, resolve } from 'node:path';
import type { CheckResult } from '../engine.js';
import type { Notice } from '../findings/types.js';
import { accessLines, type AccessDiff } from '../pull-request/access-diff.js';
import { escapeText } from '../report/escape.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif, sarifAutomationId } from '../report/sarif.js';
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

/** A report rendered in one format, and a notice about the rendering itself (SARIF results left out). */
export interface Rendered {
  text: string;
  notice?: Notice;
}

export function render(format: Format, result: CheckResult, cwd: string, root: string | undefined): Rendered {
  switch (format) {
    case 'json':
      return { text: renderJson(result.report) };
    case 'sarif': {
      const rel = relative(cwd, resolve(cwd, root ?? '.'))
        .split('\\')
        .join('/');
      const pathPrefix = rel && !rel.startsWith('..') ? `${rel}/` : '';
      return renderSarif(result.report, {
        version: productVersion(),
        rules: [...result.catalogue.values()],
        pathPrefix,
        automationId: sarifAutomationId(pathPrefix, 'check'),
      });
    }
    case 'markdown':
      return { text: renderMarkdown(result.report) };
    default:
      return { text: renderText(result.report, { color: false }) };
  }
}
