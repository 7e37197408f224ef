// twitter-api-v2, loaded on first use: importing it costs ~80-400 ms of start-up, and most launches
// (the CLI, a core with no X account, the tests of other channels) never call X.
import { createRequire } from 'node:module';
import type * as TwitterLib from 'twitter-api-v2';

const requireHere = createRequire(import.meta.url);
let lib: typeof TwitterLib | null = null;

export function twitter(): typeof TwitterLib {
  lib ??= requireHere('twitter-api-v2') as typeof TwitterLib;
  return lib;
}
