// Attachment names as a person sees and saves them. A sender chooses the name, so it may carry bidi
// controls that reorder what is shown (`invoice<U+202E>fdp.exe` reads as "invoiceexe.pdf"), other
// invisible format or control characters, runs of spaces that push the extension out of sight, or
// path pieces. One place decides, used by the renderer's chip and download, the core's attachments.get
// and forward, and the Electron save dialog: every control, format (bidi marks and isolates, zero
// widths, U+061C, U+FEFF) and line/paragraph separator becomes '_' (visible, so tampering shows), and
// the real extension (the text after the last dot) is always kept at the end when a name is shortened.

/** Controls (Cc), format characters (Cf: every bidi embedding/override/isolate/mark, zero widths), line and paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;
/** Characters no file system takes in a name, plus path separators. */
const PATH_CHARS = /[/\\:*?"<>|]+/g;
/** Names Windows reserves whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

/** The name with every control and format character (bidi included) made a visible '_' and whitespace runs one space. */
export function neutralizeName(name: string): string {
  return name.replace(INVISIBLE, '_').replace(/\s+/gu, ' ').trim();
}

/** The real extension, lower-cased, without the dot ('' when none): what the file system will go by. */
export function fileExtension(name: string): string {
  const n = neutralizeName(name);
  const dot = n.lastIndexOf('.');
  if (dot <= 0 || dot === n.length - 1) return '';
  return n.slice(dot + 1).toLowerCase();
}

/** Shorten to at most `max` code points, cutting in the middle so the extension stays at the end. */
function shorten(name: string, max: number, mark: string): string {
  const cps = Array.from(name);
  if (cps.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? Array.from(name.slice(dot)).length : 0;
  // The extension and a few characters before it; a very long "extension" keeps a third of the room.
  const tail = ext > 0 && ext <= 16 ? ext + 6 : Math.floor(max / 3);
  const head = max - tail - Array.from(mark).length;
  return cps.slice(0, head).join('') + mark + cps.slice(cps.length - tail).join('');
}

/** The name to show on a chip: neutralized, at most `max` characters, extension always visible. */
export function displayFilename(name: string, fallback = 'attachment', max = 60): string {
  const n = neutralizeName(name);
  return n ? shorten(n, max, '…') : fallback;
}

/** The name to save under: neutralized, no folders or characters a file system refuses, no leading dots, extension kept. */
export function saveFilename(name: string, fallback: string): string {
  let n = neutralizeName(name)
    .replace(PATH_CHARS, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!n) return fallback;
  if (RESERVED.test(n)) n = `_${n}`;
  return shorten(n, 200, '_');
}
