// The one Content-Security-Policy of the app page, wherever it is shown: the <meta> in
// renderer/index.html (the only policy a file:// page in Electron gets, since file: responses carry
// no headers), the header Electron's session adds, and the header the browser host sends. A test
// (csp.test.ts) builds the renderer and checks the built index.html carries exactly this text.
//
// img-src keeps https: for one reason: the email frame is a srcdoc document, which inherits this
// policy, and a person may choose to show a sender's remote images (the frame's own CSP and the
// sanitizer allow https images only then). connect-src 'self' also covers the browser host's own
// WebSocket (CSP3 'self' matches ws: on the same host and port), so no ws: wildcard is needed.
export const APP_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "worker-src 'none'",
  "manifest-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
] as const;

/** The policy as the <meta> element carries it. */
export const APP_CSP = APP_CSP_DIRECTIVES.join('; ');

/** The policy as a response header: the same, plus what only a header can say (no framing by other pages). */
export const APP_CSP_HEADER = `${APP_CSP}; frame-ancestors 'none'`;
