// Settings → Goals: goals per account and per tag.
import { Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { DurationInput } from './fields';
import type { OverrideRow } from './model';

export function OverridesFields({
  overrides,
  accountOptions,
  setOverride,
  onAdd,
  onRemove,
  bad,
}: {
  overrides: OverrideRow[];
  accountOptions: { value: string; label: string }[];
  setOverride: (key: number, patch: Partial<OverrideRow>) => void;
  onAdd: (kind: 'account' | 'tag') => void;
  onRemove: (key: number) => void;
  /** Whether the schema's complaint is at this path (the field is marked). */
  bad: (...path: (string | number)[]) => boolean;
}) {
  return (
    <div>
      <Text size="sm" fw={600}>
        Overrides
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        A tag&apos;s goal wins over an account&apos;s (the strictest when several tags have one); an empty field keeps the goal above.
      </Text>
      {overrides.length ? (
        <Table fz="xs" verticalSpacing={4} data-testid="goal-overrides">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>For</Table.Th>
              <Table.Th>First reply</Table.Th>
              <Table.Th>Next reply</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overrides.map((o, i) => (
              <Table.Tr key={o.key} data-testid="goal-override">
                <Table.Td>
                  {o.kind === 'account' ? (
                    <Select
                      size="xs"
                      placeholder="Account"
                      data={accountOptions}
                      value={o.accountId}
                      onChange={(v) => setOverride(o.key, { accountId: v })}
                      aria-label={`Override ${i + 1} account`}
                      w={200}
                    />
                  ) : (
                    <TextInput size="xs" placeholder="Tag" value={o.tag} onChange={(e) => setOverride(o.key, { tag: e.currentTarget.value })} aria-label={`Override ${i + 1} tag`} w={200} />
                  )}
                </Table.Td>
                <Table.Td>
                  <DurationInput d={o.first} onChange={(d) => setOverride(o.key, { first: d })} testId={`override-${i}-first`} invalid={bad('overrides', i, 'firstReplyMs')} />
                </Table.Td>
                <Table.Td>
                  <DurationInput d={o.next} onChange={(d) => setOverride(o.key, { next: d })} testId={`override-${i}-next`} invalid={bad('overrides', i, 'nextReplyMs')} />
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => onRemove(o.key)}>
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Group gap="xs" mt={6}>
        <Button size="compact-xs" variant="default" onClick={() => onAdd('account')} data-testid="goal-add-account">
          Add an account override
        </Button>
        <Button size="compact-xs" variant="default" onClick={() => onAdd('tag')} data-testid="goal-add-tag">
          Add a tag override
        </Button>
      </Group>
    </div>
  );
}
