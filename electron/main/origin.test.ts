// The shell's "is this our page?" check (issue 18): exact origins in development, the exact
// index.html when packaged; never a prefix match.
import { describe, expect, it } from 'vitest';
import { isAppUrl, isFrameDocument } from './origin';

describe('isAppUrl', () => {
  const dev = 'http://localhost:5173/';
  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/index.html?x=1#/inbox', true],
    ['http://localhost:5173.evil.example/', false],
    ['http://localhost:51730/', false],
    ['http://localhost:5173@evil.example/', false],
    ['https://localhost:5173/', false],
    ['http://127.0.0.1:5173/', false],
    ['ws://localhost:5173/', false],
    ['file:///app/out/renderer/index.html', false],
    ['not a url', false],
  ])('dev server: %s → %s', (url, ok) => {
    expect(isAppUrl(url, dev)).toBe(ok);
  });

  const packaged = 'file:///opt/Canary/resources/app.asar/out/renderer/index.html';
  it.each([
    [packaged, true],
    [`${packaged}#/inbox`, true],
    ['file:///opt/Canary/resources/app.asar/out/renderer/index.html.evil', false],
    ['file:///opt/Canary/resources/app.asar/out/renderer/other.html', false],
    ['file:///opt/Canary/resources/app.asar/out/renderer/../../../../../tmp/x.html', false],
    ['file://evil.example/opt/Canary/resources/app.asar/out/renderer/index.html', false],
    ['http://localhost:5173/', false],
  ])('packaged: %s → %s', (url, ok) => {
    expect(isAppUrl(url, packaged)).toBe(ok);
  });

  it('an app URL of another scheme never matches', () => {
    expect(isAppUrl('data:text/html,x', 'data:text/html,x')).toBe(false);
  });

  it('subframes may show only their own document', () => {
    expect(isFrameDocument('about:srcdoc')).toBe(true);
    expect(isFrameDocument('about:blank')).toBe(true);
    expect(isFrameDocument('https://evil.example/')).toBe(false);
    expect(isFrameDocument('about:srcdoc#x')).toBe(false);
  });
});
