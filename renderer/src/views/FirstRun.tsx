// First start: nothing in the database yet. Offer the ways in, including a demo business that
// shows Canary working without any account.
import { useState } from 'react';
import { Alert, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { AppInfo } from '../../../shared/contract/api';
import { useClient } from '../rpc/core';
import { IconFolder, IconMail, IconSparkles, IconX } from '../ui/icons';
import { ImportDialog } from './ImportDialog';
import { ConnectX } from './ConnectX';

function Choice({ icon, title, children, action }: { icon: React.ReactNode; title: string; children: React.ReactNode; action?: React.ReactNode }) {
  return (
    <Card withBorder padding="lg" radius="md" className="choice">
      <Group gap={10} mb={6} wrap="nowrap">
        <span className="choice-icon">{icon}</span>
        <Text fw={650}>{title}</Text>
      </Group>
      <Text size="sm" c="dimmed" style={{ flex: 1 }}>
        {children}
      </Text>
      {action ? <div className="choice-action">{action}</div> : null}
    </Card>
  );
}

export function FirstRun({ info, onDone, onSkip, onAddEmail }: { info: AppInfo | null; onDone: (message: string) => void; onSkip: () => void; onAddEmail: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'import' | 'x' | null>(null);
  const [finished, setFinished] = useState<string | null>(null);
  const close = () => {
    setDialog(null);
    // What was imported or connected shows once the dialog closes.
    if (finished) onDone(finished);
  };
  const loadDemo = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('demo.load', {});
      onDone(`Demo workspace loaded: ${r.conversations} conversations from ${r.customers} customers, ${r.escalations} escalations.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="firstrun" data-testid="first-run">
      <Stack gap={4} mb="lg">
        <Title order={2}>Welcome to Canary</Title>
        <Text c="dimmed">One queue for your support email and your X mentions and messages, with the customer’s whole story beside it. Nothing is stored yet: choose how to begin.</Text>
      </Stack>
      {error ? (
        <Alert color="red" mb="md" title="Could not load the demo" role="alert">
          {error}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Choice
          icon={<IconSparkles size={20} />}
          title="Open the demo workspace"
          action={
            <Button onClick={() => void loadDemo()} loading={busy} data-testid="open-demo">
              Open the demo
            </Button>
          }
        >
          A small coffee roaster’s inbox: a few hundred emails, posts and DMs, customers who gave up on email and complained on X, and the links between their accounts. Generated on this machine;
          nothing is sent anywhere.
        </Choice>
        <Choice
          icon={<IconFolder size={20} />}
          title="Import a folder"
          action={
            <Button variant="default" onClick={() => setDialog('import')} data-testid="first-run-import">
              Import a folder
            </Button>
          }
        >
          Load .eml files, mbox archives, saved X API pages or an X archive’s direct messages from a folder on this computer. Nothing leaves the machine.
        </Choice>
        <Choice
          icon={<IconMail size={20} />}
          title="Add an email account"
          action={
            <Button variant="default" onClick={onAddEmail} data-testid="first-run-add-email">
              Add an email account
            </Button>
          }
        >
          Connect a support mailbox over IMAP (and SMTP to send replies). Canary tests the connection before it stores anything.
        </Choice>
        <Choice
          icon={<IconX size={18} />}
          title="Connect X"
          action={
            <Button variant="default" onClick={() => setDialog('x')} data-testid="first-run-connect-x">
              Connect X
            </Button>
          }
        >
          Bring in mentions, replies and direct messages of your X account: sign in with your X developer app, or paste its tokens. Canary shows which endpoints they reach.
        </Choice>
      </SimpleGrid>
      <ImportDialog
        opened={dialog === 'import'}
        onClose={close}
        onImported={(r) => r.imported && setFinished(`Imported ${r.imported.toLocaleString()} messages in ${r.conversations.toLocaleString()} conversations.`)}
      />
      <Modal opened={dialog === 'x'} onClose={close} title="Connect X" size="xl" closeButtonProps={{ 'aria-label': 'Close' }} data-testid="connect-x-dialog">
        <ConnectX onConnected={(a) => setFinished(`Connected ${a.handle ? `@${a.handle}` : a.name}; the first sync is running.`)} />
      </Modal>
      {info ? (
        <Text size="xs" c="dimmed" mt="md">
          Workspace: {info.dbPath}
        </Text>
      ) : null}
      <Group mt="lg">
        <Button variant="subtle" onClick={onSkip} data-testid="skip-first-run">
          Start with an empty inbox
        </Button>
      </Group>
    </div>
  );
}
