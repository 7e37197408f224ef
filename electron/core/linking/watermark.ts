// How far linking has read (link_meta 'watermark'): the newest message and identity change it
// has linked, and whether a full build has completed.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import { getMeta, setMeta } from '../db/repos/linking/link-index';

export interface Watermark {
  messageId: number;
  identityUpdatedAt: number;
  /** Set once a full build has run. */
  built: boolean;
}

const META_KEY = 'watermark';

export function readWatermark(db: DB): Watermark {
  return parseJson<Watermark>(getMeta(db, META_KEY), { messageId: 0, identityUpdatedAt: 0, built: false });
}

export function writeWatermark(db: DB, w: Watermark): void {
  setMeta(db, META_KEY, JSON.stringify(w));
}
