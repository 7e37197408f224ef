// The settings table (key → JSON value): app preferences such as spellcheck.
import { DEFAULT_SETTINGS, type AppSettings } from '../../../../shared/contract/settings';
import type { DB } from '../open';

export function getSettings(db: DB): AppSettings {
  const out: AppSettings = { ...DEFAULT_SETTINGS };
  const rows = db.prepare('SELECT key, value FROM settings WHERE key IN (' + Object.keys(DEFAULT_SETTINGS).map(() => '?').join(', ') + ')').all(...Object.keys(DEFAULT_SETTINGS)) as { key: keyof AppSettings; value: string }[];
  for (const r of rows) {
    try {
      const v: unknown = JSON.parse(r.value);
      if (typeof v === typeof DEFAULT_SETTINGS[r.key]) (out as unknown as Record<string, unknown>)[r.key] = v;
    } catch {
      // a damaged value: the default stands
    }
  }
  return out;
}

/** Store the given settings; returns whether anything changed. */
export function setSettings(db: DB, changes: Partial<AppSettings>): boolean {
  const before = getSettings(db);
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  let changed = false;
  db.transaction(() => {
    for (const [k, v] of Object.entries(changes) as [keyof AppSettings, AppSettings[keyof AppSettings]][]) {
      if (v === undefined) continue;
      put.run(k, JSON.stringify(v));
      if (before[k] !== v) changed = true;
    }
  })();
  return changed;
}
