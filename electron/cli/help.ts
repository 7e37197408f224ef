// `canary COMMAND --help`: the details of one command (flags, subcommands, examples). Kept apart from
// the command files so the one-line summaries stay short in `canary --help`.

export const commandHelp: Record<string, string> = {
  diagnostics: `What to send when asking for help: app, Node/Electron and SQLite versions, the data folder's sizes,
counts, accounts with their settings (never passwords or tokens), every folder's and timeline's sync state and last
error, linking and outbox states, app settings, and the newest lines of the log (<data folder>/logs/canary.log,
scrubbed of secrets as it is written; no message text is ever logged).

  canary diagnostics                      prints it (JSON)
  canary diagnostics --out FILE           writes it to FILE (0600)
  canary diagnostics --log-lines N        how many log lines (default 500, at most 5,000)`,
  stats: `Counts of what the database holds.
  --json   one object: {"accounts","customers","identities","conversations","messages","emails","tweets","dms","links","outbox"}`,

  search: `Full-text search over subject, text and author name (FTS5); input is never read as FTS syntax.
  Operators: from:ADDR_OR_NAME  to:ADDR  channel:email|x  is:escalated|open|waiting|snoozed|done
             before:YYYY-MM-DD  after:YYYY-MM-DD  "an exact phrase"; other words must all match
             (the last word also matches as a prefix when it has 3 letters or more).
  --limit N   at most N hits (default 50)
  --json      one hit per line
Example: canary search 'from:jane refund after:2024-01-01'`,

  import: `Load a folder or one file, with the same parser, threading and linking as the live sync:
  .eml files, mbox archives, X API v2 JSON pages (x/me.json, x/mentions-*.json, x/search-*.json,
  x/dm_events-*.json) and an X data archive's direct-messages.js. Importing twice stores nothing twice.
  --self a@x,b@x   the business's own addresses (they never become customers; otherwise inferred)
  --json           one summary object`,

  links: `X accounts and the email customers they are, or may be, linked to.
  canary links [--json] [--full]     one line per X account: x_user_id, x_username, linked,
                                     suggestions[{email, score}], evidence[]; links what is new first,
                                     --full re-links everything
  canary links confirm LINK_ID       the owner's decisions; the engine never overrides them,
  canary links reject LINK_ID        a rejected pair is never suggested again,
  canary links undo LINK_ID          and undo restores the state before the decision
  canary links link X_IDENTITY_ID CUSTOMER_ID
  canary links unlink X_IDENTITY_ID`,

  escalations: `X conversations Canary marked, in queue order: escalated (a linked customer who emailed, then
complained on X: unanswered, or still unhappy after an answer), likely (the same for the top suggested
customer when the suggestion is strong: the reason names them; canary links confirm LINK_ID makes it
escalated, links reject clears it) and public_complaint (a complaint from an account with no email history).
Thanks, praise and plain questions are never marked.
  canary escalations [--json] [--state escalated|likely|public_complaint]
      --json: one line per conversation: x_conversation_id (the X API conversation_id), x_user_id, x_username,
      state, customer_email, reason, waited_ms`,

  report: `The canary report over conversations whose first customer message is in the range (UTC days):
conversations, first-reply and resolution times (p50/p90, nearest rank), first replies within the goal in force
(met, missed, pending, met %), escalations and the wait from the
unanswered email to the public post, per week by channel, account and tag, the touchpoints whose unanswered
mail went public (accounts, tags, subject words, reference kinds, hours, weekdays) and follow-ups before the
first answer. Brings linking up to date first.
  canary report [--json] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--csv DIR]
      --json: one object: conversations, answered, first_reply_ms {p50, p90}, resolution_ms,
      goals {met, missed, pending, met_pct}, goals_per_week, escalations,
      unanswered_escalations, escalation_wait_ms {p50, p90}, escalations_per_week, escalation_wait_buckets,
      times_per_week, failed {accounts, tags, subject_words, reference_kinds, hours, weekdays}, follow_ups
      --csv DIR: one CSV file per table (summary.csv, times_per_week.csv, failed_accounts.csv, …)`,

  'at-risk': `Conversations waiting on the business (open, the customer's message unanswered), riskiest of going
public first: a score of 0-100 summed from the wait against the reply goal and against the usual reply time,
the customer's follow-ups, escalation wording (threats to post, review, charge back, cancel), a linked X account
and its followers, and earlier public complaints (weights in README, "At risk"). Goals: the owner's, else the
business's own 75th-percentile reply time (goals.set in the app).
  canary at-risk [--json] [--limit N]      N from 1 to 1000 (default 20)
      --json: one line per conversation: conversation_id, channel, subject, customer, risk, goal (first|next),
      goal_ms, goal_source, since, due_at, overdue_ms, waited_ms, factors [{factor, points, reason}]`,

  demo: `Fill an empty database with the generated demo business: a coffee roaster's email, X posts and
DMs, customers who gave up on email and went public, escalations and links. Deterministic per seed.
  --seed N        another generated business (the default seed is fixed)
  --customers N   how many customers, 1-5000 (default 140)`,

  accounts: `Email (IMAP + SMTP) and X accounts. Secrets are read from environment variables, never from
the command line, and stored encrypted (app) or in a 0600 file (Node), never in the database.

  canary accounts discover ADDRESS [--json]
      Finds the address's servers as Thunderbird does: built-in settings for the big providers (Gmail,
      Outlook.com/Microsoft 365, iCloud, Yahoo, AOL, Fastmail, Zoho, GMX, WEB.DE, Proton Mail Bridge), the
      domain's autoconfig document (https only), its SRV records (_imaps._tcp, _submission._tcp), then its
      MX records (mail hosted by Google or Microsoft gets their settings); each source has 4 s.
      --json: one object: {"address","imap":{"host","port","tls"},"smtp","auth":"password"|"oauth2-google"|
      "oauth2-microsoft","source":"preset"|"autoconfig"|"srv"|"mx","user","smtpUser","from","provider","note","tried"}
      Exits non-zero with each source's reason when nothing is found.
  canary accounts add imap --name N --host H --port P --tls on|off|starttls --user U --password-env VAR
        [--address you@shop.example] [--folders INBOX,Sent,Support] [--oauth2 (VAR holds an access token)]
        [--smtp-host H --smtp-port P --smtp-tls on|off|starttls] [--no-check]
      Tests the connection first and says why it failed: authentication, host not found, TLS mismatch, timeout.
      Without --host (or --user), --address finds the servers and login as accounts discover does; flags given win.
  canary accounts add imap … --sign-in google|microsoft   (instead of --password-env)
      Signs in with Google or Microsoft in a browser (the address to open is printed; Canary listens on
      127.0.0.1), tests the servers with the token (XOAUTH2) and saves the account; the token is renewed by itself.
  canary accounts signin-client google|microsoft [--client-id ID] [--client-secret-env VAR] [--forget]
      Your own OAuth client for that provider (README: how to register one); without flags, shows it.
      --authorize-url URL --token-url URL replace the provider's endpoints: for tests against a local server only.
  canary accounts signin ID
      Signs in again to an account paused because the provider refused to renew its sign-in.
  canary accounts add x --name N (--oauth2-pkce --client-id ID [--client-secret-env VAR] [--redirect-port 8765]
        | --oauth2-token-env VAR [--refresh-token-env VAR --client-id ID] | --oauth1-env PREFIX
        | --bearer-env VAR --user-id ID --handle H) [--api-base URL] [--watch "q1;q2"] [--poll SEC] [--monthly-cap USD] [--no-check]
      OAuth 1.0a reads PREFIX_API_KEY, PREFIX_API_SECRET, PREFIX_ACCESS_TOKEN, PREFIX_ACCESS_SECRET.
      Reports which endpoints the credentials reach. --api-base points at another X API v2 server.
  canary accounts edit ID [--name N --host H --port P --tls … --user U --password-env VAR --folders …
        --smtp-host … --smtp-port … --smtp-tls …] [--enable | --disable]
  canary accounts edit ID (an X account) [--name N] [--watch "q1;q2" (empty: none)] [--poll SEC] [--monthly-cap USD|none] [--enable | --disable]
  canary accounts addresses ID [--add ADDRESS | --remove ADDRESS]
      The business's own addresses on an email account: its address, its login when that is an address,
      aliases, and those learned from its mail (the From of its Sent folder, the address most mail is sent
      to), which are marked with the reason. None of them is ever a customer. --add makes an alias (or takes
      back a learned address you removed); --remove removes an alias or a learned address (never learned
      again). Either re-threads the mail it touches; linking follows.
  canary accounts list | show ID | test ID | remove ID`,

  sync: `One sync pass over the accounts (email folders and X timelines), printing folder, n/N and rate.
  --account ID   only this account
  --watch        keep syncing (IMAP IDLE, X polling) until interrupted
  --json         one progress object per line
Exits non-zero when any account failed, with one line per failure on stderr.`,

  reply: `Answer an email conversation over SMTP with the right From, To, Cc, Re: subject, In-Reply-To and
References; the sent copy is stored in Sent and the conversation moves to waiting. When SMTP cannot
be reached the reply waits in the outbox and is retried (never sent twice).
  canary reply CONVERSATION_ID --text "…" [--all (reply to all)]
  canary reply CONVERSATION_ID --saved NAME [--force] [--all]
      sends a saved reply (by name, shortcut or id) with its variables filled for this conversation;
      when one cannot be filled (no reference found for {order}, your name not set for {agent}) it says
      which and sends nothing, unless --force. Counts a use of the saved reply.
With --also-x the customer hears on X too (the cross-channel answer): on an email thread whose customer
has an open X conversation (a linked X account), or on an escalated X conversation (its email thread
gets the email text), the email and the reply on X (a public reply to their post, or a DM) are queued
together and sent now, each retried on its own and never sent twice; both conversations move to
waiting (or done) and the escalation records the answer.
  --also-x "…"       the X text (280 as X counts it); --also-x alone posts the default
                     ("Sorry NAME, we've just answered your email about SUBJECT.")
  --done             both conversations to done instead of waiting
  --confirm-private  post even though the X text repeats what the customer only told you privately
  --confirm-link     a likely escalation: sending confirms the suggested link (refused without it)`,

  'saved-replies': `Saved replies: texts with variables ({first_name}, {last_name}, {order}: the most recent reference
found in the customer's mail, {subject}, {agent}: your name, set in Settings → Saved replies), an email text and
an optional short X text, tags, a shortcut and a usage count.
  canary saved-replies list                      most used first (--json: one object per line)
  canary saved-replies add NAME (--text "…" | --text-file FILE) [--x-text "…" | --x-text-file FILE]
        [--tags a,b] [--shortcut WORD] [--escalation-default]
                                                 a new saved reply (names are unique; unknown {variables} are refused);
                                                 --escalation-default: the default public X text for escalations
  canary saved-replies remove NAME               by name, shortcut or id
  canary saved-replies export FILE               all of them as one JSON file
  canary saved-replies import FILE [--replace]   adds the file's saved replies; names already saved are kept
                                                 unless --replace; a malformed file is refused whole (nothing
                                                 is imported) with the entry and field at fault`,

  conversations: `A conversation's shared state in team mode (canary team on): status, assignee, tags, the shared
note and the history of who did what (each change with its author; a change that lost to a teammate's
concurrent one is marked as a conflict). With team mode on, the team log is read first and a change is
sent at once; when its server is unreachable the change waits in the outbox (said on stderr).
  canary conversations show ID [--json]
  canary conversations set ID [--status open|waiting|done] [--assign NAME|--unassign] [--tag T] [--untag T]
        [--note TEXT]      NAME: a teammate's name or address as canary team lists them, "me", or any
                           address; assigning and notes need team mode, status and tags work without`,

  team: `Team mode (preview): teammates, each with Canary and the same support mailbox, share conversation
state through a hidden folder (Canary/Team) on the mailbox's IMAP server.
  canary team [--json]          everyone the log names, with their last activity (newest first)
  canary team on [--name NAME] [--address ADDR] [--account ID]
                                turn it on; NAME and ADDR are how teammates see you (default: the agent
                                name and the account's address); ID: the email account holding the log
  canary team off               stop sharing (what was shared stays in the folder)`,

  outbox: `Replies waiting to go or already sent.
  canary outbox list | send (try everything due now) | retry ID | cancel ID`,
};
