// The composer's side of team mode: while it is open the conversation is claimed ("replying", shared
// through the team log; renewed as the owner types, at most once a minute by the core; released when
// it closes), and before sending it asks whether someone else answered since it opened (a
// teammate's reply in the log, a reply in the Sent folder, \Answered on the server). If so the send
// is held and a warning says who and when ("Alex answered 3 minutes ago"), with Send anyway and
// Cancel. With team mode off the claim does nothing and only the Sent folder and \Answered count.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { CLAIM_MS, type TeamNewerReply } from '../../../../shared/contract/team';
import { useClient } from '../../rpc/core';
import { agoText, replyingText, useTeamConversation } from './useTeamConversation';
import './team.css';

/** How often typing asks the core to renew the claim (it writes an event only when half of CLAIM_MS is gone). */
const RENEW_MS = Math.min(30_000, CLAIM_MS / 4);

/** The held send's warning, in words: "Alex answered 3 minutes ago". */
export function answeredText(n: TeamNewerReply, now = Date.now()): string {
  if (n.source === 'answered') return "The customer's last message is marked answered on the mail server (answered from another mail app)";
  const who = n.by ? n.by.name || n.by.address : 'Someone';
  const where = n.source === 'sent' ? ' (a reply in the Sent folder)' : '';
  return `${who} answered ${n.at !== null ? agoText(n.at, now) : 'already'}${where}`;
}

export interface TeamReply {
  /** Before sending: false holds the send and shows the warning (its Send anyway presses the composer's Send again). */
  confirmSend(): Promise<boolean>;
  /** What to show in the composer: who else is replying, or the held send's warning. */
  notice: React.ReactNode;
}

export function useTeamReply(conversationId: number, open: boolean, text: string): TeamReply {
  const client = useClient();
  const team = useTeamConversation(conversationId);
  const since = useRef(0);
  const lastClaim = useRef(0);
  // A held send is for the text it was held with: an edit drops the warning (the next Send checks again).
  const [held, setHeld] = useState<{ newer: TeamNewerReply[]; text: string } | null>(null);
  const shown = held && held.text === text ? held : null;
  const acknowledged = useRef(false);

  // Claim while open, release when closed or left.
  useEffect(() => {
    if (!open) return;
    since.current = Date.now();
    acknowledged.current = false;
    lastClaim.current = Date.now();
    void client.call('team.claim', { id: conversationId, replying: true }).catch(() => undefined);
    return () => {
      lastClaim.current = 0;
      void client.call('team.claim', { id: conversationId, replying: false }).catch(() => undefined);
    };
  }, [client, conversationId, open]);
  // Typing renews it.
  useEffect(() => {
    if (!open || !lastClaim.current || Date.now() - lastClaim.current < RENEW_MS) return;
    lastClaim.current = Date.now();
    void client.call('team.claim', { id: conversationId, replying: true }).catch(() => undefined);
  }, [client, conversationId, open, text]);

  const confirmSend = useCallback(async () => {
    if (acknowledged.current) {
      acknowledged.current = false;
      setHeld(null);
      return true;
    }
    try {
      const r = await client.call('team.replyCheck', { id: conversationId, since: since.current });
      if (r.newer.length) {
        setHeld({ newer: r.newer, text });
        return false;
      }
    } catch {
      // The check is advice: when it cannot be made the reply goes as before.
    }
    setHeld(null);
    return true;
  }, [client, conversationId, text]);

  const others = (team?.replying ?? []).map((r) => r.person.name || r.person.address);
  const notice = shown ? (
    <div className="team-collision" data-testid="team-collision" role="alert">
      <Text size="sm" fw={700}>
        {answeredText(shown.newer[0]!)}
      </Text>
      <Text size="sm" mb={6}>
        Read their answer in the conversation before sending yours: the customer may get two.
      </Text>
      <Group gap={8}>
        <Button
          size="compact-sm"
          color="red.9"
          data-testid="team-send-anyway"
          onClick={(e) => {
            acknowledged.current = true;
            // The composer's own Send, with what the box holds now (the same text: an edit drops this warning).
            e.currentTarget.closest('[data-testid="composer"]')?.querySelector<HTMLButtonElement>('[data-testid="composer-send"]')?.click();
          }}
        >
          Send anyway
        </Button>
        <Button
          size="compact-sm"
          variant="default"
          data-testid="team-hold"
          onClick={() => {
            // Not sent: the next Send checks again from now.
            since.current = Date.now();
            setHeld(null);
          }}
        >
          Don&apos;t send
        </Button>
      </Group>
    </div>
  ) : others.length ? (
    <Text size="xs" c="orange.9" mb={6} data-testid="composer-team-replying" aria-live="polite">
      {replyingText(others)} too.
    </Text>
  ) : null;
  return { confirmSend, notice };
}
