// Names in Arabic script against their Latin spellings. Arabic writes consonants and long vowels,
// Latin spellings vary in vowels and doubling ("Mohammed", "Muhammad", "محمد"; "Youssef", "Yusuf",
// "يوسف"), so both are compared by their consonants: the letters each way maps to, short vowels and
// y inside a word dropped, a long u kept as w (و; "ou", "oo"), doubled letters once, digraphs (kh,
// sh, th, dh, gh) as one sound. Short skeletons collide too easily to count. "Yusuf" (no long u
// written) does not meet يوسف: no fit, and no conflict either (another script never conflicts).

const ARABIC: Record<string, string> = {
  ا: '',
  أ: '',
  إ: '',
  آ: '',
  ء: '',
  ئ: '',
  ؤ: '',
  ى: '',
  ة: '',
  ع: '',
  ب: 'b',
  ت: 't',
  ث: 't',
  ج: 'j',
  ح: 'h',
  خ: 'k',
  د: 'd',
  ذ: 'd',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 's',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  غ: 'g',
  ف: 'f',
  ق: 'k',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  و: 'w',
  ي: 'y',
};

/** The letters that stand for one consonant in Latin spellings of Arabic names. */
const LATIN_DIGRAPHS: [RegExp, string][] = [
  [/kh/g, 'k'],
  [/sh/g, 's'],
  [/th/g, 't'],
  [/dh/g, 'd'],
  [/gh/g, 'g'],
  [/ou/g, 'w'],
  [/oo/g, 'w'],
  [/q/g, 'k'],
  [/c/g, 'k'],
  [/x/g, 'ks'],
];

function squeeze(letters: string[]): string {
  // y inside a word is a vowel here (ي, "ei", "ay"); at its start a consonant. w stays: و and "ou"
  // or "oo" write a long u, which tells Mahmoud (محمود) from Mohammed (محمد).
  const kept = letters.filter((l, i) => l !== '' && !(i > 0 && l === 'y'));
  let out = '';
  for (const l of kept) if (out[out.length - 1] !== l) out += l;
  return out;
}

/** The consonant skeleton of a name part in Arabic script ("محمد" → "mhmd"), or null for other text. */
export function arabicSkeleton(word: string): string | null {
  if (!/^[\u0600-\u06ff]+$/.test(word)) return null;
  const letters: string[] = [];
  for (const ch of word) {
    const l = ARABIC[ch];
    if (l === undefined) {
      // Diacritics (harakat, shadda) are skipped; other letters make the word unreadable here.
      if (/[\u064b-\u065f\u0670]/.test(ch)) continue;
      return null;
    }
    letters.push(l);
  }
  return squeeze(letters);
}

/** The consonant skeleton of a Latin name part ("mohammed" → "mhmd", "al-farsi" → "lfrs"), or null. */
export function latinSkeleton(word: string): string | null {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return null;
  for (const [re, to] of LATIN_DIGRAPHS) w = w.replace(re, to);
  return squeeze([...w].map((c) => ('aeio'.includes(c) || c === 'u' ? '' : c)));
}

/**
 * Whether a name part in Arabic script and one in Latin letters can be the same name: equal
 * consonant skeletons of at least `min` letters (3 by default: "ftm" for Fatima, "ysf" for Youssef).
 */
export function skeletonsFit(a: string, b: string, min = 3): boolean {
  // Most pairs scored are two Latin names: neither is Arabic, and the Latin skeleton is never worked out.
  const sa = arabicSkeleton(a);
  const [arabic, latin] = sa !== null ? [sa, b] : [arabicSkeleton(b), a];
  return arabic !== null && arabic.length >= min && latinSkeleton(latin) === arabic;
}
