// Which links leave the app for the system browser or mail program. Any web address (http, https)
// and mailto: do; javascript:, file:, data:, custom schemes and anything unparsable never reach
// shell.openExternal. The window asks first when a link's text names another address than the one
// it goes to (renderer/src/lib/links.ts); this is the shell's own wall. Pure, so tested in Node.

/** The longest address handed to the system (a longer one is refused, not cut). */
export const MAX_EXTERNAL_URL = 8192;

/** The URL to open outside, normalized (punycode host, escaped path), or null when it must not be opened. */
export function externalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.hostname ? u.href : null;
  if (u.protocol === 'mailto:') return u.pathname || u.search ? u.href : null;
  return null;
}
