import path from 'node:path';

/**
 * Where the e2e tests save what a person would see: e2e/screenshots/ (ignored by git) on every
 * run, to look at; docs/screenshots/ — the pictures in the README — only when
 * CANARY_DOC_SCREENSHOTS=1 asks for them to be refreshed, so a test run leaves the checkout clean.
 */
export const SHOTS = path.resolve(import.meta.dirname, process.env.CANARY_DOC_SCREENSHOTS === '1' ? '../docs/screenshots' : 'screenshots');

export function shotPath(name: string): string {
  return path.join(SHOTS, name);
}
