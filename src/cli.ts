import { main } from './cli/main.js';

// Not awaited at the top level: in the bundle, modules the SDK imports lazily (credential providers for
// profiles, SSO, web identity) sit after this entry and are defined only once the whole file has run.
void main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  stderrIsTerminal: Boolean(process.stderr.isTTY),
  stdoutColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
  cwd: process.cwd(),
  env: process.env,
}).then((exit) => (process.exitCode = exit));
