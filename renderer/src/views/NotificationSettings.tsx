// Settings → Notifications: whether this window may show desktop notifications (the browser's
// permission, asked from a click; the system's in the app), each kind on or off, and quiet hours
// with their time zone. Stored by the core (settings.notifications), which decides what to announce.
import { useMemo, useState } from 'react';
import { Autocomplete, Badge, Button, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { quietHoursSchema, type NotificationSettings as Prefs, type NotifyKind } from '../../../shared/contract/settings';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';
import { useNotifyPermission, type NotifyPermission } from '../state/notify';
import { localZone, timeZones } from '../lib/zones';

const KINDS: { kind: NotifyKind; label: string; description: string }[] = [
  { kind: 'escalated', label: 'New escalations', description: 'A customer who emailed complains on X.' },
  { kind: 'likely', label: 'Likely escalations', description: 'A complaint on X probably from a customer who emailed (a suggested link).' },
  { kind: 'overdue', label: 'At-risk conversations passing their goal', description: 'A conversation with a risk of 40 or more becomes overdue.' },
];

const PERMISSION: Record<NotifyPermission, { color: string; label: string; text: string }> = {
  granted: { color: 'teal', label: 'Allowed', text: 'This browser shows Canary’s notifications while this tab is open.' },
  default: { color: 'gray', label: 'Not enabled', text: 'The browser asks once; nothing is shown until you allow it.' },
  denied: { color: 'red', label: 'Blocked', text: 'The browser blocks notifications for this page: allow them in its site settings (the icon left of the address).' },
  unsupported: { color: 'gray', label: 'Not available', text: 'This browser cannot show notifications.' },
  system: { color: 'teal', label: 'System notifications', text: 'Shown by your system while Canary runs; the dock shows the open escalations.' },
};

function Permission() {
  const { permission, request } = useNotifyPermission();
  const p = PERMISSION[permission];
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" data-testid="notify-permission" data-permission={permission}>
      <Badge color={p.color} variant="light" style={{ flexShrink: 0 }}>
        {p.label}
      </Badge>
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {p.text}
        </Text>
        {permission === 'default' ? (
          <Button size="compact-xs" w="fit-content" onClick={() => void request()} data-testid="notify-permission-ask">
            Enable desktop notifications
          </Button>
        ) : null}
      </Stack>
    </Group>
  );
}

function QuietHours({ prefs, save }: { prefs: Prefs; save: (change: Partial<Prefs>) => Promise<boolean> }) {
  const q = prefs.quietHours;
  const [from, setFrom] = useState(q?.from ?? '22:00');
  const [to, setTo] = useState(q?.to ?? '07:00');
  const [timeZone, setTimeZone] = useState(q?.timeZone ?? localZone());
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(() => timeZones(), []);
  const draft = { from, to, timeZone: timeZone.trim() };
  const changed = !q || q.from !== draft.from || q.to !== draft.to || q.timeZone !== draft.timeZone;
  const apply = () => {
    const r = quietHoursSchema.safeParse(draft);
    if (!r.success) return setError(r.error.issues[0]?.message ?? 'Not valid');
    setError(null);
    void save({ quietHours: r.data });
  };
  return (
    <Stack gap={6}>
      <Switch
        label="Quiet hours"
        description="Nothing is shown between these times; the badge still counts."
        checked={q !== null}
        onChange={(e) => {
          if (e.currentTarget.checked) apply();
          else void save({ quietHours: null });
        }}
        data-testid="notify-quiet"
      />
      <Group gap="xs" align="flex-end" ml={46}>
        <TextInput type="time" label="From" size="xs" w={110} value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="notify-quiet-from" />
        <TextInput type="time" label="To" size="xs" w={110} value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="notify-quiet-to" />
        <Autocomplete label="Time zone" size="xs" w={220} data={zones} limit={20} value={timeZone} onChange={setTimeZone} data-testid="notify-quiet-zone" />
        {q !== null ? (
          <Button size="xs" variant="default" disabled={!changed} onClick={apply} data-testid="notify-quiet-save">
            Save the quiet hours
          </Button>
        ) : null}
      </Group>
      <ErrorLine ml={46}>{error}</ErrorLine>
    </Stack>
  );
}

export function NotificationSettings() {
  const client = useClient();
  const queries = useQueryClient();
  const { data: settings, error: loadError } = useQuery({ queryKey: qk.settings(), queryFn: () => client.call('settings.get', {}) });
  const [saveError, setSaveError] = useState<string | null>(null);
  const save = (notifications: Partial<Prefs>): Promise<boolean> =>
    client.call('settings.set', { notifications }).then(
      (v) => {
        setSaveError(null);
        queries.setQueryData(qk.settings(), v);
        return true;
      },
      (err: Error) => {
        setSaveError(err.message);
        return false;
      },
    );
  const prefs = settings?.notifications;
  const error = saveError ?? loadError?.message ?? null;
  return (
    <Stack gap="md" data-testid="notification-settings">
      <Stack gap={6}>
        <Text fw={650} size="sm">
          Desktop notifications
        </Text>
        <Permission />
      </Stack>
      <Stack gap="xs">
        <Text fw={650} size="sm">
          Notify me about
        </Text>
        {KINDS.map((k) => (
          <Switch
            key={k.kind}
            label={k.label}
            description={k.description}
            checked={prefs?.[k.kind] ?? false}
            disabled={!prefs}
            onChange={(e) => void save({ [k.kind]: e.currentTarget.checked })}
            data-testid={`notify-${k.kind}`}
          />
        ))}
      </Stack>
      {prefs ? <QuietHours prefs={prefs} save={save} /> : null}
      <Text size="xs" c="dimmed">
        A notification names the customer and the subject, never what they wrote; clicking it opens the conversation.
      </Text>
      <ErrorLine>{error}</ErrorLine>
    </Stack>
  );
}
