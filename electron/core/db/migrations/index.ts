import type { Migration } from '../migrate';
import { m0010 } from './0010-initial';
import { m0020 } from './0020-messages-fts';
import { m0100 } from './0100-email-threading';
import { m0300 } from './0300-linking';
import { m0301 } from './0301-linking-indexes';
import { m0302 } from './0302-queue-order-index';
import { m0303 } from './0303-messages-fts-bulk';
import { m0304 } from './0304-conversation-tags';
import { m0305 } from './0305-identity-profile-seen';
import { m0310 } from './0310-account-addresses';
import { m0320 } from './0320-escalation-rank';
import { m0330 } from './0330-saved-replies';
import { m0340 } from './0340-outbox-answer-group';
import { m0350 } from './0350-team-log';
import { m0360 } from './0360-escalated-index';
import { m0370 } from './0370-reply-settings';
import { m0380 } from './0380-team-assignee';
import { m0390 } from './0390-conversation-facts';
import { m0391 } from './0391-at-risk-indexes';
import { m0392 } from './0392-at-risk-changes';
import { m0393 } from './0393-team-keywords';
import { m0394 } from './0394-at-risk-changes-cheaper';
import { m0395 } from './0395-facts-early-inbound';
import { m0396 } from './0396-insert-marks-per-batch';

/** Ordered registry: append only, never edit a shipped migration. */
export const migrations: readonly Migration[] = [
  m0010,
  m0020,
  m0100,
  m0300,
  m0301,
  m0302,
  m0303,
  m0304,
  m0305,
  m0310,
  m0320,
  m0330,
  m0340,
  m0350,
  m0360,
  m0370,
  m0380,
  m0390,
  m0391,
  m0392,
  m0393,
  m0394,
  m0395,
  m0396,
];
