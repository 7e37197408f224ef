// The email sanitizer in real Chromium, with the message frame's CSP taken out: the filter alone must
// stop every remote load (issue 18, defect 5). renderer/src/lib/sanitize.ts is bundled with Vite,
// run on hostile payloads in a page served from an http origin (as the browser host serves the app,
// so scheme-relative and backslash URLs resolve to a host), and each result is rendered the way
// EmailBody does (sandboxed srcdoc frame). Every request other than the page itself is a leak.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import fc from 'fast-check';
import { build } from 'vite';
import type * as Sanitize from '../renderer/src/lib/sanitize';

const ORIGIN = 'http://canary.test';
const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
const E = 'evil.example';

/** The 13 forms from the review, the ones the old filter caught, and the elements that load on their own. */
const PAYLOADS: [string, string][] = [
  ['img https', `<img src="https://${E}/1.png">`],
  ['img scheme-relative', `<img src="//${E}/2.png">`],
  ['style url()', `<style>p{background:url(https://${E}/3.png)}</style><p>x</p>`],
  ['style attribute url()', `<div style="background-image:url('//${E}/4.png')">x</div>`],
  ['@import with a space', `<style>@import url(https://${E}/5.css);</style>`],
  ['1 CSS escape \\75 rl(', `<style>p{background:\\75 rl(https://${E}/6.png)}</style><p>x</p>`],
  ['2 CSS escape u\\rl(', `<div style="background:u\\rl(https://${E}/7.png)">x</div>`],
  ['3 @import"…" with no space', `<style>@import"https://${E}/8.css";</style>`],
  ['4 @\\69mport', `<style>@\\69mport "https://${E}/9.css";</style>`],
  ['5 image-set()', `<div style='background-image:image-set("https://${E}/10.png" 1x)'>x</div>`],
  ['6 -webkit-image-set()', `<style>p{background-image:-webkit-image-set("https://${E}/11.png" 1x)}</style><p>x</p>`],
  ['7 custom property holding url()', `<style>:root{--bg:url(https://${E}/12.png)}p{background:var(--bg)}</style><p>x</p>`],
  ['7b custom property string into image-set(var())', `<style>:root{--bg:"https://${E}/13.png"}p{background-image:image-set(var(--bg) 1x)}</style><p>x</p>`],
  ['8 \\\\host path', `<img src="\\\\${E}\\share\\14.png">`],
  ['9 /\\host path', `<img src="/\\${E}/15.png">`],
  ['10 tab inside http:', `<img src="ht\ttp://${E}/16.png">`],
  ['10b entity tab and newline inside http:', `<img src="ht&#9;tp:&#10;//${E}/17.png">`],
  ['11 control characters before http:', `<img src="&#1;&#31;http://${E}/18.png">`],
  ['11b control characters in CSS', `<div style="background:url('\\1 \\9 http://${E}/19.png')">x</div>`],
  ['12 <source> src', `<video controls><source src="https://${E}/20.mp4" type="video/mp4"></video>`],
  ['12b <source> srcset in <picture>', `<picture><source srcset="https://${E}/21.png 1x"><img src="${PIXEL}"></picture>`],
  ['13 <track> src', `<video controls src="${PIXEL}"><track kind="captions" src="https://${E}/22.vtt" default></video>`],
  ['video poster and audio src', `<video poster="//${E}/23.png"></video><audio src="https://${E}/24.mp3" autoplay></audio>`],
  ['img srcset', `<img srcset="${PIXEL} 1x, https://${E}/25.png 2x" src="${PIXEL}">`],
  ['table and body background', `<table background="https://${E}/26.png"><tr><td background="//${E}/27.png">x</td></tr></table>`],
  ['http: without slashes', `<img src="http:${E}/28.png">`],
  ['https: without slashes', `<img src="https:${E}/29.png">`],
  ['font-face', `<style>@font-face{font-family:z;src:url(//${E}/30.woff)}p{font-family:z}</style><p>x</p>`],
  ['cursor and list-style', `<ul style="list-style:url(https://${E}/31.png)"><li style="cursor:url(//${E}/32.cur),auto">x</li></ul>`],
  // Elements DOMPurify or our configuration drop whole (each loads by itself when left in).
  ['link stylesheet and prefetch', `<link rel="stylesheet" href="https://${E}/33.css"><link rel="prefetch" href="//${E}/34">`],
  ['meta refresh', `<meta http-equiv="refresh" content="0;url=https://${E}/35">`],
  ['iframe, frame, object, embed', `<iframe src="https://${E}/36"></iframe><object data="https://${E}/37"></object><embed src="//${E}/38">`],
  ['svg image and use', `<svg><image href="https://${E}/39.png"/><use xlink:href="//${E}/40.svg#a"/></svg>`],
  ['input image and form', `<form action="https://${E}/41"><input type="image" src="https://${E}/42.png"></form>`],
  ['base href with a relative image', `<base href="https://${E}/"><img src="43.png">`],
  ['lowsrc and background attributes', `<img lowsrc="https://${E}/44.png" src="${PIXEL}"><div background="//${E}/45.png">x</div>`],
  ['uppercase and entity-encoded scheme', `<IMG SRC="HTTPS://${E}/46.png"><img src="&#104;ttps://${E}/47.png">`],
  ['border-image and mask in style', `<div style="border-image:url(//${E}/48.png) 30;-webkit-mask-image:url(https://${E}/49.png)">x</div>`],
  ['@import in a media block', `<style>@media all{@import url(//${E}/50.css);}</style>`],
  // Found by the property test in cssUrls.test.ts: cutting the @import must not join u and rl( into url(.
  ['u@import"…";rl(', `<style>p{background:u@import "x";rl(https://${E}/51.png)}</style><p>x</p>`],
];

let bundle = '';

test.beforeAll(async () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(root, 'renderer/src/lib/sanitize.ts'), formats: ['iife'], name: 'CanarySanitize' },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as { output: { type: string; code?: string }[] }[];
  bundle = outputs[0]!.output.find((o) => o.type === 'chunk')!.code!;
});

/** A page on an http origin with the sanitizer loaded; returns the list every request lands in. */
async function sanitizerPage(page: Page): Promise<string[]> {
  const requests: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/`) return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>t</title><body></body>' });
    requests.push(url);
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/`);
  await page.addScriptTag({ content: bundle });
  return requests;
}

/** Sanitize, then show the result as EmailBody does but without the frame's CSP; wait for it to settle. */
async function render(page: Page, html: string, allowRemote: boolean, settleMs = 150): Promise<{ html: string; blocked: number }> {
  return page.evaluate(
    async ({ html, allowRemote, settleMs }) => {
      const S = (window as unknown as { CanarySanitize: typeof Sanitize }).CanarySanitize;
      const clean = S.sanitizeEmailHtml(html, { allowRemote });
      const doc = S.emailDocument(clean.html, { allowRemote, showQuoted: true }).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      if (doc.includes('Content-Security-Policy')) throw new Error('CSP still there');
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-same-origin allow-popups allow-popups-to-escape-sandbox');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      frame.srcdoc = doc;
      const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
      document.body.append(frame);
      await loaded;
      // Let styles apply, media elements start, fonts resolve.
      frame.contentDocument?.body.getBoundingClientRect();
      await new Promise((r) => setTimeout(r, settleMs));
      frame.remove();
      return { html: clean.html, blocked: clean.blockedImages };
    },
    { html, allowRemote, settleMs },
  );
}

test('the sanitizer alone lets no remote request leave, whatever the form', async ({ page }) => {
  const requests = await sanitizerPage(page);
  // The harness itself sees remote loads: the raw payloads, unsanitized, do request (checked for a few).
  await page.evaluate(
    (html) => {
      const f = document.createElement('iframe');
      f.srcdoc = html;
      document.body.append(f);
    },
    PAYLOADS.slice(0, 3)
      .map((p) => p[1])
      .join(''),
  );
  await expect.poll(() => requests.length).toBeGreaterThanOrEqual(3);
  await page.evaluate(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));
  await page.waitForTimeout(200);
  requests.length = 0;

  const leaks: string[] = [];
  const kept: string[] = [];
  for (const [name, html] of PAYLOADS) {
    const before = requests.length;
    const r = await render(page, html, false);
    if (requests.length > before) leaks.push(`${name}: ${requests.slice(before).join(' ')}`);
    // Where the URL text may stay because nothing reads it as a URL any more: a string in a custom
    // property (its use in image-set(var()) is what goes), and the argument of an rl() function.
    const inert: Record<string, string> = { '7b custom property string into image-set(var())': 'image-set(none 1x)', 'u@import"…";rl(': 'u/**/rl(' };
    if (name in inert ? !r.html.includes(inert[name]!) : r.html.includes(`${E}/`)) kept.push(`${name}: ${r.html}`);
  }
  expect(leaks).toEqual([]);
  expect(kept).toEqual([]);
});

test('cid: and data: images behave as before, and only https loads once remote content is allowed', async ({ page }) => {
  const requests = await sanitizerPage(page);
  const r = await render(page, `<img id="d" src="${PIXEL}"><img id="c" src="cid:logo@x"><div style="background:url(${PIXEL})">x</div>`, false);
  expect(r.blocked).toBe(0);
  expect(r.html).toContain(`src="${PIXEL}"`);
  expect(r.html).toContain(`url(${PIXEL})`);
  expect(r.html).not.toContain('cid:');
  expect(requests).toEqual([]);

  const counted = await render(page, PAYLOADS.find((p) => p[0] === 'img https')![1] + PAYLOADS.find((p) => p[0] === '5 image-set()')![1], false);
  expect(counted.blocked).toBe(2);

  // The message document turns off DNS prefetching of its links and sends no referrer.
  const doc = await page.evaluate(() =>
    (window as unknown as { CanarySanitize: typeof Sanitize }).CanarySanitize.emailDocument('<a href="https://x.example/">x</a>', { allowRemote: false, showQuoted: true }),
  );
  expect(doc).toContain('<meta http-equiv="x-dns-prefetch-control" content="off">');
  expect(doc).toContain('<meta name="referrer" content="no-referrer">');

  const allowed = await render(page, `<img src="https://${E}/ok.png"><img src="http://${E}/plain.png"><img src="//${E}/rel.png"><img src="\\\\${E}/unc.png">`, true);
  expect(allowed.blocked).toBe(3);
  await expect.poll(() => requests).toEqual([`https://${E}/ok.png`]);
});

/** Pieces of hostile mail: elements that load, URL forms, CSS that hides URLs. */
const URLS = [`https://${E}/f.png`, `//${E}/f.png`, `\\\\${E}\\f.png`, `/\\${E}/f.png`, `ht\ttp://${E}/f.png`, `http:${E}/f.png`, `&#1;http://${E}/f.png`, PIXEL, 'cid:x@y', 'rel.png'];
const CSS = [
  (u: string) => `background:url(${u})`,
  (u: string) => `background:url("${u}")`,
  (u: string) => `background:\\75 rl(${u})`,
  (u: string) => `background:u\\rl('${u}')`,
  (u: string) => `background-image:image-set("${u}" 1x)`,
  (u: string) => `background-image:-webkit-image-set(url(${u}) 1x)`,
  (u: string) => `--v:url(${u});background:var(--v)`,
  (u: string) => `list-style:url(${u})`,
];
const piece = fc.oneof(
  fc
    .tuple(fc.constantFrom('img src', 'video poster', 'audio src', 'img srcset', 'table background', 'input src', 'embed src', 'iframe src', 'link href', 'object data'), fc.constantFrom(...URLS))
    .map(([ta, u]) => {
      const [tag, attr] = ta.split(' ');
      return `<${tag} ${attr}="${u}">${tag === 'video' ? `<source src="${u}"><track src="${u}">` : ''}`;
    }),
  fc
    .tuple(fc.constantFrom(...CSS), fc.constantFrom(...URLS), fc.boolean())
    .map(([css, u, inStyle]) => (inStyle ? `<style>p{${css(u)}}</style><p>x</p>` : `<div style='${css(u).replace(/'/g, '&#39;')}'>x</div>`)),
  fc.constantFrom(...URLS).map((u) => `<style>@import "${u.replace(/"/g, '')}";@\\69mport url(${u});</style>`),
  fc.constantFrom('<b>', '</b>', '<p>', '<!--', '-->', '<svg>', '</svg>', '<math>', '<template>', '<noscript>', '</style>', '<style>', '"', "'", '>'),
);

test('generated hostile mail: the sanitizer alone lets no request leave (property, fast-check)', async ({ page }) => {
  const scale = Number(process.env.CANARY_FUZZ_SCALE ?? 1);
  // About 60 ms a case; a long run (CANARY_FUZZ_SCALE) gets the time it needs.
  test.setTimeout(Math.max(60_000, scale * 60 * 200));
  const requests = await sanitizerPage(page);
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), async (pieces) => {
      const before = requests.length;
      await render(page, pieces.join(''), false, 40);
      expect(requests.slice(before), pieces.join('')).toEqual([]);
    }),
    { numRuns: Math.max(1, Math.round(scale * 60)) },
  );
});
