// Built-in settings for the big providers: by the address's domain (source "preset"), and by the MX
// hosts of a domain whose mail they host (source "mx": Google Workspace, Microsoft 365, …). Values as
// the providers publish them (and as Thunderbird's ISPDB has them), checked 2026-12.
import type { DiscoveredSettings, MailAuth } from '../../../../shared/contract/accounts';
import type { EmailServerView } from '../../../../shared/contract/email';

export interface Preset {
  id: string;
  /** Shown as where the settings came from. */
  provider: string;
  imap: EmailServerView;
  smtp: EmailServerView;
  auth: MailAuth;
  /** The IMAP login: the whole address or its local part; SMTP's when it differs. */
  user: 'address' | 'local';
  smtpUser?: 'address' | 'local';
  /** Address domains served by this provider (exact match, lower case). */
  domains: string[];
  /** MX host suffixes that mean this provider hosts a domain's mail. */
  mx: string[];
  note?: string;
}

const ssl = (host: string, port = 993): EmailServerView => ({ host, port, tls: 'on' });
const starttls = (host: string, port = 587): EmailServerView => ({ host, port, tls: 'starttls' });

export const PRESETS: readonly Preset[] = [
  {
    id: 'google',
    provider: 'Google (Gmail, Google Workspace)',
    imap: ssl('imap.gmail.com'),
    smtp: ssl('smtp.gmail.com', 465),
    auth: 'oauth2-google',
    user: 'address',
    domains: ['gmail.com', 'googlemail.com'],
    mx: ['google.com', 'googlemail.com'],
  },
  {
    id: 'microsoft',
    provider: 'Microsoft (Outlook.com, Microsoft 365)',
    imap: ssl('outlook.office365.com'),
    smtp: starttls('smtp.office365.com'),
    auth: 'oauth2-microsoft',
    user: 'address',
    domains: [
      'outlook.com',
      'hotmail.com',
      'live.com',
      'msn.com',
      'hotmail.co.uk',
      'hotmail.fr',
      'hotmail.de',
      'hotmail.it',
      'hotmail.es',
      'live.co.uk',
      'live.fr',
      'live.de',
      'outlook.de',
      'outlook.fr',
      'outlook.es',
      'outlook.it',
      'passport.com',
    ],
    mx: ['mail.protection.outlook.com', 'olc.protection.outlook.com', 'mail.eo.outlook.com'],
  },
  {
    id: 'icloud',
    provider: 'iCloud Mail',
    imap: ssl('imap.mail.me.com'),
    smtp: starttls('smtp.mail.me.com'),
    auth: 'password',
    user: 'local',
    smtpUser: 'address',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    mx: ['mail.icloud.com'],
    note: 'iCloud needs an app-specific password (appleid.apple.com → Sign-In and Security).',
  },
  {
    id: 'yahoo',
    provider: 'Yahoo Mail',
    imap: ssl('imap.mail.yahoo.com'),
    smtp: ssl('smtp.mail.yahoo.com', 465),
    auth: 'password',
    user: 'address',
    domains: ['yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.es', 'yahoo.it', 'yahoo.ca', 'yahoo.com.au', 'yahoo.co.jp', 'yahoo.co.in'],
    mx: ['yahoodns.net'],
    note: 'Yahoo needs an app password (Account security → Generate app password).',
  },
  {
    id: 'aol',
    provider: 'AOL Mail',
    imap: ssl('imap.aol.com'),
    smtp: ssl('smtp.aol.com', 465),
    auth: 'password',
    user: 'address',
    domains: ['aol.com', 'aim.com', 'aol.co.uk', 'aol.de', 'aol.fr'],
    mx: [],
    note: 'AOL needs an app password (Account security → Generate app password).',
  },
  {
    id: 'fastmail',
    provider: 'Fastmail',
    imap: ssl('imap.fastmail.com'),
    smtp: ssl('smtp.fastmail.com', 465),
    auth: 'password',
    user: 'address',
    domains: [
      'fastmail.com',
      'fastmail.fm',
      'fastmail.net',
      'fastmail.org',
      'fastmail.us',
      'fastmail.to',
      'fastmail.cn',
      'fastmail.de',
      'fastmail.es',
      'fastmail.fr',
      'fastmail.in',
      'fastmail.jp',
      'fastmail.nl',
      'fastmail.se',
      'fastmail.uk',
      'messagingengine.com',
      'sent.com',
    ],
    mx: ['messagingengine.com'],
    note: 'Fastmail needs an app password (Settings → Privacy & Security → App passwords).',
  },
  {
    id: 'zoho',
    provider: 'Zoho Mail',
    imap: ssl('imap.zoho.com'),
    smtp: ssl('smtp.zoho.com', 465),
    auth: 'password',
    user: 'address',
    domains: ['zoho.com', 'zohomail.com'],
    mx: ['zoho.com'],
    note: 'Zoho needs IMAP access turned on (Settings → Mail Accounts → IMAP), and an app password with two-factor sign-in.',
  },
  {
    id: 'zoho-eu',
    provider: 'Zoho Mail (EU)',
    imap: ssl('imap.zoho.eu'),
    smtp: ssl('smtp.zoho.eu', 465),
    auth: 'password',
    user: 'address',
    domains: ['zoho.eu', 'zohomail.eu'],
    mx: ['zoho.eu'],
    note: 'Zoho needs IMAP access turned on (Settings → Mail Accounts → IMAP), and an app password with two-factor sign-in.',
  },
  {
    id: 'gmx',
    provider: 'GMX',
    imap: ssl('imap.gmx.net'),
    smtp: starttls('mail.gmx.net'),
    auth: 'password',
    user: 'address',
    domains: ['gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', 'gmx.eu', 'gmx.li'],
    mx: ['gmx.net'],
    note: 'GMX needs POP3/IMAP access turned on (Settings → POP3 & IMAP).',
  },
  {
    id: 'gmx-com',
    provider: 'GMX (gmx.com)',
    imap: ssl('imap.gmx.com'),
    smtp: starttls('mail.gmx.com'),
    auth: 'password',
    user: 'address',
    domains: ['gmx.com', 'gmx.us', 'gmx.co.uk', 'gmx.fr', 'gmx.es'],
    mx: ['gmx.com'],
    note: 'GMX needs POP3/IMAP access turned on (Settings → POP3 & IMAP).',
  },
  {
    id: 'webde',
    provider: 'WEB.DE',
    imap: ssl('imap.web.de'),
    smtp: starttls('smtp.web.de'),
    auth: 'password',
    user: 'address',
    domains: ['web.de'],
    mx: ['web.de'],
    note: 'WEB.DE needs POP3/IMAP access turned on (Settings → POP3/IMAP).',
  },
  {
    id: 'proton',
    provider: 'Proton Mail (through Proton Mail Bridge on this computer)',
    imap: starttls('127.0.0.1', 1143),
    smtp: starttls('127.0.0.1', 1025),
    auth: 'password',
    user: 'address',
    domains: ['proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me'],
    mx: ['protonmail.ch'],
    note: 'Proton Mail is reached through Proton Mail Bridge, which must be running here: use the password Bridge shows (not your Proton password). Bridge uses its own certificate.',
  },
];

/** The preset serving this address domain, if any. */
export function presetForDomain(domain: string): Preset | null {
  const d = domain.toLowerCase();
  return PRESETS.find((p) => p.domains.includes(d)) ?? null;
}

/** The preset whose MX suffix this host ends with (a whole label: "aspmx.l.google.com" ends with "google.com"). */
export function presetForMx(host: string): Preset | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  return PRESETS.find((p) => p.mx.some((s) => h === s || h.endsWith(`.${s}`))) ?? null;
}

/** The settings a preset gives for this address. */
export function fromPreset(p: Preset, address: string, source: 'preset' | 'mx', from: string): DiscoveredSettings {
  const local = address.slice(0, address.lastIndexOf('@'));
  const login = (u: 'address' | 'local') => (u === 'address' ? address : local);
  return {
    imap: { ...p.imap },
    smtp: { ...p.smtp },
    user: login(p.user),
    smtpUser: p.smtpUser && p.smtpUser !== p.user ? login(p.smtpUser) : null,
    auth: p.auth,
    source,
    from,
    provider: p.provider,
    note: p.note ?? null,
  };
}

const OAUTH_HOSTS: [string, MailAuth][] = [
  ['gmail.com', 'oauth2-google'],
  ['googlemail.com', 'oauth2-google'],
  ['google.com', 'oauth2-google'],
  ['office365.com', 'oauth2-microsoft'],
  ['outlook.com', 'oauth2-microsoft'],
];

/** How an IMAP server found elsewhere (autoconfig, SRV) is signed in to: Google's and Microsoft's take their own OAuth, any other a password. */
export function authForHost(host: string): MailAuth {
  const h = host.toLowerCase().replace(/\.$/, '');
  return OAUTH_HOSTS.find(([s]) => h === s || h.endsWith(`.${s}`))?.[1] ?? 'password';
}
