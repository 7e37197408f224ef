// Search snippets arrive with matches between \u0002 and \u0003; render them as <mark> elements
// through React (text nodes only, never innerHTML).
import type { ReactNode } from 'react';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../shared/domain/types';

export function splitSnippet(s: string): { text: string; hit: boolean }[] {
  const out: { text: string; hit: boolean }[] = [];
  let hit = false;
  let buf = '';
  for (const ch of s) {
    if (ch === SNIPPET_OPEN || ch === SNIPPET_CLOSE) {
      if (buf) out.push({ text: buf, hit });
      buf = '';
      hit = ch === SNIPPET_OPEN;
      continue;
    }
    buf += ch;
  }
  if (buf) out.push({ text: buf, hit });
  return out;
}

export function Snippet({ text }: { text: string }): ReactNode {
  return splitSnippet(text).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>));
}
