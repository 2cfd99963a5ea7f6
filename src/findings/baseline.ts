import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from './types.js';

/** `.idc-guard-baseline.json`: the findings that existed when it was written, by fingerprint. */
export interface BaselineFile {
  version: 1;
  /** The mode of the check that wrote it: a check-mode baseline holds no findings of a full drift read. */
  mode?: 'check' | 'drift';
  findings: { fingerprint: string; ruleId: string; file: string; message: string }[];
}

export const DEFAULT_BASELINE = '.idc-guard-baseline.json';

export function baselineOf(findings: Finding[], mode?: 'check' | 'drift'): BaselineFile {
  return {
    version: 1,
    ...(mode ? { mode } : {}),
    findings: findings
      .filter((f) => !(f.suppressed && f.suppression?.kind === 'inline'))
      .map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file, message: f.message })),
  };
}

/** Reads a baseline; a missing or malformed one is an error the caller reports (the team asked for it). */
export function readBaseline(root: string, path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `baseline ${path} does not exist; write it with \`idc-guard baseline\``
        : `cannot read baseline ${path}: ${code}`,
      { cause: err },
    );
  }
  let parsed: Partial<BaselineFile>;
  try {
    parsed = JSON.parse(text) as Partial<BaselineFile>;
  } catch (err) {
    throw new Error(`baseline ${path} is not valid JSON; write it again with \`idc-guard baseline\``, {
      cause: err,
    });
  }
  if (parsed.version !== 1 || !Array.isArray(parsed.findings)) {
    throw new Error(
      `baseline ${path} is not an idc-guard baseline (version 1); write it again with \`idc-guard baseline\``,
    );
  }
  return new Set(parsed.findings.map((f) => String(f?.fingerprint)));
}
