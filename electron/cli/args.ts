/** Minimal argv parsing: --flag value, --flag=value, --bool, and positionals. */
export interface ParsedArgv {
  positionals: string[];
  /** Each flag's value (the last, when given more than once). */
  flags: Map<string, string | true>;
  /** Every value given for each flag ("--attach a.pdf --attach b.png"), in order. */
  lists: Map<string, string[]>;
}

export function parseArgv(argv: string[], booleanFlags: ReadonlySet<string> = new Set(['json', 'help', 'force'])): ParsedArgv {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const set = (name: string, value: string | true) => {
    flags.set(name, value);
    if (typeof value === 'string') lists.set(name, [...(lists.get(name) ?? []), value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        set(a.slice(2, eq), a.slice(eq + 1));
        continue;
      }
      const name = a.slice(2);
      const next = argv[i + 1];
      if (booleanFlags.has(name) || next === undefined || next.startsWith('--')) set(name, true);
      else {
        set(name, next);
        i++;
      }
      continue;
    }
    positionals.push(a);
  }
  return { positionals, flags, lists };
}

export function flagString(p: ParsedArgv, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Every value given for a flag, in order ([] when none). */
export function flagStrings(p: ParsedArgv, name: string): string[] {
  return p.lists.get(name) ?? [];
}
