// Is a URL our own page? Exact comparisons only, no prefixes: in development (a Vite server) the
// origins must be equal (`http://localhost:5173` is not `http://localhost:5173.evil.example`); packaged,
// the file: URL must name the app's own index.html (query and fragment aside). Pure, so it is tested
// in Node; the shell (security.ts, ipc.ts) uses it for navigation and for who may call the core.

/** The app page's URL as the window loads it: `file:///…/renderer/index.html` or the dev server's URL. */
export function isAppUrl(url: string, appUrl: string): boolean {
  let u: URL;
  let app: URL;
  try {
    u = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return u.protocol === 'file:' && u.host === app.host && u.pathname === app.pathname;
  if (app.protocol !== 'http:' && app.protocol !== 'https:') return false;
  return u.origin === app.origin;
}

/** A subframe (the email's srcdoc frame) may only show its own document; it never navigates anywhere. */
export function isFrameDocument(url: string): boolean {
  return url === 'about:srcdoc' || url === 'about:blank';
}
