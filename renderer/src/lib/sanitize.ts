// Email HTML made safe to show: DOMPurify strips scripts, handlers and dangerous URLs; our hooks
// block remote content (images, backgrounds, CSS url() and @import) unless the person allows it,
// count what was blocked, and make links open outside. The result goes into a sandboxed iframe
// whose own CSP also forbids remote loads, so a sanitizer miss still loads nothing.
import DOMPurify from 'dompurify';

export interface Sanitized {
  html: string;
  blockedImages: number;
  hasQuoted: boolean;
}

const purify = DOMPurify(window);
let allowRemote = false;
let blocked = 0;
let quoted = false;

const REMOTE = /^\s*(https?:)?\/\//i;
const CSS_URL = /url\(\s*(['"]?)\s*((?:https?:)?\/\/[^'")]*)\1\s*\)/gi;
const CSS_IMPORT = /@import\s+[^;]+;?/gi;
const QUOTE_CLASSES = ['gmail_quote', 'yahoo_quoted', 'moz-cite-prefix'];

function scrubCss(css: string): string {
  if (allowRemote) return css.replace(CSS_IMPORT, '');
  return css.replace(CSS_IMPORT, '').replace(CSS_URL, () => {
    blocked++;
    return 'none';
  });
}

purify.addHook('uponSanitizeElement', (node, data) => {
  if (data.tagName === 'style' && node.textContent) node.textContent = scrubCss(node.textContent);
  const el = node as Element;
  if (data.tagName === 'blockquote' && el.getAttribute?.('type') === 'cite') quoted = true;
  if (el.classList && QUOTE_CLASSES.some((c) => el.classList.contains(c))) quoted = true;
});

purify.addHook('afterSanitizeAttributes', (node) => {
  const el = node as Element;
  if (el.tagName === 'A') {
    el.setAttribute('target', '_blank');
    el.setAttribute('rel', 'noopener noreferrer');
  }
  let removed = false;
  for (const attr of ['src', 'srcset', 'background', 'poster']) {
    const v = el.getAttribute(attr);
    if (v == null) continue;
    if (/^\s*cid:/i.test(v)) {
      el.removeAttribute(attr);
      continue;
    }
    const remote = attr === 'srcset' ? /(^|,)\s*(https?:)?\/\//i.test(v) : REMOTE.test(v);
    // Plain http is never loaded, even when allowed: only https.
    if (remote && (!allowRemote || /^\s*(http:)?\/\//i.test(v))) {
      el.removeAttribute(attr);
      removed = true;
    }
  }
  if (removed) {
    blocked++;
    el.setAttribute('data-canary-blocked', '1');
  }
  const style = el.getAttribute('style');
  if (style && /url\(|@import/i.test(style)) el.setAttribute('style', scrubCss(style));
});

export function sanitizeEmailHtml(html: string, opts: { allowRemote: boolean }): Sanitized {
  allowRemote = opts.allowRemote;
  blocked = 0;
  quoted = false;
  const clean = purify.sanitize(html, {
    FORCE_BODY: true,
    FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math'],
    FORBID_ATTR: ['action', 'formaction', 'ping'],
    ALLOW_UNKNOWN_PROTOCOLS: false,
  });
  return { html: clean, blockedImages: blocked, hasQuoted: quoted };
}

/** The whole document put into the iframe's srcdoc. */
export function emailDocument(body: string, opts: { allowRemote: boolean; showQuoted: boolean }): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:${opts.allowRemote ? ' https:' : ''}`;
  const hideQuoted = opts.showQuoted
    ? ''
    : `.gmail_quote, blockquote[type="cite"], .yahoo_quoted, .moz-cite-prefix { display: none !important; }`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<base target="_blank"><style>
html, body { margin: 0; padding: 0; background: #fff; color: #1a1b1e; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; padding: 12px 14px; overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; }
img[data-canary-blocked] { display: inline-block; min-width: 16px; min-height: 16px; background: #f1f3f5; border: 1px dashed #ced4da; }
table { max-width: 100%; }
pre { white-space: pre-wrap; }
${hideQuoted}
</style></head><body>${body}</body></html>`;
}
