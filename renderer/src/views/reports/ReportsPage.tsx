// The Reports view as the window shows it: its charts load on first open (recharts is large, and
// most sessions never open it), and while it is shown the queue's and the conversation's keys do
// nothing, so `e` or `j` never act on a conversation that is not on screen. Go-to keys, search,
// the palette, settings and help keep working.
import { lazy, Suspense } from 'react';
import { Group, Loader, Text } from '@mantine/core';
import type { CommandId } from '../../keys/keymap';
import { useCommand } from '../../commands/registry';

const ReportsView = lazy(() => import('./ReportsView').then((m) => ({ default: m.ReportsView })));

/** Commands that act on the queue or the open conversation: inert while the report is shown. */
const INERT: CommandId[] = [
  'queue.next',
  'queue.prev',
  'conversation.open',
  'conversation.done',
  'conversation.star',
  'conversation.snooze',
  'conversation.waiting',
  'conversation.reopen',
  'queue.select',
  'queue.selectNone',
  'undo',
  'link.confirm',
  'conversation.reply',
  'conversation.replyAll',
  'conversation.forward',
  'conversation.tag',
  'customer.toggle',
];

/** The latest mounted handler wins (commands/registry.tsx): this one does nothing and leaves the key to the page. */
function Inert({ id }: { id: CommandId }) {
  useCommand(id, () => false);
  return null;
}

export function ReportsPage() {
  return (
    <>
      {INERT.map((id) => (
        <Inert key={id} id={id} />
      ))}
      <Suspense
        fallback={
          <Group gap="xs" p="md">
            <Loader size="sm" />
            <Text size="sm">Opening the report…</Text>
          </Group>
        }
      >
        <ReportsView />
      </Suspense>
    </>
  );
}
