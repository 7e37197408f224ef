// Settings → Goals: the first-reply and next-reply goals (or this business's history), business hours
// per weekday with a time zone and days off, and overrides per account and per tag. Checked with the
// contract's own schema before it is sent (goals.set validates it again), its message shown as is.
import { useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Group, NumberInput, SegmentedControl, Select, Stack, Switch, Table, Text, TextInput, Autocomplete } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { goalSchemas, type GoalOverride, type GoalsView } from '../../../shared/contract/goals';
import { useClient } from '../rpc/core';
import { qk, useAccountsQuery } from '../state/queries';
import { useGoalSettings } from '../state/goals';
import { goalLength } from '../ui/goalMarks';
import { localZone, timeZones } from '../lib/zones';

const MIN = 60_000;
const UNIT_MS = { min: MIN, h: 60 * MIN, d: 24 * 60 * MIN } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS = [
  { value: 'min', label: 'minutes' },
  { value: 'h', label: 'hours' },
  { value: 'd', label: 'days' },
];
/** Schema order is Sunday first; shown Monday first. */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHOWN_DAYS = [1, 2, 3, 4, 5, 6, 0];

interface Dur {
  value: number | string;
  unit: Unit;
}
interface Day {
  open: boolean;
  start: string;
  end: string;
}
interface OverrideRow {
  key: number;
  kind: 'account' | 'tag';
  accountId: string | null;
  tag: string;
  first: Dur;
  next: Dur;
}

function toDur(ms: number | null | undefined): Dur {
  if (ms == null) return { value: '', unit: 'h' };
  const unit: Unit = ms % UNIT_MS.d === 0 ? 'd' : ms % UNIT_MS.h === 0 ? 'h' : 'min';
  return { value: ms / UNIT_MS[unit], unit };
}
/** undefined when empty; NaN when not a number (the schema then says what is wrong). */
function toMs(d: Dur): number | undefined {
  if (d.value === '' || d.value == null) return undefined;
  return Math.round(Number(d.value) * UNIT_MS[d.unit]);
}

/** Where an issue is, in the form's words. */
function fieldName(path: PropertyKey[]): string {
  const [a, b, c] = path;
  if (a === 'firstReplyMs') return 'First-reply goal';
  if (a === 'nextReplyMs') return 'Next-reply goal';
  if (a === 'hours') {
    if (b === 'timeZone') return 'Time zone';
    if (b === 'week') return typeof c === 'number' ? DAYS[c]! : 'Business hours';
    if (b === 'daysOff') return 'Days off';
    return 'Business hours';
  }
  if (a === 'overrides') {
    const which = typeof b === 'number' ? `Override ${b + 1}` : 'Overrides';
    if (c === 'firstReplyMs') return `${which}, first reply`;
    if (c === 'nextReplyMs') return `${which}, next reply`;
    if (c === 'tag') return `${which}, tag`;
    return which;
  }
  return 'Goals';
}

/** The schema's first complaint, in words: durations get the goal range instead of raw numbers. */
export function issueText(issue: { path: PropertyKey[]; code: string; message: string }): string {
  const isGoal = issue.path.some((p) => p === 'firstReplyMs' || p === 'nextReplyMs');
  const message = isGoal && (issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_type') ? 'a goal is a number from 1 minute to 90 days' : issue.message;
  return `${fieldName(issue.path)}: ${message}`;
}

function DurationInput({ label, d, onChange, testId, invalid = false }: { label?: string; d: Dur; onChange: (d: Dur) => void; testId: string; invalid?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-end">
      <NumberInput
        label={label}
        aria-label={label ?? testId}
        value={d.value}
        onChange={(v) => onChange({ ...d, value: v })}
        min={0}
        decimalScale={2}
        w={90}
        error={invalid}
        size="xs"
        data-testid={`${testId}-value`}
      />
      <Select
        data={UNITS}
        value={d.unit}
        onChange={(u) => onChange({ ...d, unit: (u as Unit) ?? 'h' })}
        allowDeselect={false}
        w={100}
        size="xs"
        aria-label={`${label ?? testId} unit`}
        data-testid={`${testId}-unit`}
      />
    </Group>
  );
}

function GoalChoice({
  label,
  mode,
  onMode,
  d,
  onDur,
  history,
  testId,
  invalid,
}: {
  label: string;
  mode: 'history' | 'set';
  onMode: (m: 'history' | 'set') => void;
  d: Dur;
  onDur: (d: Dur) => void;
  history: string;
  testId: string;
  invalid: boolean;
}) {
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {label}
      </Text>
      <Group gap="sm" align="center">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => onMode(v)}
          data={[
            { value: 'history', label: 'From your history' },
            { value: 'set', label: 'Set a goal' },
          ]}
          data-testid={`${testId}-mode`}
        />
        {mode === 'set' ? <DurationInput d={d} onChange={onDur} testId={testId} invalid={invalid} /> : null}
      </Group>
      <Text size="xs" c="dimmed" mt={4} data-testid={`${testId}-history`}>
        {history}
      </Text>
    </div>
  );
}

function historyText(v: GoalsView, kind: 'first' | 'next'): string {
  const h = v.history;
  if (kind === 'first') {
    if (h.firstReplyP75Ms == null) return 'From your history: 24 h for now (nothing answered yet).';
    return `From your history: ${goalLength(Math.max(MIN, h.firstReplyP75Ms))}, the 75th percentile of your last ${h.firstReplies.toLocaleString()} first replies (median ${goalLength(h.firstReplyP50Ms ?? 0)}).`;
  }
  if (h.nextReplyP75Ms == null) return 'From your history: the same as the first-reply goal (no follow-up answered yet).';
  return `From your history: ${goalLength(Math.max(MIN, h.nextReplyP75Ms))}, the 75th percentile of your last ${h.nextReplies.toLocaleString()} next replies.`;
}

function GoalForm({ view }: { view: GoalsView }) {
  const client = useClient();
  const queries = useQueryClient();
  const accounts = useAccountsQuery().data;
  const [firstMode, setFirstMode] = useState<'history' | 'set'>(view.firstReplyMs == null ? 'history' : 'set');
  const [first, setFirst] = useState<Dur>(toDur(view.firstReplyMs ?? view.effective.firstReplyMs));
  const [nextMode, setNextMode] = useState<'history' | 'set'>(view.nextReplyMs == null ? 'history' : 'set');
  const [next, setNext] = useState<Dur>(toDur(view.nextReplyMs ?? view.effective.nextReplyMs));
  const [hoursOn, setHoursOn] = useState(view.hours != null);
  const [timeZone, setTimeZone] = useState(view.hours?.timeZone ?? localZone());
  const [week, setWeek] = useState<Day[]>(() =>
    DAYS.map((_, i) => {
      const d = view.hours?.week[i];
      if (view.hours) return d ? { open: true, start: d.start, end: d.end } : { open: false, start: '09:00', end: '17:00' };
      return { open: i >= 1 && i <= 5, start: '09:00', end: '17:00' };
    }),
  );
  const [daysOff, setDaysOff] = useState((view.hours?.daysOff ?? []).join(', '));
  const [overrides, setOverrides] = useState<OverrideRow[]>(() =>
    view.overrides.map((o, i) => ({
      key: i,
      kind: o.accountId !== undefined ? 'account' : 'tag',
      accountId: o.accountId !== undefined ? String(o.accountId) : null,
      tag: o.tag ?? '',
      first: toDur(o.firstReplyMs),
      next: toDur(o.nextReplyMs),
    })),
  );
  const [error, setError] = useState<string | null>(null);
  /** Where the schema's complaint is, to mark that field. */
  const [errorAt, setErrorAt] = useState<string | null>(null);
  const bad = (...path: (string | number)[]) => errorAt !== null && (errorAt + '.').startsWith(path.join('.') + '.');
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const zoneList = useMemo(() => timeZones(), []);
  const accountOptions = useMemo(
    () => [...(accounts?.email ?? []).map((a) => ({ value: String(a.id), label: `${a.name} (email)` })), ...(accounts?.x ?? []).map((a) => ({ value: String(a.id), label: `${a.name} (X)` }))],
    [accounts],
  );

  const touch = () => {
    setSaved(false);
    setError(null);
    setErrorAt(null);
  };
  const setDay = (i: number, patch: Partial<Day>) => {
    touch();
    setWeek((w) => w.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  };
  const setOverride = (key: number, patch: Partial<OverrideRow>) => {
    touch();
    setOverrides((os) => os.map((o) => (o.key === key ? { ...o, ...patch } : o)));
  };
  const addOverride = (kind: 'account' | 'tag') => {
    touch();
    setOverrides((os) => [...os, { key: Math.max(-1, ...os.map((o) => o.key)) + 1, kind, accountId: null, tag: '', first: { value: '', unit: 'h' }, next: { value: '', unit: 'h' } }]);
  };

  const save = async () => {
    const args = {
      firstReplyMs: firstMode === 'history' ? null : (toMs(first) ?? NaN),
      nextReplyMs: nextMode === 'history' ? null : (toMs(next) ?? NaN),
      hours: hoursOn
        ? {
            timeZone: timeZone.trim(),
            week: week.map((d) => (d.open ? { start: d.start.trim(), end: d.end.trim() } : null)),
            daysOff: daysOff.split(/[\s,;]+/).filter(Boolean),
          }
        : null,
      overrides: overrides.map((o): Partial<GoalOverride> => ({
        ...(o.kind === 'account' ? { accountId: o.accountId ? Number(o.accountId) : undefined } : { tag: o.tag }),
        firstReplyMs: toMs(o.first),
        nextReplyMs: toMs(o.next),
      })),
    };
    const checked = goalSchemas['goals.set'].safeParse(args);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      setErrorAt(issue.path.map(String).join('.'));
      // An account override without its account reads better than the schema's "one account or one tag".
      const noAccount = issue.path[0] === 'overrides' && typeof issue.path[1] === 'number' && overrides[issue.path[1]]?.kind === 'account' && !overrides[issue.path[1]]?.accountId;
      setError(noAccount ? `${fieldName(issue.path.slice(0, 2))}: pick an account` : issueText(issue));
      return;
    }
    setBusy(true);
    try {
      const v = await client.call('goals.set', checked.data);
      queries.setQueryData(qk.goalSettings(), v);
      setSaved(true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" className="goal-form" data-testid="goal-settings">
      <Text size="sm" c="dimmed">
        A conversation waiting on you is due within its goal, counted from the customer&apos;s oldest unanswered message. Overdue ones are marked in the queue and weigh on the At risk view.
      </Text>
      <GoalChoice
        label="First reply"
        mode={firstMode}
        onMode={(m) => {
          touch();
          setFirstMode(m);
        }}
        d={first}
        onDur={(d) => {
          touch();
          setFirst(d);
        }}
        history={historyText(view, 'first')}
        testId="goal-first"
        invalid={bad('firstReplyMs')}
      />
      <GoalChoice
        label="Next reply (the customer wrote again after an answer)"
        mode={nextMode}
        onMode={(m) => {
          touch();
          setNextMode(m);
        }}
        d={next}
        onDur={(d) => {
          touch();
          setNext(d);
        }}
        history={historyText(view, 'next')}
        testId="goal-next"
        invalid={bad('nextReplyMs')}
      />

      <div>
        <Switch
          label="Count business hours only"
          description="Off: goals count calendar time, nights and weekends included."
          checked={hoursOn}
          onChange={(e) => {
            touch();
            setHoursOn(e.currentTarget.checked);
          }}
          data-testid="goal-hours-on"
        />
        {hoursOn ? (
          <Stack gap={6} mt="sm" data-testid="goal-hours">
            <Autocomplete
              label="Time zone"
              description="An IANA name, e.g. Europe/Paris"
              data={zoneList}
              limit={20}
              value={timeZone}
              onChange={(v) => {
                touch();
                setTimeZone(v);
              }}
              size="xs"
              w={300}
              error={bad('hours', 'timeZone')}
              data-testid="goal-timezone"
            />
            <Table fz="xs" verticalSpacing={2} w="auto" withRowBorders={false}>
              <Table.Tbody>
                {SHOWN_DAYS.map((i) => {
                  const d = week[i]!;
                  return (
                    <Table.Tr key={i} data-testid={`goal-day-${i}`}>
                      <Table.Td w={130}>
                        <Checkbox size="xs" label={DAYS[i]} checked={d.open} onChange={(e) => setDay(i, { open: e.currentTarget.checked })} />
                      </Table.Td>
                      <Table.Td>
                        {d.open ? (
                          <Group gap={6} wrap="nowrap">
                            <TextInput
                              size="xs"
                              w={70}
                              error={bad('hours', 'week', i, 'start') || (bad('hours', 'week', i) && !bad('hours', 'week', i, 'end'))}
                              aria-label={`${DAYS[i]} opens`}
                              placeholder="09:00"
                              value={d.start}
                              onChange={(e) => setDay(i, { start: e.currentTarget.value })}
                            />
                            <Text size="xs">to</Text>
                            <TextInput
                              size="xs"
                              w={70}
                              error={bad('hours', 'week', i, 'end') || (bad('hours', 'week', i) && !bad('hours', 'week', i, 'start'))}
                              aria-label={`${DAYS[i]} closes`}
                              placeholder="17:00"
                              value={d.end}
                              onChange={(e) => setDay(i, { end: e.currentTarget.value })}
                            />
                          </Group>
                        ) : (
                          <Text size="xs" c="dimmed">
                            closed
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <TextInput
              label="Days off"
              description="Holidays, YYYY-MM-DD in that time zone, separated by commas"
              placeholder="2026-12-25, 2027-01-01"
              value={daysOff}
              onChange={(e) => {
                touch();
                setDaysOff(e.currentTarget.value);
              }}
              size="xs"
              w={420}
              error={bad('hours', 'daysOff')}
              data-testid="goal-days-off"
            />
          </Stack>
        ) : null}
      </div>

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
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => {
                        touch();
                        setOverrides((os) => os.filter((x) => x.key !== o.key));
                      }}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        <Group gap="xs" mt={6}>
          <Button size="compact-xs" variant="default" onClick={() => addOverride('account')} data-testid="goal-add-account">
            Add an account override
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => addOverride('tag')} data-testid="goal-add-tag">
            Add a tag override
          </Button>
        </Group>
      </div>

      {error ? (
        <Alert color="red" variant="light" role="alert" data-testid="goal-error">
          {error}
        </Alert>
      ) : null}
      <Group gap="sm">
        <Button onClick={() => void save()} loading={busy} data-testid="goal-save">
          Save goals
        </Button>
        {saved ? (
          <Text size="sm" c="teal" data-testid="goal-saved">
            Saved. In force: first reply {goalLength(view.effective.firstReplyMs)}, next reply {goalLength(view.effective.nextReplyMs)}.
          </Text>
        ) : null}
      </Group>
    </Stack>
  );
}

export function GoalSettings() {
  const { data, error } = useGoalSettings();
  if (error) {
    return (
      <Text c="red" size="sm" role="alert">
        {error.message}
      </Text>
    );
  }
  if (!data) return <Text size="sm">Loading…</Text>;
  return <GoalForm view={data} />;
}
