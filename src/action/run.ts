import * as core from '@actions/core';
import type { CheckOptions, CheckResult } from '../engine.js';
import { decidesVerdict } from '../findings/types.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { planAnnotations } from './annotations.js';
import type { AccessChanges } from './comment.js';
import { githubContext } from './context.js';
import { failureLine } from './failure.js';
import { parseInputs, type ActionInputs } from './inputs.js';
import { commandText, logLines } from './log.js';
import { driftDetected, failureReason } from './outcome.js';
import { publishToGitHub } from './publish.js';
import { checkForEvent } from './pull-request.js';
import { writeReportFile, writeSarifFile } from './report-files.js';
import { renderNotRunSummary, renderSummary } from './summary.js';

/**
 * The Action: reads the inputs, runs the same check as the CLI, and reports it the GitHub way: the report
 * in the log, annotations, the job summary, the JSON report and SARIF files, outputs, the step's result.
 * All @actions/core I/O is here; what to say is decided by the pure functions it calls. It never throws:
 * whatever goes wrong fails the step with one line.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // The runner starts actions in the workspace; GITHUB_WORKSPACE says so explicitly.
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  try {
    const inputs = parseInputs((name) => core.getInput(name), workspace, env);
    const { result, access } = await checkForEvent(inputs, checkOptions(inputs), workspace, env);
    await reportResult(result, inputs, workspace, env, access);
  } catch (err) {
    await failWithoutReport(err, env);
  }
}

function checkOptions(inputs: ActionInputs): CheckOptions {
  return {
    root: inputs.root,
    configPath: inputs.configPath,
    live: inputs.live,
    mode: inputs.mode,
    failOn: inputs.failOn,
    now: inputs.now,
    region: inputs.region,
    instanceArn: inputs.instanceArn,
    identityStoreId: inputs.identityStoreId,
  };
}

async function reportResult(
  result: CheckResult,
  inputs: ActionInputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  access: AccessChanges | undefined,
): Promise<void> {
  const { report, failOn, exitCode } = result;
  for (const line of logLines(renderText(report, { color: false }))) core.info(line);

  const reportFile = writeReportFile(renderJson(report), env);
  const sarif = inputs.sarifFile ? writeSarifFile(result, inputs, workspace, githubContext(env)) : undefined;
  const sarifFile = sarif?.path;
  // Results left out of the SARIF file (GitHub's limit per run): a warning in the log, a notice in the summary.
  if (sarif?.notice) {
    core.warning(commandText(sarif.notice.message));
    report.notices.push(sarif.notice);
  }

  const readMore = `the job summary${sarifFile ? ` or the SARIF file ${sarifFile}` : ''}`;
  // When the step fails, core.setFailed adds one error annotation of its own: keep a slot for it.
  const reserved = { error: exitCode === 0 ? 0 : 1 };
  // On a pull request, the lines annotated are what decides it: a pending change or the base's own findings
  // are in the comment and summary, collapsed, not on the changed lines.
  const annotated = report.findings.filter((f) => decidesVerdict(f, report.pullRequest?.failOnScope));
  for (const a of planAnnotations(annotated, { pathPrefix: inputs.pathPrefix, reserved, readMore })) {
    core[a.level](a.message, a.properties);
  }

  const summary = renderSummary(report, {
    access,
    pathPrefix: inputs.pathPrefix,
    mode: inputs.mode,
    failOn,
    exitCode,
    sarif: Boolean(sarifFile),
  });
  if (summary.cut > 0) core.info(`the job summary leaves out ${summary.cut} entries to stay under 1 MiB`);
  await writeSummary(summary.markdown, env);

  core.setOutput('errors', report.summary.error);
  core.setOutput('warnings', report.summary.warning);
  core.setOutput('notices', report.summary.notice);
  core.setOutput('suppressed', report.summary.suppressed);
  core.setOutput('report-file', reportFile);
  if (sarifFile) core.setOutput('sarif-file', sarifFile);
  const drift = driftDetected(report, inputs.mode);
  core.setOutput('drift', drift);

  // The PR comment or the drift issue: a GitHub fault is one warning, never a change to the result.
  const published = await publishToGitHub({ result, inputs, env, drift, access });
  for (const line of published.info) core.info(commandText(line));
  if (published.warning) core.warning(commandText(published.warning));

  const reason = failureReason(report, failOn, exitCode);
  if (reason) core.setFailed(commandText(reason));
  // As the CLI: 2 for a tool error (core.setFailed alone makes it 1).
  if (exitCode === 2) process.exitCode = 2;
}

/** Off a runner (a local run) there is no summary file; that is no reason to fail. */
async function writeSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) {
    core.info('no job summary: GITHUB_STEP_SUMMARY is not set');
    return;
  }
  await core.summary.addRaw(markdown).write();
}

/** An invalid input, an unusable configuration or a bug: one line fails the step, and the summary says so. */
async function failWithoutReport(err: unknown, env: NodeJS.ProcessEnv): Promise<void> {
  const line = failureLine(err);
  if (env.IDC_GUARD_DEBUG && err instanceof Error && err.stack) {
    for (const l of logLines(err.stack)) core.info(l);
  }
  core.setFailed(commandText(line));
  // A usage, configuration or tool error, as the CLI's exit code 2.
  process.exitCode = 2;
  try {
    await writeSummary(renderNotRunSummary(line), env);
  } catch {
    // The step already fails with the reason; a summary that cannot be written adds nothing.
  }
}
