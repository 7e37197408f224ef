import { describe, expect, it } from 'vitest';
import { checkLink, claimedBy, linkifyText } from './links';

describe('links: what a click opens and when to ask first', () => {
  it('opens at once when the text is not an address, or names the same host', () => {
    expect(checkLink('https://shop.example/orders/77', 'Track your order')).toEqual({ href: 'https://shop.example/orders/77', destination: 'shop.example', claimed: null, ask: false });
    expect(checkLink('https://www.shop.example/a', 'shop.example')).toMatchObject({ ask: false, claimed: 'shop.example' });
    expect(checkLink('https://shop.example/a', 'https://shop.example/a')).toMatchObject({ ask: false });
    expect(checkLink('https://shop.example/a', '<https://SHOP.example/b>.')).toMatchObject({ ask: false });
    expect(checkLink('mailto:Jane@Cust.example', 'jane@cust.example')).toMatchObject({ ask: false, destination: 'jane@cust.example' });
    expect(checkLink('mailto:jane@cust.example', 'Write to Jane')).toMatchObject({ ask: false });
  });

  it('asks when the text names another destination (phishing), showing the real one', () => {
    expect(checkLink('https://paypal.com.account-check.example/login', 'https://www.paypal.com/signin')).toEqual({
      href: 'https://paypal.com.account-check.example/login',
      destination: 'paypal.com.account-check.example',
      claimed: 'www.paypal.com',
      ask: true,
    });
    expect(checkLink('http://evil.example/', 'paypal.com')).toMatchObject({ ask: true, claimed: 'paypal.com', destination: 'evil.example' });
    // An internationalized look-alike is shown in its real (punycode) form.
    expect(checkLink('https://pаypal.com/', 'paypal.com')).toMatchObject({ ask: true, destination: 'xn--pypal-4ve.com' });
    // Text that is an email address but the link goes to a web page, and the other way round.
    expect(checkLink('https://evil.example/', 'support@shop.example')).toMatchObject({ ask: true });
    expect(checkLink('mailto:attacker@evil.example', 'support@shop.example')).toMatchObject({ ask: true, destination: 'attacker@evil.example' });
    expect(checkLink('mailto:attacker@evil.example', 'shop.example')).toMatchObject({ ask: true });
  });

  it('asks when the address hides its host behind user@ (https://paypal.com@evil.example)', () => {
    expect(checkLink('https://paypal.com@evil.example/', 'Log in')).toMatchObject({ ask: true, destination: 'evil.example' });
  });

  it('refuses what the app never opens', () => {
    for (const href of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'cid:part1', 'mailto:', 'relative/path', '']) {
      expect(checkLink(href, 'x'), href).toBeNull();
    }
  });

  it('reads what a text claims', () => {
    expect(claimedBy('Click here')).toBeNull();
    expect(claimedBy('www.shop.example')).toEqual({ kind: 'host', value: 'www.shop.example' });
    expect(claimedBy('shop.example/orders')).toEqual({ kind: 'host', value: 'shop.example' });
    expect(claimedBy('(jane@cust.example)')).toEqual({ kind: 'email', value: 'jane@cust.example' });
    expect(claimedBy('v1.2')).toBeNull();
  });

  it('turns web addresses in plain text into links, leaving sentence punctuation out', () => {
    expect(linkifyText('see https://shop.example/o/77. Thanks')).toEqual([{ text: 'see ' }, { text: 'https://shop.example/o/77', href: 'https://shop.example/o/77' }, { text: '. Thanks' }]);
    expect(linkifyText('(https://en.wikipedia.org/wiki/Canary_(bird))')).toEqual([
      { text: '(' },
      { text: 'https://en.wikipedia.org/wiki/Canary_(bird)', href: 'https://en.wikipedia.org/wiki/Canary_(bird)' },
      { text: ')' },
    ]);
    expect(linkifyText('no links, javascript:alert(1) neither')).toEqual([{ text: 'no links, javascript:alert(1) neither' }]);
    expect(linkifyText('')).toEqual([]);
  });
});
