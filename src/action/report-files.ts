import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../engine.js';
import { renderSarif } from '../report/sarif.js';
import { productVersion } from '../util/product.js';
import type { ActionInputs } from './inputs.js';
import { UnsafePathError, writeInsideWorkspace } from './write-file.js';

/** A report file the Action cannot write: a failure it explains itself, as opposed to a bug. */
export class ReportFileError extends Error {}

/** The JSON report in the runner's temporary folder, in a folder of its own so two steps never share it. */
export function writeReportFile(json: string, env: NodeJS.ProcessEnv): string {
  const folder = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'idc-guard-'));
  const path = join(folder, 'report.json');
  try {
    writeFileSync(path, json, { flag: 'wx' });
  } catch (err) {
    throw new ReportFileError(`cannot write the JSON report ${path}: ${(err as Error).message}`);
  }
  return path;
}

/**
 * SARIF with paths relative to the repository root, as code scanning wants; returns the path as given. The
 * file is the PR's to shape (it may commit a link there), so it is written only inside the workspace and
 * never through a symbolic link.
 */
export function writeSarifFile(result: CheckResult, inputs: ActionInputs, workspace: string): string {
  const sarif = renderSarif(result.report, {
    version: productVersion(),
    rules: [...result.catalogue.values()],
    pathPrefix: inputs.pathPrefix,
  });
  try {
    writeInsideWorkspace(workspace, inputs.sarifFile!, sarif);
  } catch (err) {
    const why = err instanceof UnsafePathError ? err.message : (err as Error).message;
    throw new ReportFileError(`cannot write sarif-file ${inputs.sarifFile}: ${why}`);
  }
  return inputs.sarifFile!;
}
