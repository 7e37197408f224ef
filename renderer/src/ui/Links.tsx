// Opening links from mail and posts (lib/links.ts decides): a link whose text names another
// destination first shows where it really goes and opens only on "Open"; other links open at once.
// Opening is window.open from the app's own page: the desktop shell sends it to the system browser
// (electron/main/external.ts), the browser host opens a new tab.
import { Fragment, useCallback, useState } from 'react';
import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { checkLink, linkifyText, type LinkCheck } from '../lib/links';
import { useModalOpen } from '../commands/registry';

export function openLink(href: string): void {
  window.open(href, '_blank', 'noopener,noreferrer');
}

/** A click on a link: open it, or ask first (the returned `confirm` element shows the question). */
export function useLinkOpener(): { open: (href: string, text: string) => void; confirm: React.ReactNode } {
  const [pending, setPending] = useState<LinkCheck | null>(null);
  useModalOpen(pending != null);
  const open = useCallback((href: string, text: string) => {
    const check = checkLink(href, text);
    if (!check) return;
    if (check.ask) setPending(check);
    else openLink(check.href);
  }, []);
  const close = () => setPending(null);
  const confirm = (
    <Modal opened={pending != null} onClose={close} title="This link goes somewhere else" size="md" closeButtonProps={{ 'aria-label': 'Close' }} data-testid="link-confirm">
      {pending ? (
        <Stack gap="sm">
          {pending.claimed ? (
            <Text size="sm">
              Its text says <b>{pending.claimed}</b>, but it opens <b data-testid="link-confirm-destination">{pending.destination}</b>.
            </Text>
          ) : (
            <Text size="sm">
              It opens <b data-testid="link-confirm-destination">{pending.destination}</b> (the address hides it behind a name and @).
            </Text>
          )}
          <Code block style={{ wordBreak: 'break-all' }} data-testid="link-confirm-href">
            {pending.href}
          </Code>
          <Text size="xs" c="dimmed">
            Mail that disguises where a link goes is often phishing. Open it only if you trust the sender.
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close} data-autofocus data-testid="link-confirm-cancel">
              Cancel
            </Button>
            <Button
              color="red"
              onClick={() => {
                openLink(pending.href);
                close();
              }}
              data-testid="link-confirm-open"
            >
              Open {pending.destination}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
  return { open, confirm };
}

/** Plain text (mail without HTML, posts) with its web addresses as links that open outside. */
export function LinkedText({ text }: { text: string }) {
  const parts = linkifyText(text);
  return (
    <>
      {parts.map((p, i) =>
        p.href ? (
          <a
            key={i}
            href={p.href}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(e) => {
              e.preventDefault();
              openLink(p.href!);
            }}
          >
            {p.text}
          </a>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}
