import { shell, type BrowserWindow, type Session, type WebContents } from 'electron';
import { saveFilename } from '../../shared/domain/filename';
import { APP_CSP_HEADER } from '../../shared/security/csp';
import { externalUrl } from './external';
import { isAppUrl, isFrameDocument } from './origin';
import { spellLanguages } from './spell';

/** The app's one policy (shared/security/csp.ts): the same text the page's <meta> and the browser host carry. */
export const CSP = APP_CSP_HEADER;

/**
 * Open a link in the system browser (or mail program for mailto:): any web address; javascript:,
 * file: and the like never (external.ts). The window has already shown the real destination when
 * the link's text named another one.
 */
export function openOutside(url: string): void {
  const target = externalUrl(url);
  if (!target) return;
  shell.openExternal(target).catch((e: unknown) => console.error('canary: could not open a link outside:', (e as Error).message));
}

/**
 * Spelling dictionaries: Chromium fetches Hunspell dictionaries from a Google server on Linux and
 * Windows. Unless the owner turns spellcheck on, nothing is fetched and nothing is checked; the
 * download URL points nowhere, so even a stray enable downloads nothing from a third party.
 */
export function applySpellcheck(session: Session, enabled: boolean, preferred: readonly string[] = []): void {
  // Chromium's own dictionary server when the owner turned spellcheck on; a closed local port otherwise.
  session.setSpellCheckerDictionaryDownloadURL(enabled ? 'https://redirector.gvt1.com/edgedl/chrome/dict/' : 'http://127.0.0.1:9/');
  // The composer's textarea has spellcheck on; the languages are the system's (macOS picks its own).
  if (enabled && process.platform !== 'darwin') session.setSpellCheckerLanguages(spellLanguages(preferred, session.availableSpellCheckerLanguages));
  session.setSpellCheckerEnabled(enabled);
}

export function applySessionSecurity(session: Session): void {
  session.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // No permission (camera, notifications, geolocation, clipboard reads…) is ever granted to page
  // content: neither when a page asks (request) nor when Chromium checks silently (check).
  session.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Saving an attachment: the dialog offers the name with bidi and control characters neutralized.
  session.on('will-download', (_e, item) => {
    item.setSaveDialogOptions({ defaultPath: saveFilename(item.getFilename(), 'attachment') });
  });
}

/** Block navigation (main frame and subframes) and new windows; links (http, https, mailto) go to the system browser instead. */
export function lockDownContents(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (e, url) => {
    if (isAppUrl(url, appUrl)) return;
    e.preventDefault();
    openOutside(url);
  });
  // Subframes (the email's srcdoc frame) never navigate: a link there opens outside or not at all.
  contents.on('will-frame-navigate', (e) => {
    if (e.isMainFrame ? isAppUrl(e.url, appUrl) : isFrameDocument(e.url)) return;
    e.preventDefault();
    if (!e.isMainFrame) openOutside(e.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
}

export function isTrustedSender(win: BrowserWindow | null, frame: Electron.WebFrameMain | null, appUrl: string): boolean {
  if (!win || !frame) return false;
  // Only the top frame of our own window, showing our own page (exact origin or file), may call the core.
  return frame === win.webContents.mainFrame && isAppUrl(frame.url, appUrl);
}
