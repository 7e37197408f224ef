import { describe, expect, it } from 'vitest';
import { MAX_EXTERNAL_URL, externalUrl } from './external';

describe('links opened outside the app (shell.openExternal)', () => {
  it('any web address opens, not only a few hosts', () => {
    expect(externalUrl('https://shop.example/orders/77?x=1#top')).toBe('https://shop.example/orders/77?x=1#top');
    expect(externalUrl('http://intranet.local:8080/wiki')).toBe('http://intranet.local:8080/wiki');
    expect(externalUrl('https://x.com/alice/status/1')).toBe('https://x.com/alice/status/1');
    expect(externalUrl('mailto:jane@cust.example?subject=Order')).toBe('mailto:jane@cust.example?subject=Order');
  });

  it('is handed over normalized: an internationalized host as punycode, spaces escaped', () => {
    expect(externalUrl('https://bücher.example/a b')).toBe('https://xn--bcher-kva.example/a%20b');
    expect(externalUrl('HTTPS://Shop.Example')).toBe('https://shop.example/');
  });

  it('refuses everything else: scripts, local files, data, other programs, junk', () => {
    for (const bad of [
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ms-msdt:/id PCWDiagnostic',
      'smb://server/share',
      'chrome://settings',
      'about:blank',
      'https://',
      'mailto:',
      'not a url',
      '',
      undefined,
      42,
      `https://shop.example/${'a'.repeat(MAX_EXTERNAL_URL)}`,
    ]) {
      expect(externalUrl(bad), String(bad)).toBeNull();
    }
  });
});
