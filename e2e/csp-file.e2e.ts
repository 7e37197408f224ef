// The built app page opened from file://, as a packaged Electron window opens it (no response
// headers there): its <meta> policy alone must hold. Remote connections, WebSockets to any local
// port, inline and remote scripts and plugins are refused, and the policy is the app's one policy.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { APP_CSP } from '../shared/security/csp';
import { defaultStaticDir } from '../electron/server/buildRenderer';

test('under file:// the built page enforces the one strict policy', async ({ page }) => {
  // Anything that reaches the network layer (a blocked load never does) is answered here and counted.
  const requests: string[] = [];
  await page.route(/^(https?|wss?):/, (r) => {
    requests.push(r.request().url());
    return r.fulfill({ status: 404, body: '' });
  });
  await page.goto(pathToFileURL(path.join(defaultStaticDir, 'index.html')).toString());
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(APP_CSP);
  const violations = await page.evaluate(async () => {
    const seen: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
    const tries: Promise<unknown>[] = [];
    tries.push(fetch('https://evil.example/x').catch(() => null));
    for (const u of ['ws://127.0.0.1:5173/', 'ws://localhost:9/']) {
      try {
        new WebSocket(u);
      } catch {
        seen.push(`threw ${u}`);
      }
    }
    const inline = document.createElement('script');
    inline.textContent = 'window.__ran = true';
    document.head.append(inline);
    const remote = document.createElement('script');
    remote.src = 'https://evil.example/x.js';
    document.head.append(remote);
    const obj = document.createElement('object');
    obj.data = 'https://evil.example/x.swf';
    document.body.append(obj);
    await Promise.all(tries);
    await new Promise((r) => setTimeout(r, 300));
    return { seen, ran: (window as unknown as { __ran?: boolean }).__ran === true };
  });
  expect(violations.ran).toBe(false);
  const directives = violations.seen.map((s) => s.split(' ')[0]);
  expect(directives).toEqual(expect.arrayContaining(['connect-src', 'script-src-elem', 'object-src']));
  expect(violations.seen.filter((s) => s.startsWith('connect-src')).length).toBe(3);
  expect(requests).toEqual([]);
});
