/** Minimal argv parsing: --flag value, --flag=value, --bool, and positionals. */
export interface ParsedArgv {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgv(argv: string[], booleanFlags: ReadonlySet<string> = new Set(['json', 'help', 'force'])): ParsedArgv {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
        continue;
      }
      const name = a.slice(2);
      const next = argv[i + 1];
      if (booleanFlags.has(name) || next === undefined || next.startsWith('--')) flags.set(name, true);
      else {
        flags.set(name, next);
        i++;
      }
      continue;
    }
    positionals.push(a);
  }
  return { positionals, flags };
}

export function flagString(p: ParsedArgv, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
