// Time zones for the forms that take one (business hours, quiet hours): this computer's own, and
// the IANA names the browser knows, for suggestions.

/** This computer's time zone (UTC when the browser cannot say). */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** The IANA time zones the browser knows (none on an older one: the field still takes any name). */
export function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}
