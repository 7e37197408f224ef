// The email sync's writes to a folder's locations (message_locations) outside the ingest path:
// flags, expunges, a UIDVALIDITY reset, and the stored UIDs a pass compares with the server's.

import type { CoreContext } from '../../context';
import { refreshConversation } from '../../db/repos/conversations';
import * as locations from '../../db/repos/email/locations';
import { deleteConversationIfEmpty, deleteMessageReturningConversation } from '../../db/repos/email/threading';
import { storedFlags } from '../imap/uids';

/**
 * Remove one location; a message left with no location on any server is gone from the mailbox and
 * is removed too (its conversation is refreshed, or removed when empty).
 */
export function forgetLocation(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, uid: number): boolean {
  const db = ctx.db;
  const messageId = locations.deleteLocation(db, accountId, folder, uidvalidity, uid);
  if (messageId === undefined) return false;
  if (!locations.messageHasLocation(db, messageId)) {
    const conversationId = deleteMessageReturningConversation(db, messageId);
    if (conversationId !== undefined) {
      if (!deleteConversationIfEmpty(db, conversationId)) refreshConversation(db, conversationId);
      ctx.bus.emit('ConversationsChanged', { ids: [conversationId] });
    }
  }
  return true;
}

export function setFlags(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, uid: number, flags: Set<string> | string[], modseq?: bigint | number | null): boolean {
  return locations.setLocationFlags(ctx.db, accountId, folder, uidvalidity, uid, JSON.stringify(storedFlags(flags)), modseq == null ? null : Number(modseq));
}

/** The stored UIDs of a folder up to `top`, newest first. */
export function storedUidsDesc(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, top: number): number[] {
  return locations.storedUidsDesc(ctx.db, accountId, folder, uidvalidity, top);
}

/** The stored UIDs of a folder up to `top` (index order). */
export function storedUids(ctx: CoreContext, accountId: number, folder: string, uidvalidity: number, top: number): number[] {
  return locations.storedUids(ctx.db, accountId, folder, uidvalidity, top);
}

/** Every location of a folder (its UIDVALIDITY changed: the old UIDs mean nothing now). */
export function dropFolderLocations(ctx: CoreContext, accountId: number, folder: string): void {
  locations.deleteFolderLocations(ctx.db, accountId, folder);
}
