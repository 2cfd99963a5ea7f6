// The GitHub Action's entry point (action.yml runs the bundle of this file, dist/index.js).
import { run } from './action/run.js';

// Not awaited at the top level: in the bundle, modules the SDK imports lazily (credential providers for
// profiles, SSO, web identity) sit after this entry and are defined only once the whole file has run.
void run();
