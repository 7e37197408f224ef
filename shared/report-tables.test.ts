import { describe, expect, it } from 'vitest';
import { csvCell, tableCsv } from './report-tables';

describe('report CSV', () => {
  it('quotes commas, quotes and line breaks, leaves numbers bare, writes null as empty', () => {
    expect(csvCell(12)).toBe('12');
    expect(csvCell(null)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('keeps a spreadsheet from running a tag or account name as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@home')).toBe("'@home");
    expect(csvCell(-5)).toBe('-5');
  });

  it('writes a header and one CRLF line per row', () => {
    expect(
      tableCsv({
        name: 't',
        columns: ['key', 'escalations'],
        rows: [
          ['refund', 2],
          ['a,b', 1],
        ],
      }),
    ).toBe('key,escalations\r\nrefund,2\r\n"a,b",1\r\n');
  });
});
