import { CliError } from './types';

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

/** A flag's value when it is given: '' for a flag given without one (`--note` last), undefined when absent. */
export function flagGiven(p: ParsedArgv, name: string): string | undefined {
  return p.flags.has(name) ? (flagString(p, name) ?? '') : undefined;
}

/** A flag that takes one of `choices`: its value, undefined when absent; any other value is refused with the choices. */
export function flagChoice<T extends string>(p: ParsedArgv, name: string, choices: readonly T[]): T | undefined {
  const v = flagGiven(p, name);
  if (v !== undefined && !(choices as readonly string[]).includes(v)) throw new CliError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T | undefined;
}

/** A list given in one flag ("a; b;" with sep ';'): the items trimmed, empty ones left out. */
export function splitList(value: string, sep: string): string[] {
  return value
    .split(sep)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The secret in the environment variable a flag names (secrets never go on the command line); refused when it is empty or not set. */
export function envSecret(variable: string, flag: string): string {
  const v = process.env[variable];
  if (!v) throw new CliError(`the environment variable ${variable} (${flag}) is empty or not set`);
  return v;
}
