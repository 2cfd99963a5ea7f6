// The live-read benchmark (scripts/bench-live.js): paths and limits.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIVE_REGION } from '../../bench/vocabulary.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'bench', 'out');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const SERVER_SCRIPT = join(ROOT, 'test', 'aws', 'idc_server.py');

/** Identity Center's account-wide limit, which the server enforces during the measured reads. */
export const RATE = 20;
/** Calls in flight while seeding (the server's limit is off then). */
export const SEED_CONCURRENCY = 8;
export const REGION = LIVE_REGION;

export { LIVE_SIZES, MODEL_SIZES } from '../../bench/live-org.js';
