import type { Report } from '../findings/report.js';

/**
 * The documented JSON report, as is: it is data, so strings keep their exact value (JSON escapes controls).
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
