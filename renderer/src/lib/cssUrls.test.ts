// The remote-content filter's URL and CSS halves, in Node (same WHATWG URL rules as the browser).
// Every form the hostile-input review found (issue 18, defect 5) plus the ones the old regexes caught.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubCss, tokenizeCss, preprocessCss } from './cssUrls';
import { classifyUrl, filterSrcset, judgeUrl, srcsetCandidates } from './remoteUrl';

const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';

/**
 * What the browser would still load from this CSS, read back through the same tokenizer: url tokens,
 * the string of url()/src(), strings and var() inside image functions, and @import.
 */
function remoteLeft(css: string): string[] {
  const toks = tokenizeCss(preprocessCss(css)).filter((t) => t.t !== 'ws');
  const out: string[] = [];
  const stack: string[] = [];
  const isRemote = (v: string) => ['https', 'remote'].includes(classifyUrl(v));
  for (const [k, t] of toks.entries()) {
    const inImage = stack.some((f) => /^(-webkit-)?(image-set|image|cross-fade)$/.test(f));
    if (t.t === 'url' && isRemote(t.v)) out.push(t.v);
    if (t.t === 'at' && t.v.toLowerCase() === 'import') out.push('@import');
    if (t.t === 'string' && (inImage || /^(url|src)$/.test(stack.at(-1) ?? '')) && isRemote(t.v)) out.push(t.v);
    if (t.t === 'function' && inImage && t.v.toLowerCase() === 'var') out.push(`var() in ${stack.join('>')} at ${k}`);
    if (t.t === 'function') stack.push(t.v.toLowerCase());
    else if (t.t === 'open') stack.push(t.v);
    else if (t.t === 'close') stack.pop();
  }
  return out;
}

describe('classifyUrl', () => {
  it.each([
    ['https://evil.example/a.png', 'https'],
    ['  https://evil.example/a.png', 'https'],
    ['http://evil.example/a.png', 'remote'],
    ['//evil.example/a.png', 'remote'],
    ['\\\\evil.example\\share\\a.png', 'remote'],
    ['/\\evil.example/a.png', 'remote'],
    ['\\/evil.example/a.png', 'remote'],
    ['ht\ttp://evil.example/a.png', 'remote'],
    ['h\nttp://evil.example/a.png', 'remote'],
    ['\x01\x02http://evil.example/a.png', 'remote'],
    ['http:\t//evil.example/a.png', 'remote'],
    ['https:evil.example/a.png', 'https'],
    ['ftp://evil.example/a.png', 'remote'],
    ['wss://evil.example/', 'remote'],
    ['file://evil.example/share/a.png', 'remote'],
    ['HTTPS://EVIL.example', 'https'],
    [PIXEL, 'data'],
    [' DATA:image/png;base64,AAAA', 'data'],
    ['cid:logo@x', 'cid'],
    ['logo.png', 'other'],
    ['/logo.png', 'other'],
    ['#frag', 'other'],
    ['javascript:alert(1)', 'other'],
    ['about:blank', 'other'],
    ['http\x01://evil.example/', 'other'],
    ['http:evil.example/a.png', 'remote'],
    ['http:\\\\evil.example/a.png', 'remote'],
    ['file:///etc/passwd', 'other'],
  ])('%j is %s', (url, kind) => {
    expect(classifyUrl(url)).toBe(kind);
  });

  it('keeps https only when allowed, as the parser serializes it; never http or scheme-relative', () => {
    expect(judgeUrl('https://evil.example/a b.png', false).keep).toBeNull();
    expect(judgeUrl('https://evil.example/a b.png', true).keep).toBe('https://evil.example/a%20b.png');
    expect(judgeUrl('ht\ttps://evil.example/x', true).keep).toBe('https://evil.example/x');
    expect(judgeUrl('http://evil.example/x', true).keep).toBeNull();
    expect(judgeUrl('//evil.example/x', true).keep).toBeNull();
    expect(judgeUrl('\\\\evil.example/x', true).keep).toBeNull();
    expect(judgeUrl(PIXEL, false).keep).toBe(PIXEL);
  });
});

describe('srcset', () => {
  it('splits as HTML does: data: URLs keep their commas, descriptors stay', () => {
    expect(srcsetCandidates(`${PIXEL} 1x, https://evil.example/b.png 2x,//evil.example/c.png`)).toEqual([
      { url: PIXEL, descriptors: '1x' },
      { url: 'https://evil.example/b.png', descriptors: '2x' },
      { url: '//evil.example/c.png', descriptors: '' },
    ]);
  });
  it('drops every candidate that may not load and counts the remote ones', () => {
    const r = filterSrcset(`${PIXEL} 1x, https://evil.example/b.png 2x, \\\\evil.example/c.png 3x, rel.png 4x`, false);
    expect(r).toEqual({ value: `${PIXEL} 1x`, blocked: 2, dropped: 3 });
    expect(filterSrcset('https://ok.example/b.png 2x', true).value).toBe('https://ok.example/b.png 2x');
  });
});

describe('scrubCss', () => {
  const forms: [string, string][] = [
    ['plain url()', 'body{background:url(https://evil.example/a.png)}'],
    ['quoted url()', 'p{background-image:url( "https://evil.example/a.png" )}'],
    ['scheme-relative url()', "p{background:url('//evil.example/a.png')}"],
    ['http url()', 'p{background:url(http://evil.example/a.png)}'],
    ['@import with a space', '@import url(https://evil.example/a.css); p{color:red}'],
    ['@import"…" with no space', '@import"https://evil.example/a.css";p{color:red}'],
    ["@import'…' at the end", "@import'https://evil.example/a.css'"],
    ['@\\69mport', '@\\69mport "https://evil.example/a.css"; p{color:red}'],
    ['@IMPORT upper case', '@IMPORT url(//evil.example/a.css);'],
    ['\\75 rl( hex escape with its space', 'p{background:\\75 rl(https://evil.example/a.png)}'],
    ['u\\rl( escape', 'p{background:u\\rl(https://evil.example/a.png)}'],
    ['\\55\\52\\4c( all escaped', 'p{background:\\55\\52\\4c(https://evil.example/a.png)}'],
    ['escaped URL inside url()', 'p{background:url(https\\:\\/\\/evil.example/a.png)}'],
    ['escaped URL inside a string', 'p{background:url("\\68ttps://evil.example/a.png")}'],
    ['image-set() strings', 'p{background-image:image-set("https://evil.example/a.png" 1x, "https://evil.example/b.png" 2x)}'],
    ['image-set() url()', 'p{background-image:image-set(url(https://evil.example/a.png) 1x)}'],
    ['-webkit-image-set()', 'p{background-image:-webkit-image-set("https://evil.example/a.png" 1x)}'],
    ['image-set with an escaped name', 'p{background-image:image-\\73 et("//evil.example/a.png" 1x)}'],
    ['image() string', 'p{background-image:image("https://evil.example/a.png")}'],
    ['custom property holding url()', ':root{--bg:url(https://evil.example/a.png)} p{background:var(--bg)}'],
    ['custom property string through image-set(var())', ':root{--bg:"https://evil.example/a.png"} p{background:image-set(var(--bg) 1x)}'],
    ['\\\\host path', 'p{background:url(\\\\\\\\evil.example\\\\share\\\\a.png)}'],
    ['\\\\host in a string', "p{background:url('\\\\\\\\evil.example/a.png')}"],
    ['/\\host path', "p{background:url('/\\\\evil.example/a.png')}"],
    ['tab inside http:', 'p{background:url("ht\ttp://evil.example/a.png")}'],
    ['escaped tab inside http:', 'p{background:url("ht\\9 tp://evil.example/a.png")}'],
    ['newline escape inside http:', 'p{background:url("http:\\a //evil.example/a.png")}'],
    ['control character before http:', 'p{background:url("\\1 http://evil.example/a.png")}'],
    ['src() function', 'p{background:src("https://evil.example/a.png")}'],
    ['@font-face src', '@font-face{font-family:x;src:url(https://evil.example/f.woff2) format("woff2")}'],
    ['cursor, list-style and mask', 'p{cursor:url(https://e.example/c.cur),auto;list-style:url(//e.example/l.png);mask:url(http://e.example/m.svg)}'],
    ['CRLF and form feed between', 'p{background:\r\nurl(\fhttps://evil.example/a.png\r\n)}'],
    ['nested @media', '@media screen{@import url(//evil.example/a.css);p{background:url(//evil.example/a.png)}}'],
  ];
  it.each(forms)('%s: nothing remote is left', (_name, css) => {
    expect(remoteLeft(css), `precondition: the test input is remote`).not.toEqual([]);
    const out = scrubCss(css, false);
    expect(remoteLeft(out.css)).toEqual([]);
  });

  it('counts the blocked URLs (not @import, which always goes)', () => {
    expect(scrubCss('a{background:url(//x.example/a)} b{background:image-set("https://x.example/b" 1x)}', false).blocked).toBe(2);
    expect(scrubCss('@import "https://x.example/a.css";', false).blocked).toBe(0);
  });

  it('keeps data: images and everything else byte for byte', () => {
    const css = `p { color: red; background: url(${PIXEL}) no-repeat } /* c */ .x{background-image:image-set("${PIXEL}" 1x)}`;
    expect(scrubCss(css, false)).toEqual({ css, blocked: 0 });
  });

  it('only https survives when remote content is allowed, and @import never', () => {
    const out = scrubCss('@import url(https://x.example/a.css);a{background:url(https://x.example/a.png)}b{background:url(http://x.example/b.png)}c{background:url(//x.example/c.png)}', true);
    expect(out.css).toBe('/**/a{background:url(https://x.example/a.png)}b{background:none}c{background:none}');
    // Rewritten as the URL parser serializes it, so the browser cannot read it another way.
    expect(scrubCss('a{background:url("ht\\9 tps://x.example/a b.png")}', true).css).toBe('a{background:url("https://x.example/a%20b.png")}');
  });

  it('does not take what merely looks like a URL function for one', () => {
    for (const css of ['p{background:ur/**/l(https://x.example/a)}', 'p{width:1url(https://x.example/a)}', "p{content:'url(https://x.example/a)'}"]) {
      expect(scrubCss(css, false).css).toBe(css);
    }
  });

  it('is linear: 8x the input costs about 8x the time', () => {
    const unit = 'p{background:url(//e.example/a.png) \\75 rl("x") image-set("//e.example/b" 1x)} ';
    const time = (n: number) => {
      const css = unit.repeat(n);
      const t = performance.now();
      for (let r = 0; r < 3; r++) scrubCss(css, false);
      return performance.now() - t;
    };
    time(200);
    const small = time(2000);
    const big = time(16000);
    expect(big / small).toBeLessThan(24);
  });

  it('whatever the text, nothing remote is left and a second pass changes nothing (cuts never join tokens)', () => {
    const piece = fc.constantFrom(
      'url(',
      'u',
      'rl(',
      'URL(',
      '\\75 ',
      '\\72',
      'l(',
      '@import',
      '@\\69mport',
      '@media all{',
      '"https://e.example/a"',
      "'//e.example/b'",
      'https://e.example/c',
      ')',
      '(',
      ';',
      '{',
      '}',
      ' ',
      '\n',
      '\t',
      '/*',
      '*/',
      '\\',
      'image-set(',
      '-webkit-image-set(',
      'image(',
      'cross-fade(',
      'var(--x)',
      '--x:',
      'src(',
      'p',
      ':',
      ',',
      '"',
      "'",
      `${PIXEL}`,
      'background:',
      'x',
      '-',
      '1x',
      '#',
      '.',
      '<!--',
      '-->',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((a) => a.join('')),
        fc.boolean(),
        (css, allow) => {
          const once = scrubCss(css, allow).css;
          expect(remoteLeft(once).filter((u) => !allow || u === '@import' || u.startsWith('var(') || classifyUrl(u) !== 'https')).toEqual([]);
          expect(scrubCss(once, allow).css).toBe(once);
        },
      ),
      { numRuns: 3000 },
    );
    // A small alphabet, so pieces around a cut meet often.
    const near = fc.constantFrom('u', 'rl(', '@import"x";', 'https://e.example/c', ')', '\\75 ', ' ', 'image-', 'set("//e.example/d")');
    fc.assert(
      fc.property(
        fc.array(near, { maxLength: 12 }).map((a) => a.join('')),
        (css) => {
          const once = scrubCss(css, false).css;
          expect(remoteLeft(once)).toEqual([]);
          expect(scrubCss(once, false).css).toBe(once);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('cutting an @import never joins what was around it', () => {
    const css = 'p{background:u@import "x";rl(https://evil.example/a)}';
    expect(remoteLeft(scrubCss(css, false).css)).toEqual([]);
  });
});
