// One Content-Security-Policy for the app page (issue 18): the <meta> in renderer/index.html is the
// only policy a packaged Electron window gets (file: responses carry no headers), so the built page
// must carry exactly the policy the Electron session and the browser host send as a header.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CSP, APP_CSP_HEADER } from '../../shared/security/csp';
import { tempDir } from '../core/testing/tmp';
import { buildRenderer, repoRoot } from './buildRenderer';

function metaCsp(html: string): string[] {
  return [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => m[1]!);
}

describe('the app page CSP', () => {
  it('is strict: no wildcards, no remote scripts or connections, no eval or inline script', () => {
    expect(APP_CSP).not.toMatch(/\*|ws:|wss:|unsafe-eval|http:/);
    expect(APP_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(APP_CSP).toMatch(/connect-src 'self'(;|$)/);
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP_HEADER).toBe(`${APP_CSP}; frame-ancestors 'none'`);
  });

  it('the source index.html and the built one carry exactly that policy, once', async () => {
    expect(metaCsp(fs.readFileSync(path.join(repoRoot, 'renderer', 'index.html'), 'utf8'))).toEqual([APP_CSP]);
    const out = tempDir('canary-csp-');
    try {
      await buildRenderer(out.dir);
      expect(metaCsp(fs.readFileSync(path.join(out.dir, 'index.html'), 'utf8'))).toEqual([APP_CSP]);
    } finally {
      out.cleanup();
    }
  });
});
