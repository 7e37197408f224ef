// Small X data sets for tests: a business (1000), two customers, 26 posts, 7 DM events.
import type { XTweet } from '../types';
import type { XServerData } from './server';

export function smallData(): XServerData {
  const me = { id: '1000', name: 'Shop', username: 'shop' };
  const alice = { id: '2001', name: 'Alice', username: 'alice', description: 'hiker', location: 'Oslo' };
  const bob = { id: '2002', name: 'Bob', username: 'bob' };
  const tweets: XTweet[] = Array.from({ length: 25 }, (_, i) => ({
    id: String(1700 + i),
    text: `@shop order ${i} is late`,
    author_id: i % 2 ? '2001' : '2002',
    created_at: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
    conversation_id: String(1700 + i),
    in_reply_to_user_id: '1000',
    edit_history_tweet_ids: [String(1700 + i)],
    entities: { mentions: [{ start: 0, end: 5, username: 'shop', id: '1000' }] },
  }));
  tweets.push({ id: '1800', text: 'shop jackets are bad', author_id: '2002', created_at: '2024-01-02T00:00:00.000Z', conversation_id: '1800', edit_history_tweet_ids: ['1800'] });
  const dmEvents = Array.from({ length: 7 }, (_, i) => ({
    id: String(9000 + i),
    event_type: 'MessageCreate',
    text: `dm ${i}`,
    sender_id: i % 3 === 2 ? '1000' : '2001',
    dm_conversation_id: '1000-2001',
    created_at: new Date(Date.UTC(2024, 0, 3, 0, i)).toISOString(),
  }));
  return { me, users: [alice, bob], tweets, dmEvents };
}
