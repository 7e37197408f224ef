// What an X account listens to beyond its mentions and DMs: watched searches (the brand without @,
// product names: customers who complain without tagging the business) and how often it polls.
// Each search and each poll is billed by X, so the form says what the choice costs.
import { useState } from 'react';
import { Button, Group, NumberInput, TagsInput, Text } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { XAccountView } from '../../../shared/contract/x';
import { useClient } from '../rpc/core';

export function XListeningForm({ a, onChanged }: { a: XAccountView; onChanged: () => void }) {
  const client = useClient();
  const [queries, setQueries] = useState<string[]>(a.watchedQueries);
  const [minutes, setMinutes] = useState<number | string>(Math.round(a.pollIntervalSec / 60));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pollSec = Math.round(Number(minutes) * 60);
  const validPoll = Number.isFinite(pollSec) && pollSec >= 60 && pollSec <= 86_400;
  const changed = queries.join('\n') !== a.watchedQueries.join('\n') || pollSec !== a.pollIntervalSec;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.call('accounts.update', { channel: 'x', id: a.id, patch: { watchedQueries: queries, pollIntervalSec: pollSec } });
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="x-listening" data-testid="x-listening">
      <Group gap="xs" mt={8} align="flex-end" wrap="wrap">
        <TagsInput
          size="xs"
          label="Watched searches"
          description="Posts about you that do not tag you: your name without @, product names. Enter adds one."
          placeholder={queries.length ? '' : 'e.g. "Harbor Pine" -from:harborpine'}
          value={queries}
          onChange={setQueries}
          maxTags={50}
          clearable
          style={{ flex: '1 1 320px' }}
          data-testid="x-watched"
        />
        <NumberInput
          size="xs"
          w={130}
          label="Poll every (min)"
          value={minutes}
          onChange={setMinutes}
          min={1}
          max={1440}
          allowDecimal={false}
          error={validPoll ? undefined : '1 to 1440'}
          data-testid="x-poll"
        />
        <Button size="compact-sm" variant="default" loading={busy} disabled={!changed || !validPoll} onClick={() => void save()} data-testid="x-listening-save">
          Save
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={2}>
        Every post a search returns is billed as a post read (${a.prices.postRead} each); polling less often reads the same new posts later, not fewer.
      </Text>
      <ErrorLine>{error}</ErrorLine>
    </div>
  );
}
