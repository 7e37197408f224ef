// Which Hunspell dictionaries Chromium checks the composer with (Windows and Linux; macOS uses the
// system's own checker and picks languages itself): the system's preferred languages that Chromium
// has a dictionary for, matched exactly or by base language (fr-CA takes fr or fr-FR), the first
// three; en-US when none matches.
export function spellLanguages(preferred: readonly string[], available: readonly string[]): string[] {
  const out: string[] = [];
  const add = (code: string | undefined) => {
    if (code && !out.includes(code) && out.length < 3) out.push(code);
  };
  const lower = available.map((a) => a.toLowerCase());
  for (const p of preferred) {
    const want = p.toLowerCase().replace('_', '-');
    const exact = lower.indexOf(want);
    if (exact >= 0) {
      add(available[exact]);
      continue;
    }
    const base = want.split('-')[0]!;
    const i = lower.findIndex((a) => a === base || a.split('-')[0] === base);
    if (i >= 0) add(available[i]);
  }
  if (!out.length) add(available.find((a) => a.toLowerCase() === 'en-us') ?? 'en-US');
  return out;
}
