// Names written in Cyrillic read in Latin letters, each way passports and mail commonly spell them
// ("Дмитрий Соколов" is also Dmitrii, Dmitri or Dmitry Sokolov), for matching X names against mail.
import type { PersonName } from './names';

/** Cyrillic letters (after accent folding: й reads и, ё reads е) in Latin, as passports and mail write them. */
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** The Latin spellings of a Cyrillic name part ("дмитрии" → dmitrii, dmitri, dmitry; "наталья" → natalya, natalia). */
function cyrillicReadings(t: string): string[] {
  if (!/^[\u0400-\u04ff]+$/.test(t)) return [];
  let out = '';
  for (const ch of t) {
    const l = CYRILLIC[ch];
    if (l === undefined) return [];
    out += l;
  }
  const forms = new Set([out]);
  // Endings written several ways: -ий (folded -ии) as -i, -y, -iy; -ья as -ia; -ей as -ei, -ey.
  if (out.endsWith('ii')) for (const e of ['i', 'y', 'iy']) forms.add(out.slice(0, -2) + e);
  if (out.endsWith('ei')) forms.add(`${out.slice(0, -2)}ey`);
  if (out.endsWith('ya') && t.endsWith('ья')) forms.add(`${out.slice(0, -2)}ia`);
  if (out.includes('ks')) forms.add(out.replace(/ks/g, 'x'));
  return [...forms];
}

/** A name written in Cyrillic read in Latin letters, each way it is commonly spelled (none for other names). */
export function latinReadings(p: PersonName): PersonName[] {
  const firsts = p.first ? cyrillicReadings(p.first) : [];
  const lasts = p.last ? cyrillicReadings(p.last) : [];
  if (!firsts.length && !lasts.length) return [];
  const out: PersonName[] = [];
  for (const f of firsts.length ? firsts : [p.first]) {
    for (const l of lasts.length ? lasts : [p.last]) {
      out.push({ ...p, first: f, last: l, firstInitial: f ? f[0]! : p.firstInitial, lastInitial: l ? l[0]! : p.lastInitial });
    }
  }
  return out;
}
