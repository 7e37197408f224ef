// Email HTML made safe to show: DOMPurify strips scripts, handlers and dangerous URLs; our hooks
// block remote content (images, media sources, backgrounds, CSS url(), image-set() and @import)
// unless the person allows it, count what was blocked, and make links open outside. Each URL is
// judged as the browser parses it (remoteUrl.ts: WHATWG URL parsing; cssUrls.ts: CSS tokenizing with
// escapes decoded), so the filter holds on its own; the sandboxed iframe's CSP is a second wall.
import DOMPurify from 'dompurify';
import { scrubCss } from './cssUrls';
import { filterSrcset, isBlockedRemote, judgeUrl } from './remoteUrl';

export interface Sanitized {
  html: string;
  blockedImages: number;
  hasQuoted: boolean;
}

const purify = DOMPurify(window);
let allowRemote = false;
let blocked = 0;
let quoted = false;

const QUOTE_CLASSES = ['gmail_quote', 'yahoo_quoted', 'moz-cite-prefix'];
/** Attributes whose URL the browser loads by itself (links, cite and longdesc load only on a click, or never). */
const LOAD_ATTRS = ['src', 'srcset', 'imagesrcset', 'background', 'poster', 'lowsrc', 'dynsrc', 'data', 'codebase', 'xlink:href'];

function css(text: string): string {
  const r = scrubCss(text, allowRemote);
  blocked += r.blocked;
  return r.css;
}

purify.addHook('uponSanitizeElement', (node, data) => {
  if (data.tagName === 'style' && node.textContent) node.textContent = css(node.textContent);
  const el = node as Element;
  if (data.tagName === 'blockquote' && el.getAttribute?.('type') === 'cite') quoted = true;
  if (el.classList && QUOTE_CLASSES.some((c) => el.classList.contains(c))) quoted = true;
});

purify.addHook('afterSanitizeAttributes', (node) => {
  const el = node;
  if (!el.getAttribute) return;
  const tag = el.tagName;
  if (tag === 'A') {
    el.setAttribute('target', '_blank');
    el.setAttribute('rel', 'noopener noreferrer');
  }
  let removed = false;
  const attrs = tag === 'A' || tag === 'AREA' ? LOAD_ATTRS : [...LOAD_ATTRS, 'href'];
  for (const attr of attrs) {
    const v = el.getAttribute(attr);
    if (v == null) continue;
    if (attr === 'srcset' || attr === 'imagesrcset') {
      const r = filterSrcset(v, allowRemote);
      if (r.blocked) removed = true;
      if (!r.dropped) continue;
      if (r.value) el.setAttribute(attr, r.value);
      else el.removeAttribute(attr);
      continue;
    }
    const verdict = judgeUrl(v, allowRemote);
    if (verdict.keep == null) {
      el.removeAttribute(attr);
      if (isBlockedRemote(verdict)) removed = true;
    } else if (verdict.keep !== v) el.setAttribute(attr, verdict.keep);
  }
  if (removed) {
    blocked++;
    el.setAttribute('data-canary-blocked', '1');
  }
  const style = el.getAttribute('style');
  if (style) {
    const clean = css(style);
    if (clean !== style) el.setAttribute('style', clean);
  }
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
  const hideQuoted = opts.showQuoted ? '' : `.gmail_quote, blockquote[type="cite"], .yahoo_quoted, .moz-cite-prefix { display: none !important; }`;
  // No DNS prefetching of the mail's links (a lookup tells the sender the mail was read), no referrer.
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<meta http-equiv="x-dns-prefetch-control" content="off"><meta name="referrer" content="no-referrer">
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
