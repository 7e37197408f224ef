// Attachment names shown and saved (issue 18, defect 6): no bidi or control character reaches the
// screen or the disk as written, and the real extension is always the visible end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayFilename, fileExtension, neutralizeName, saveFilename } from './filename';

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const OTHER_INVISIBLE = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u200b', '\u200d', '\u2060', '\ufeff', '\u2028', '\u2029', '\u00ad'];
const ANY_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

describe('attachment names', () => {
  it('the right-to-left override no longer turns invoice…fdp.exe into …exe.pdf', () => {
    const evil = 'invoice\u202Efdp.exe';
    expect(displayFilename(evil)).toBe('invoice_fdp.exe');
    expect(saveFilename(evil, 'x')).toBe('invoice_fdp.exe');
    expect(fileExtension(evil)).toBe('exe');
  });

  it.each([...BIDI, ...OTHER_INVISIBLE].map((c) => [c.codePointAt(0)!.toString(16).padStart(4, '0'), c]))('U+%s is made visible', (_hex, c) => {
    const name = `report${c}cod.pdf`;
    expect(displayFilename(name)).toBe('report_cod.pdf');
    expect(saveFilename(name, 'x')).toBe('report_cod.pdf');
  });

  it('isolates, embeddings and marks in a row become one mark, whitespace runs one space', () => {
    expect(neutralizeName('a\u2067\u202e\u200f\u2069b.txt')).toBe('a_b.txt');
    expect(displayFilename('photo.jpg                                                            .exe')).toBe('photo.jpg .exe');
    expect(neutralizeName('  tabs\tand\nnewlines.txt  ')).toBe('tabs_and_newlines.txt');
  });

  it('a long name is cut in the middle: the extension stays visible', () => {
    const long = `invoice.pdf${'-'.repeat(300)}.exe`;
    const shown = displayFilename(long);
    expect(Array.from(shown).length).toBeLessThanOrEqual(60);
    expect(shown.endsWith('.exe')).toBe(true);
    expect(shown).toContain('…');
    const saved = saveFilename(long, 'x');
    expect(saved.length).toBeLessThanOrEqual(200);
    expect(saved.endsWith('.exe')).toBe(true);
  });

  it('saving: no folders, no characters file systems refuse, no hidden or reserved names', () => {
    expect(saveFilename('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(saveFilename('..\\..\\boot.ini', 'x')).toBe('_.._boot.ini');
    expect(saveFilename('.bashrc', 'x')).toBe('bashrc');
    expect(saveFilename('a:b*c?d"e<f>g|h.txt', 'x')).toBe('a_b_c_d_e_f_g_h.txt');
    expect(saveFilename('CON.txt', 'x')).toBe('_CON.txt');
    expect(saveFilename('trailing. . .', 'x')).toBe('trailing');
    expect(saveFilename('\u202e\u202e', 'attachment-3')).toBe('_');
    expect(saveFilename('', 'attachment-3')).toBe('attachment-3');
    expect(displayFilename('')).toBe('attachment');
    expect(saveFilename('Olé café 日本.pdf', 'x')).toBe('Olé café 日本.pdf');
  });

  it('whatever the name, nothing invisible survives and the real extension is what the saved name ends with', () => {
    const chars = fc.oneof(fc.constantFrom(...BIDI, ...OTHER_INVISIBLE, '.', '/', '\\', ' ', '\t', '\n', 'a', 'Z', '7', 'é', '\u05d0', '\u0627', '😀'), fc.string({ unit: 'grapheme', maxLength: 1 }));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 400 }), fc.constantFrom('exe', 'pdf', 'js', 'html', 'scr'), (parts, ext) => {
        const name = `x${parts.join('')}.${ext}`;
        const shown = displayFilename(name);
        const saved = saveFilename(name, 'fallback');
        expect(shown).not.toMatch(ANY_INVISIBLE);
        expect(saved).not.toMatch(ANY_INVISIBLE);
        expect(saved).not.toMatch(/[/\\]/);
        expect(Array.from(shown).length).toBeLessThanOrEqual(60);
        expect(saved.length).toBeLessThanOrEqual(200);
        expect(shown.endsWith(`.${ext}`)).toBe(true);
        expect(saved.endsWith(`.${ext}`)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
