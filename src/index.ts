// The GitHub Action's entry point. The Action itself (annotations, PR comment, summary, drift issue) is
// built on the same engine as the CLI; until then it runs the CLI's check with the Action's inputs.
import { main } from './cli/main.js';

const input = (name: string): string | undefined =>
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || undefined;

const args = [
  'check',
  '--root',
  input('path') ?? '.',
  '--live',
  input('live') ?? 'off',
  '--fail-on',
  input('fail-on') ?? 'error',
];
const config = input('config');
if (config) args.push('--config', config);

process.exitCode = await main(args, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: false,
  cwd: process.cwd(),
  env: process.env,
});
