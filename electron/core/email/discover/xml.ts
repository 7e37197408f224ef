// A small XML parser for the Thunderbird autoconfig document, and nothing more: elements, attributes,
// text, CDATA, comments and processing instructions. A DOCTYPE is refused outright (so no entity is
// ever declared, let alone expanded: no "billion laughs", no external entity); only the five
// predefined entities and character references are decoded, any other is an error. The caller caps
// the size; depth and element count are capped here.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {}

const MAX_DEPTH = 32;
const MAX_ELEMENTS = 5_000;
const NAME = /^[A-Za-z_][\w.:-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&([^;&\s]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new XmlError(`a bare "&" near offset ${at}`);
    if (ref in PREDEFINED) return PREDEFINED[ref]!;
    const num = /^#x([0-9a-fA-F]{1,6})$/.exec(ref) ?? /^#([0-9]{1,7})$/.exec(ref);
    if (num) {
      const cp = parseInt(num[1]!, ref[1] === 'x' ? 16 : 10);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new XmlError(`an invalid character reference &${ref};`);
      return String.fromCodePoint(cp);
    }
    throw new XmlError(`an undeclared entity &${ref}; (entities are not expanded)`);
  });
}

/** The document's root element; throws XmlError on anything malformed or outside the subset. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  let count = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  if (src.charCodeAt(0) === 0xfeff) i = 1;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = src.slice(i, lt === -1 ? src.length : lt);
    if (text.length) {
      const top = stack[stack.length - 1];
      if (top) top.text += decode(text, i);
      else if (text.trim()) throw new XmlError(`text outside the root element at offset ${i}`);
    }
    if (lt === -1) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end === -1) throw new XmlError('an unclosed comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      if (end === -1) throw new XmlError('an unclosed CDATA section');
      const top = stack[stack.length - 1];
      if (!top) throw new XmlError('CDATA outside the root element');
      top.text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('<!', i)) {
      // <!DOCTYPE …> and anything like it: the only way to declare entities, so never accepted.
      throw new XmlError('the document declares a DOCTYPE (refused: entities are never expanded)');
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end === -1) throw new XmlError('an unclosed processing instruction');
      i = end + 2;
    } else if (src.startsWith('</', i)) {
      const m = NAME.exec(src.slice(i + 2, i + 2 + 256));
      const close = m ? src.indexOf('>', i + 2 + m[0].length) : -1;
      if (!m || close === -1 || src.slice(i + 2 + m[0].length, close).trim()) throw new XmlError(`a malformed end tag at offset ${i}`);
      const top = stack.pop();
      if (!top || top.name !== m[0]) throw new XmlError(`</${m[0]}> does not close ${top ? `<${top.name}>` : 'anything'}`);
      i = close + 1;
    } else {
      const m = NAME.exec(src.slice(i + 1, i + 1 + 256));
      if (!m) throw new XmlError(`a malformed tag at offset ${i}`);
      if (root && !stack.length) throw new XmlError('a second root element');
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      if (++count > MAX_ELEMENTS) throw new XmlError(`more than ${MAX_ELEMENTS} elements`);
      let j = i + 1 + m[0].length;
      let selfClosing = false;
      for (;;) {
        while (j < src.length && /\s/.test(src[j]!)) j++;
        if (src[j] === '>') {
          j++;
          break;
        }
        if (src.startsWith('/>', j)) {
          selfClosing = true;
          j += 2;
          break;
        }
        const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(src.slice(j, j + 4096));
        if (!a) throw new XmlError(`a malformed attribute in <${el.name}> at offset ${j}`);
        if (a[1]! in el.attrs) throw new XmlError(`attribute ${a[1]} given twice in <${el.name}>`);
        el.attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', j);
        j += a[0].length;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_DEPTH}`);
        stack.push(el);
      }
      i = j;
    }
  }
  if (stack.length) throw new XmlError(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new XmlError('no root element');
  return root;
}

/** Child elements by name (the namespace prefix ignored). */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name || c.name.endsWith(`:${name}`));
}

/** The trimmed text of the first child of that name, or null. */
export function childText(el: XmlElement, name: string): string | null {
  const c = childrenNamed(el, name)[0];
  return c ? c.text.trim() : null;
}
