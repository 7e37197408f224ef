// App preferences kept by the core (the settings table), read by the renderer and by the Electron
// shell. Today one: spellcheck, off by default because Chromium downloads its Hunspell dictionaries
// from a Google server on Windows and Linux (macOS uses the system's own spellchecker).
import { z } from 'zod';

export const settingsSchemas = {
  'settings.get': z.object({}).strict(),
  /** Change what is given; returns all settings. Emits 'settings.changed'. */
  'settings.set': z.object({ spellcheck: z.boolean().optional() }).strict(),
} as const;

export interface AppSettings {
  /** Check spelling while typing (may download dictionaries from Google, see above). */
  spellcheck: boolean;
}

export const DEFAULT_SETTINGS: AppSettings = { spellcheck: false };

export interface SettingsResults {
  'settings.get': AppSettings;
  'settings.set': AppSettings;
}
