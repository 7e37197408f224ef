// Settings → Goals: the first-reply and next-reply goals (or this business's history), business hours
// per weekday with a time zone and days off, and overrides per account and per tag. Checked with the
// contract's own schema before it is sent (goals.set validates it again), its message shown as is.
// The form's model and its parts are in goals/.
import { useMemo, useState } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import { useQueryClient } from '@tanstack/react-query';
import { goalSchemas, type GoalOverride, type GoalsView } from '../../../shared/contract/goals';
import { useClient } from '../rpc/core';
import { qk, useAccountsQuery } from '../state/queries';
import { useGoalSettings } from '../state/goals';
import { goalLength } from '../ui/goalMarks';
import { localZone } from '../lib/zones';
import { DAYS, fieldName, historyText, issueText, toDur, toMs, type Day, type Dur, type OverrideRow } from './goals/model';
import { GoalChoice } from './goals/fields';
import { HoursFields } from './goals/HoursFields';
import { OverridesFields } from './goals/OverridesFields';

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

      <HoursFields
        hoursOn={hoursOn}
        onHoursOn={(on) => {
          touch();
          setHoursOn(on);
        }}
        timeZone={timeZone}
        onTimeZone={(v) => {
          touch();
          setTimeZone(v);
        }}
        week={week}
        setDay={setDay}
        daysOff={daysOff}
        onDaysOff={(v) => {
          touch();
          setDaysOff(v);
        }}
        bad={bad}
      />

      <OverridesFields
        overrides={overrides}
        accountOptions={accountOptions}
        setOverride={setOverride}
        onAdd={addOverride}
        onRemove={(key) => {
          touch();
          setOverrides((os) => os.filter((x) => x.key !== key));
        }}
        bad={bad}
      />

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
    return <ErrorLine size="sm">{error.message}</ErrorLine>;
  }
  if (!data) return <Text size="sm">Loading…</Text>;
  return <GoalForm view={data} />;
}
