// App preferences kept by the core (the settings table), read by the renderer and by the Electron
// shell: spellcheck, off by default because Chromium downloads its Hunspell dictionaries from a
// Google server on Windows and Linux (macOS uses the system's own spellchecker); and which desktop
// notifications the core raises (electron/core/notify), with quiet hours; and whether the desktop app
// looks for updates (electron-updater, at the feed electron-builder.yml names), off by default.
import { z } from 'zod';
import { hhmm, validZone } from './goals';

/** Quiet hours: from `from` to `to` (wall clock in `timeZone`; 22:00 to 07:00 spans midnight) nothing is shown. */
export const quietHoursSchema = z
  .object({
    from: hhmm,
    to: hhmm,
    /** IANA time zone, e.g. Europe/Paris. */
    timeZone: z.string().max(64).refine(validZone, 'not a time zone (IANA name such as Europe/Paris)'),
  })
  .strict()
  .refine((q) => q.from !== q.to, 'quiet hours start and end at different times');

export const notificationSettingsSchema = z
  .object({
    /** A conversation newly escalated (the customer emailed, then complained on X). */
    escalated: z.boolean(),
    /** A conversation newly marked a likely escalation. */
    likely: z.boolean(),
    /** An at-risk conversation passes its reply goal (due → overdue). */
    overdue: z.boolean(),
    quietHours: quietHoursSchema.nullable(),
  })
  .strict();

/** The owner's name as signed in replies: saved replies' {agent} (electron/core/saved-replies). */
const agentNameSchema = z
  .string()
  .max(200)
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .refine((s) => s.length <= 80, 'a name is at most 80 characters');

/**
 * Team mode (electron/core/team, preview): off by default. When on, this copy shares conversation
 * state with teammates through an append-only log folder on one email account's IMAP server; each
 * event names its author as `name` and `address` (empty: the agent name and the account's address).
 */
export const teamSettingsSchema = z
  .object({
    enabled: z.boolean(),
    name: z
      .string()
      .max(200)
      .transform((s) => s.trim().replace(/\s+/g, ' '))
      .refine((s) => s.length <= 80, 'a name is at most 80 characters'),
    address: z
      .string()
      .trim()
      .max(320)
      .refine((s) => s === '' || /^[^\s@]+@[^\s@]+$/.test(s), 'not an email address'),
    /** The email account whose server holds the log (null: the first enabled email account). */
    accountId: z.number().int().positive().nullable(),
  })
  .strict();

/** Seconds a reply from the composer waits in the outbox for Undo (0: sent at once). */
const undoSendSecondsSchema = z.number().int().min(0).max(30);

export type TeamSettings = z.output<typeof teamSettingsSchema>;
export type QuietHours = z.output<typeof quietHoursSchema>;
export type NotificationSettings = z.output<typeof notificationSettingsSchema>;
export type NotifyKind = 'escalated' | 'likely' | 'overdue';

export const settingsSchemas = {
  'settings.get': z.object({}).strict(),
  /** Change what is given (notifications: the fields given, the others kept); returns all settings. Emits 'settings.changed'. */
  'settings.set': z
    .object({
      spellcheck: z.boolean().optional(),
      autoUpdate: z.boolean().optional(),
      notifications: notificationSettingsSchema.partial().strict().optional(),
      agentName: agentNameSchema.optional(),
      team: teamSettingsSchema.partial().strict().optional(),
      undoSendSeconds: undoSendSecondsSchema.optional(),
    })
    .strict(),
} as const;

export interface AppSettings {
  /** Check spelling while typing (may download dictionaries from Google, see above). */
  spellcheck: boolean;
  /** The desktop app checks its update feed and installs a new version on quit (packaged builds only). */
  autoUpdate: boolean;
  notifications: NotificationSettings;
  /** The owner's name, filled in for {agent} in saved replies ('' until set). */
  agentName: string;
  /** Team mode (preview), off by default. */
  team: TeamSettings;
  /** Seconds a reply (email or X) from the composer waits in the outbox, so Undo can take it back (0: sent at once). */
  undoSendSeconds: number;
}

export const DEFAULT_SETTINGS: AppSettings = {
  spellcheck: false,
  autoUpdate: false,
  notifications: { escalated: true, likely: true, overdue: true, quietHours: null },
  agentName: '',
  team: { enabled: false, name: '', address: '', accountId: null },
  undoSendSeconds: 5,
};

/** Each stored setting's schema: a stored value that fails it is ignored (the default stands). */
export const settingValueSchemas: { [K in keyof AppSettings]: z.ZodType<AppSettings[K]> } = {
  spellcheck: z.boolean(),
  autoUpdate: z.boolean(),
  notifications: notificationSettingsSchema,
  agentName: z.string().max(80),
  team: teamSettingsSchema,
  undoSendSeconds: undoSendSecondsSchema,
};

export interface SettingsResults {
  'settings.get': AppSettings;
  'settings.set': AppSettings;
}
