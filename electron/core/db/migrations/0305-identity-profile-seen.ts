import type { Migration } from '../migrate';

/**
 * When an X identity's current fields (handle, display name, profile) were true: the time of the
 * observation that last wrote them. A live sync observes users now; an imported file observes
 * them as of its newest post or DM, so importing an old export after a live sync no longer puts
 * back an old handle or bio. NULL for rows written before this column: any observation replaces them.
 */
export const m0305: Migration = {
  version: 305,
  name: 'identity-profile-seen',
  up(db) {
    db.exec('ALTER TABLE identities ADD COLUMN profile_seen_at INTEGER');
  },
};
