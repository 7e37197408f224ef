import { prepRead, type ReadDB } from '../stmt';
import type { Stats } from '../../../../shared/domain/types';

export function getStats(db: ReadDB): Stats {
  return prepRead(
    db,
    `SELECT
        (SELECT count(*) FROM accounts) AS accounts,
        (SELECT count(*) FROM customers c WHERE NOT EXISTS
           (SELECT 1 FROM identities i WHERE i.customer_id = c.id AND i.is_self = 1)) AS customers,
        (SELECT count(*) FROM identities WHERE is_self = 0) AS identities,
        (SELECT count(*) FROM conversations) AS conversations,
        (SELECT count(*) FROM messages) AS messages,
        (SELECT count(*) FROM messages WHERE kind = 'email') AS emails,
        (SELECT count(*) FROM messages WHERE kind = 'tweet') AS tweets,
        (SELECT count(*) FROM messages WHERE kind = 'dm') AS dms,
        (SELECT count(*) FROM links WHERE state IN ('linked', 'confirmed')) AS links,
        (SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending', 'failed')) AS outbox`,
  ).get() as Stats;
}
