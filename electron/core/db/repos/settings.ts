// The settings table (key → JSON value): app preferences such as spellcheck and notifications.
import { DEFAULT_SETTINGS, settingValueSchemas, type AppSettings, type NotificationSettings, type TeamSettings } from '../../../../shared/contract/settings';
import type { DB } from '../open';

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof AppSettings)[];

export function getSettings(db: DB): AppSettings {
  const out: AppSettings = structuredClone(DEFAULT_SETTINGS);
  const rows = db.prepare('SELECT key, value FROM settings WHERE key IN (' + KEYS.map(() => '?').join(', ') + ')').all(...KEYS) as { key: keyof AppSettings; value: string }[];
  for (const r of rows) {
    try {
      const v = settingValueSchemas[r.key].safeParse(JSON.parse(r.value));
      if (v.success) (out as unknown as Record<string, unknown>)[r.key] = v.data;
    } catch {
      // a damaged value: the default stands
    }
  }
  return out;
}

/** What settings.set takes: notifications may name only the fields that change. */
export interface SettingsChanges {
  spellcheck?: boolean | undefined;
  autoUpdate?: boolean | undefined;
  notifications?: Partial<NotificationSettings> | undefined;
  agentName?: string | undefined;
  team?: Partial<TeamSettings> | undefined;
  undoSendSeconds?: number | undefined;
}

/** Store the given settings (notifications merged into the stored ones); returns whether anything changed. */
export function setSettings(db: DB, changes: SettingsChanges): boolean {
  const before = getSettings(db);
  const after: AppSettings = {
    spellcheck: changes.spellcheck ?? before.spellcheck,
    autoUpdate: changes.autoUpdate ?? before.autoUpdate,
    notifications: { ...before.notifications, ...stripUndefined(changes.notifications ?? {}) },
    agentName: changes.agentName ?? before.agentName,
    team: { ...before.team, ...stripUndefined(changes.team ?? {}) },
    undoSendSeconds: changes.undoSendSeconds ?? before.undoSendSeconds,
  };
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  let changed = false;
  db.transaction(() => {
    for (const k of KEYS) {
      if (changes[k] === undefined) continue;
      const v = JSON.stringify(after[k]);
      put.run(k, v);
      if (JSON.stringify(before[k]) !== v) changed = true;
    }
  })();
  return changed;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
