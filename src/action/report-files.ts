import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../engine.js';
import type { Notice } from '../findings/types.js';
import { renderSarif, sarifAutomationId } from '../report/sarif.js';
import { productVersion } from '../util/product.js';
import type { GitHubContext } from './context.js';
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
 * SARIF with paths relative to the repository root, as code scanning wants; returns the path as given, and a
 * notice when results were left out (GitHub's limit per run). The file is the PR's to shape (it may commit a
 * link there), so it is written only inside the workspace and never through a symbolic link. A team policy
 * without a helpUri links to its file in the repository, at the commit the policies were read at: the PR's
 * base on a pull request (policies come from the base), the workflow's commit otherwise.
 */
export function writeSarifFile(
  result: CheckResult,
  inputs: ActionInputs,
  workspace: string,
  github?: GitHubContext,
): { path: string; notice?: Notice } {
  const commit = (inputs.mode === 'check' ? github?.pullRequest?.baseSha : undefined) ?? github?.sha;
  const sarif = renderSarif(result.report, {
    version: productVersion(),
    rules: [...result.catalogue.values()],
    pathPrefix: inputs.pathPrefix,
    automationId: sarifAutomationId(inputs.pathPrefix, inputs.mode, inputs.sarifCategory),
    ...(github?.webUrl && commit ? { repository: { url: github.webUrl, commit } } : {}),
  });
  try {
    writeInsideWorkspace(workspace, inputs.sarifFile!, sarif.text);
  } catch (err) {
    const why = err instanceof UnsafePathError ? err.message : (err as Error).message;
    throw new ReportFileError(`cannot write sarif-file ${inputs.sarifFile}: ${why}`);
  }
  return { path: inputs.sarifFile!, ...(sarif.notice ? { notice: sarif.notice } : {}) };
}
