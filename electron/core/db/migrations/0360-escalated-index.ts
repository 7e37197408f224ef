import type { Migration } from '../migrate';

/**
 * The conversations marked escalated or likely (escalated = 1), found without reading every
 * conversation: the notifier reads them when a core starts (what is marked then is not news) and
 * counts the open ones for the badge. A partial index, as small as the marks are few; the same
 * statements read the whole table before (about 15 ms of a cold start over 100,000 messages).
 */
export const m0360: Migration = {
  version: 360,
  name: 'escalated-index',
  up(db) {
    db.exec('CREATE INDEX conversations_escalated ON conversations(status) WHERE escalated = 1;');
  },
};
