/** Parse a JSON column, falling back when it is NULL or damaged (a bad row never breaks a list). */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
