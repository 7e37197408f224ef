import type { Migration } from '../migrate';

// Times are epoch milliseconds. JSON columns hold JSON text.
export const m0010: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'x')),
        name TEXT NOT NULL,
        address TEXT,                          -- the business's own email address or X handle
        x_user_id TEXT,
        config TEXT NOT NULL DEFAULT '{}',     -- hosts, ports, TLS, folders: never secrets
        credential_ref TEXT,                   -- key into the secret store
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE customers (
        id INTEGER PRIMARY KEY,
        display_name TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE identities (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('email', 'x')),
        address TEXT,                          -- lowercase email address
        x_user_id TEXT,
        handle TEXT,
        display_name TEXT NOT NULL DEFAULT '',
        names TEXT NOT NULL DEFAULT '[]',      -- every display name seen
        profile TEXT,                          -- X profile JSON (bio, url, location)
        is_self INTEGER NOT NULL DEFAULT 0,    -- the business's own address or account
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK ((kind = 'email' AND address IS NOT NULL) OR (kind = 'x' AND x_user_id IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX identities_email ON identities(address) WHERE kind = 'email';
      CREATE UNIQUE INDEX identities_x ON identities(x_user_id) WHERE kind = 'x';
      CREATE INDEX identities_customer ON identities(customer_id);
      CREATE INDEX identities_handle ON identities(lower(handle)) WHERE kind = 'x';

      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'x')),
        kind TEXT NOT NULL CHECK (kind IN ('email', 'tweet', 'dm')),
        external_id TEXT NOT NULL,             -- thread root Message-ID, X conversation_id or dm_conversation_id
        customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL,
        subject TEXT NOT NULL DEFAULT '',
        snippet TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'waiting', 'snoozed', 'done')),
        priority INTEGER NOT NULL DEFAULT 0,
        snooze_until INTEGER,
        last_inbound_at INTEGER,
        last_outbound_at INTEGER,
        last_message_at INTEGER NOT NULL DEFAULT 0,
        message_count INTEGER NOT NULL DEFAULT 0,
        unread INTEGER NOT NULL DEFAULT 0,
        escalated INTEGER NOT NULL DEFAULT 0,
        escalation TEXT,                       -- JSON: reason, waitedMs, emailConversationId
        tags TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (kind, external_id)
      ) STRICT;
      CREATE INDEX conversations_customer ON conversations(customer_id);
      CREATE INDEX conversations_queue ON conversations(status, escalated DESC, priority DESC, last_inbound_at);
      CREATE INDEX conversations_last ON conversations(last_message_at DESC);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'x')),
        kind TEXT NOT NULL CHECK (kind IN ('email', 'tweet', 'dm')),
        external_id TEXT NOT NULL,             -- Message-ID, tweet id or DM event id
        in_reply_to TEXT,
        refs TEXT NOT NULL DEFAULT '[]',       -- JSON list of referenced Message-IDs / tweet ids
        author_identity_id INTEGER REFERENCES identities(id) ON DELETE SET NULL,
        author_name TEXT NOT NULL DEFAULT '',
        author_address TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT '{}', -- JSON {to:[], cc:[]}
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        sent_at INTEGER NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        body_text TEXT NOT NULL DEFAULT '',
        body_html TEXT,
        raw BLOB,                              -- raw MIME source or API payload, for re-parsing
        parse_problems TEXT,                   -- JSON list, NULL when clean
        created_at INTEGER NOT NULL,
        UNIQUE (kind, external_id)
      ) STRICT;
      CREATE INDEX messages_conversation ON messages(conversation_id, sent_at);
      CREATE INDEX messages_author ON messages(author_identity_id);
      CREATE INDEX messages_sent ON messages(sent_at); -- search's before:/after: (narrows the FTS walk to a rowid range)

      -- Where an email lives on an IMAP server: unique by account, folder, UIDVALIDITY and UID.
      CREATE TABLE message_locations (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        flags TEXT NOT NULL DEFAULT '[]',
        modseq INTEGER,
        PRIMARY KEY (account_id, folder, uidvalidity, uid)
      ) STRICT;
      CREATE INDEX message_locations_message ON message_locations(message_id);

      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        filename TEXT NOT NULL DEFAULT '',
        mime_type TEXT NOT NULL DEFAULT 'application/octet-stream',
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,                  -- content-addressed file under <data>/attachments
        content_id TEXT,
        disposition TEXT
      ) STRICT;
      CREATE INDEX attachments_message ON attachments(message_id);

      CREATE TABLE links (
        id INTEGER PRIMARY KEY,
        identity_id INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('suggested', 'linked', 'confirmed', 'rejected', 'unlinked')),
        score REAL NOT NULL DEFAULT 0,
        evidence TEXT NOT NULL DEFAULT '[]',   -- JSON list of sentences a person can check
        decided_by TEXT NOT NULL CHECK (decided_by IN ('engine', 'user')),
        previous TEXT,                         -- JSON snapshot restored by undo
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (identity_id, customer_id)
      ) STRICT;
      CREATE INDEX links_customer ON links(customer_id);

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
        conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
        kind TEXT NOT NULL CHECK (kind IN ('email', 'tweet', 'dm')),
        payload TEXT NOT NULL,                 -- JSON
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        external_id TEXT,                      -- Message-ID / tweet id once sent
        idempotency_key TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

      CREATE TABLE sync_state (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        scope TEXT NOT NULL,                   -- IMAP folder, 'x:mentions', 'x:dm_events', 'x:search:<query>'
        cursor TEXT NOT NULL DEFAULT '{}',     -- JSON
        status TEXT NOT NULL DEFAULT 'idle',
        progress TEXT,                         -- JSON {done, total, rate}
        last_error TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, scope)
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL                    -- JSON
      ) STRICT;
    `);
  },
};
