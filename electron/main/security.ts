import { shell, type BrowserWindow, type Session, type WebContents } from 'electron';

/** Hosts whose links may open in the system browser; everything else is refused. */
export const EXTERNAL_ALLOW = [/^https:\/\/([a-z0-9-]+\.)*x\.com\//i, /^https:\/\/([a-z0-9-]+\.)*twitter\.com\//i, /^mailto:/i, /^https:\/\/github\.com\//i];

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function isAllowedExternal(url: string): boolean {
  return EXTERNAL_ALLOW.some((re) => re.test(url));
}

export function applySessionSecurity(session: Session): void {
  session.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // No permission (camera, notifications, geolocation…) is ever granted to page content.
  session.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
}

/** Block navigation and new windows; allow-listed links go to the system browser. */
export function lockDownContents(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (e, url) => {
    if (url.startsWith(appUrl)) return;
    e.preventDefault();
    if (isAllowedExternal(url)) void shell.openExternal(url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

export function isTrustedSender(win: BrowserWindow | null, frame: Electron.WebFrameMain | null, appUrl: string): boolean {
  if (!win || !frame) return false;
  // Only the top frame of our own window, showing our own page, may call the core.
  return frame === win.webContents.mainFrame && frame.url.startsWith(appUrl);
}
