import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, newSecretRef } from './store';

describe('FileSecretStore', () => {
  it('keeps secrets in a 0600 file and round-trips them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-secrets-'));
    const file = path.join(dir, 'credentials.json');
    const store = new FileSecretStore(file);
    const ref = newSecretRef('imap');
    store.set(ref, 'hunter2');
    expect(store.get(ref)).toBe('hunter2');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(new FileSecretStore(file).get(ref)).toBe('hunter2');
    store.delete(ref);
    expect(store.get(ref)).toBeNull();
  });

  it('encrypts values when given a cipher', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-secrets-'));
    const file = path.join(dir, 'credentials.json');
    const cipher = {
      kind: 'test cipher',
      encrypt: (s: string) => Buffer.from([...s].reverse().join(''), 'utf8'),
      decrypt: (b: Buffer) => [...b.toString('utf8')].reverse().join(''),
    };
    const store = new FileSecretStore(file, cipher);
    store.set('x:1', 'secret-token');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('secret-token');
    expect(store.get('x:1')).toBe('secret-token');
  });
});
