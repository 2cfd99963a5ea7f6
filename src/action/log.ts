import { escapeText, safeLogLine } from '../report/escape.js';

/*
 * @actions/core escapes only `%`, CR and LF in a command's data (plus `:` and `,` in its properties). That is
 * enough inside an annotation, whose data is all after the command's own `::`, but not for other lines:
 * escapeText breaks the legacy `##[` form, safeLogLine also a `::` at the start of a line.
 */

/** Untrusted text as a workflow command's data (an annotation's message): one line, no command inside. */
export function commandText(value: string): string {
  return escapeText(value);
}

/** A block of text for the log, each line made inert: no workflow command at its start or inside it. */
export function logLines(text: string): string[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => safeLogLine(line));
}
