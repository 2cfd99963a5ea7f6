import { ConfigError } from '../config/config.js';
import { BaseUnavailableError } from '../pull-request/base-checkout.js';
import { InputError } from './inputs.js';
import { ReportFileError } from './report-files.js';

/** The one line (not yet escaped) a step fails with when the check could not run or report. */
export function failureLine(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  if (err instanceof InputError || err instanceof ReportFileError) return `idc-guard: ${message}`;
  if (err instanceof BaseUnavailableError) return `idc-guard: ${message}`;
  if (err instanceof ConfigError) return `idc-guard: configuration error: ${message}`;
  // Anything else is our bug: one clear line, the stack only on request (IDC_GUARD_DEBUG, as in the CLI).
  return `idc-guard: internal error: ${message}`;
}
