// The charts of the canary report (shared/contract/report.ts), each with its numbers as a table.
// Colours are Mantine's, chosen to read in both schemes; times are drawn in hours and written as
// "3 h 20 min". Mantine's charts draw without animation (their bars and lines set isAnimationActive
// false, tooltips move at once). Their code is a chunk of its own (lazyCharts.tsx): the cards' titles
// and tables show with the report, and each chart is drawn when it comes into sight, one at a time
// (WhenVisible); the components are memoised so the view's own re-renders (the query fetching) do not
// draw them again.
import { memo, useMemo, useState } from 'react';
import { Group, Select, SimpleGrid, Text } from '@mantine/core';
import type { ReportCountRow, ReportView } from '../../../../shared/contract/report';
import { count, countAxis, duration, hourLabel, HOUR, pct, weekLong, weeksOf, weekShort, type Range } from './format';
import { BarChart, LineChart } from './lazyCharts';
import { ChartCard, DataTable, WhenVisible } from './parts';

interface Props {
  report: ReportView;
  range: Range;
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR) * 100) / 100);
const hoursTick = (v: number) => `${Number(v.toFixed(1))} h`;
const CHART_H = 220;
/** Legend items in the series' order (recharts sorts them by name otherwise). */
const LEGEND = { verticalAlign: 'bottom', itemSorter: null } as const;
const maxOf = (values: number[]) => values.reduce((m, v) => Math.max(m, v), 0);

export const EscalationsPerWeek = memo(function EscalationsPerWeek({ report, range }: Props) {
  const byWeek = new Map(report.escalations_per_week.map((w) => [w.week, w]));
  // Every week of the range, those without escalations at 0.
  const data = weeksOf([...byWeek.keys()], range).map((week) => {
    const w = byWeek.get(week);
    return { week: weekShort(week), unanswered: w?.unanswered ?? 0, other: w ? w.escalations - w.unanswered : 0 };
  });
  return (
    <ChartCard
      id="escalations"
      title="Escalations per week"
      note={`${count(report.escalations)} escalations, ${count(report.unanswered_escalations)} after an unanswered email. Weeks start on Monday (UTC).`}
      csv={{ report, table: 'escalations_per_week', range }}
      empty={report.escalations === 0 ? 'No escalations in this range.' : null}
    >
      <WhenVisible height={CHART_H}>
        <BarChart
          h={CHART_H}
          data={data}
          dataKey="week"
          type="stacked"
          withLegend
          legendProps={LEGEND}
          yAxisLabel="escalations"
          yAxisProps={countAxis(maxOf(report.escalations_per_week.map((w) => w.escalations)))}
          series={[
            { name: 'unanswered', label: 'After an unanswered email', color: 'red.7' },
            { name: 'other', label: 'Other escalations', color: 'orange.5' },
          ]}
        />
      </WhenVisible>
      <DataTable
        caption="Escalations per week"
        testId="report-escalations-table"
        columns={[{ label: 'Week of' }, { label: 'Escalations', numeric: true }, { label: 'After an unanswered email', numeric: true }]}
        rowKeys={report.escalations_per_week.map((w) => w.week)}
        rows={report.escalations_per_week.map((w) => [weekLong(w.week), count(w.escalations), count(w.unanswered)])}
      />
    </ChartCard>
  );
});

export const EscalationWait = memo(function EscalationWait({ report, range }: Props) {
  const counted = report.escalation_wait_buckets.reduce((n, b) => n + b.escalations, 0);
  return (
    <ChartCard
      id="wait"
      title="Wait from the unanswered email to the public post"
      note={`Median ${duration(report.escalation_wait_ms.p50)}, 90th percentile ${duration(report.escalation_wait_ms.p90)}, over ${count(counted)} escalations after an unanswered email.`}
      csv={{ report, table: 'escalation_wait', range }}
      empty={counted === 0 ? 'No escalation followed an unanswered email in this range.' : null}
    >
      <WhenVisible height={CHART_H}>
        <BarChart
          h={CHART_H}
          data={report.escalation_wait_buckets}
          dataKey="bucket"
          xAxisLabel="wait before going public"
          yAxisLabel="escalations"
          yAxisProps={countAxis(maxOf(report.escalation_wait_buckets.map((b) => b.escalations)))}
          series={[{ name: 'escalations', label: 'Escalations', color: 'red.7' }]}
        />
      </WhenVisible>
      <DataTable
        caption="Escalations by wait before going public"
        testId="report-wait-table"
        columns={[{ label: 'Wait' }, { label: 'Escalations', numeric: true }]}
        rowKeys={report.escalation_wait_buckets.map((b) => b.bucket)}
        rows={report.escalation_wait_buckets.map((b) => [b.bucket, count(b.escalations)])}
      />
    </ChartCard>
  );
});

const DIM_LABEL = { all: 'All', channel: 'Channel', account: 'Account', tag: 'Tag' } as const;

/** First reply and resolution p50/p90 per week, for everything or one channel, account or tag. */
export const TimesPerWeek = memo(function TimesPerWeek({ report, range }: Props) {
  const [pick, setPick] = useState('all\0all');
  const options = useMemo(() => {
    const groups = new Map<string, Set<string>>();
    for (const t of report.times_per_week) if (t.dimension !== 'all') (groups.get(t.dimension) ?? groups.set(t.dimension, new Set()).get(t.dimension)!).add(t.key);
    return [
      { value: 'all\0all', label: 'All conversations' },
      ...(['channel', 'account', 'tag'] as const).flatMap((d) =>
        [...(groups.get(d) ?? [])].sort().map((k) => ({ value: `${d}\0${k}`, label: `${DIM_LABEL[d]}: ${d === 'channel' ? (k === 'x' ? 'X' : 'Email') : k}` })),
      ),
    ];
  }, [report.times_per_week]);
  const current = options.some((o) => o.value === pick) ? pick : 'all\0all';
  const [dimension, key] = current.split('\0') as [string, string];
  const { rows, data } = useMemo(() => {
    const rows = report.times_per_week.filter((t) => t.dimension === dimension && t.key === key);
    const byWeek = new Map(rows.map((t) => [t.week, t]));
    // Every week from the first to the last, evenly spaced; a week without a reply has no point.
    const data = weeksOf([...byWeek.keys()], range).map((week) => {
      const t = byWeek.get(week);
      return {
        week: weekShort(week),
        firstP50: hours(t?.first_reply_ms.p50 ?? null),
        firstP90: hours(t?.first_reply_ms.p90 ?? null),
        resP50: hours(t?.resolution_ms.p50 ?? null),
        resP90: hours(t?.resolution_ms.p90 ?? null),
      };
    });
    return { rows, data };
  }, [report.times_per_week, dimension, key, range]);
  const label = options.find((o) => o.value === current)?.label ?? 'All conversations';
  const fmt = (v: number) => duration(Math.round(v * HOUR));
  const anyResolved = rows.some((t) => t.resolved > 0);
  return (
    <ChartCard
      id="times"
      wide
      title="First reply and resolution times per week"
      note={`Overall: first reply median ${duration(report.first_reply_ms.p50)}, 90th percentile ${duration(report.first_reply_ms.p90)}; resolution median ${duration(report.resolution_ms.p50)}, 90th percentile ${duration(report.resolution_ms.p90)}.`}
      csv={{ report, table: 'times_per_week', range }}
      empty={report.times_per_week.length === 0 ? 'No conversations in this range.' : null}
    >
      <Group gap="sm" align="end">
        <Select
          label="Show"
          data={options}
          value={current}
          onChange={(v) => v && setPick(v)}
          allowDeselect={false}
          size="xs"
          w={260}
          searchable
          data-testid="report-times-select"
          comboboxProps={{ withinPortal: true }}
        />
        <Text size="xs" c="dimmed" pb={6}>
          Times in hours; a week with no reply has no point.
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <div>
          <Text size="sm" fw={500} mb={4}>
            First reply
          </Text>
          <WhenVisible height={CHART_H}>
            <TimesLines data={data} fmt={fmt} p50={{ name: 'firstP50', color: 'blue.6' }} p90={{ name: 'firstP90', color: 'grape.6' }} />
          </WhenVisible>
        </div>
        <div>
          <Text size="sm" fw={500} mb={4}>
            Resolution
          </Text>
          {anyResolved ? (
            <WhenVisible height={CHART_H}>
              <TimesLines data={data} fmt={fmt} p50={{ name: 'resP50', color: 'teal.6' }} p90={{ name: 'resP90', color: 'orange.6' }} />
            </WhenVisible>
          ) : (
            <Text size="sm" c="dimmed" py="lg" ta="center" data-testid="report-times-no-resolution">
              No conversation marked done in this range.
            </Text>
          )}
        </div>
      </SimpleGrid>
      <DataTable
        caption={`Reply and resolution times per week: ${label}`}
        testId="report-times-table"
        columns={[
          { label: 'Week of' },
          { label: 'Conversations', numeric: true },
          { label: 'Answered', numeric: true },
          { label: 'First reply p50', numeric: true },
          { label: 'First reply p90', numeric: true },
          { label: 'Resolved', numeric: true },
          { label: 'Resolution p50', numeric: true },
          { label: 'Resolution p90', numeric: true },
        ]}
        rowKeys={rows.map((t) => t.week)}
        rows={rows.map((t) => [
          weekLong(t.week),
          count(t.conversations),
          count(t.answered),
          duration(t.first_reply_ms.p50),
          duration(t.first_reply_ms.p90),
          count(t.resolved),
          duration(t.resolution_ms.p50),
          duration(t.resolution_ms.p90),
        ])}
      />
    </ChartCard>
  );
});

export const GoalsMet = memo(function GoalsMet({ report, range }: Props) {
  const g = report.goals;
  const byWeek = new Map(report.goals_per_week.map((w) => [w.week, w.met_pct]));
  const data = weeksOf([...byWeek.keys()], range).map((week) => ({ week: weekShort(week), met: byWeek.get(week) ?? null }));
  return (
    <ChartCard
      id="goals"
      title="First replies within the goal"
      note={`${pct(g.met_pct)} met: ${count(g.met)} within the goal in force, ${count(g.missed)} late or still unanswered past it, ${count(g.pending)} not due yet or paused.`}
      csv={{ report, table: 'goals_per_week', range }}
      empty={g.met + g.missed === 0 ? 'No first reply was due in this range.' : null}
    >
      <WhenVisible height={CHART_H}>
        <BarChart
          h={CHART_H}
          data={data}
          dataKey="week"
          yAxisProps={{ domain: [0, 100], ticks: [0, 25, 50, 75, 100] }}
          valueFormatter={(v) => `${v}%`}
          withBarValueLabel
          barChartProps={{ margin: { top: 18 } }}
          yAxisLabel="met"
          series={[{ name: 'met', label: 'Met', color: 'teal.7' }]}
        />
      </WhenVisible>
      <DataTable
        caption="First replies within the goal per week"
        testId="report-goals-table"
        columns={[{ label: 'Week of' }, { label: 'Met', numeric: true }, { label: 'Missed', numeric: true }, { label: 'Pending', numeric: true }, { label: 'Met %', numeric: true }]}
        rowKeys={report.goals_per_week.map((w) => w.week)}
        rows={report.goals_per_week.map((w) => [weekLong(w.week), count(w.met), count(w.missed), count(w.pending), pct(w.met_pct)])}
      />
    </ChartCard>
  );
});

function TopChart({ id, title, rows, keyLabel, table, report, range, color }: Props & { id: string; title: string; rows: ReportCountRow[]; keyLabel: string; table: string; color: string }) {
  const top = rows.slice(0, 8);
  const h = Math.max(90, 34 * top.length + 40);
  return (
    <ChartCard id={id} title={title} csv={{ report, table, range }} empty={rows.length === 0 ? 'None in this range.' : null}>
      <WhenVisible height={h}>
        <BarChart
          h={h}
          data={top}
          dataKey="key"
          orientation="vertical"
          maxBarWidth={26}
          gridAxis="y"
          yAxisProps={{ width: 110 }}
          xAxisProps={countAxis(maxOf(top.map((r) => r.escalations)))}
          series={[{ name: 'escalations', label: 'Escalations', color }]}
        />
      </WhenVisible>
      <DataTable
        caption={`${title}: escalations after unanswered mail`}
        testId={`report-${id}-table`}
        columns={[{ label: keyLabel }, { label: 'Escalations', numeric: true }]}
        rowKeys={rows.map((r) => r.key)}
        rows={rows.map((r) => [r.key, count(r.escalations)])}
      />
    </ChartCard>
  );
}

/** Where the unanswered mail that went public came in: accounts, tags, topics, references, hours, weekdays. */
export const FailedTouchpoints = memo(function FailedTouchpoints({ report, range }: Props) {
  const f = report.failed;
  const anyHour = f.hours.some((h) => h.escalations > 0);
  return (
    <>
      <TopChart id="failed-accounts" title="Accounts" keyLabel="Account" rows={f.accounts} table="failed_accounts" report={report} range={range} color="red.7" />
      <TopChart id="failed-tags" title="Tags" keyLabel="Tag" rows={f.tags} table="failed_tags" report={report} range={range} color="orange.7" />
      <TopChart id="failed-topics" title="Topics (subject words)" keyLabel="Word" rows={f.subject_words} table="failed_subject_words" report={report} range={range} color="grape.6" />
      <TopChart id="failed-references" title="Kinds of reference" keyLabel="Kind" rows={f.reference_kinds} table="failed_reference_kinds" report={report} range={range} color="indigo.6" />
      <ChartCard id="failed-hours" title="Hour the mail came in (UTC)" csv={{ report, table: 'failed_hours', range }} empty={anyHour ? null : 'None in this range.'}>
        <WhenVisible height={CHART_H}>
          <BarChart
            h={CHART_H}
            data={f.hours.map((h) => ({ hour: String(h.hour).padStart(2, '0'), escalations: h.escalations }))}
            dataKey="hour"
            xAxisLabel="hour of the day (UTC)"
            xAxisProps={{ interval: 1 }}
            yAxisProps={countAxis(maxOf(f.hours.map((h) => h.escalations)))}
            series={[{ name: 'escalations', label: 'Escalations', color: 'red.7' }]}
          />
        </WhenVisible>
        <DataTable
          caption="Hour of the oldest unanswered mail (UTC), hours with escalations"
          testId="report-failed-hours-table"
          columns={[{ label: 'Hour (UTC)' }, { label: 'Escalations', numeric: true }]}
          rowKeys={f.hours.filter((h) => h.escalations > 0).map((h) => String(h.hour))}
          rows={f.hours.filter((h) => h.escalations > 0).map((h) => [hourLabel(h.hour), count(h.escalations)])}
        />
      </ChartCard>
      <ChartCard id="failed-weekdays" title="Weekday the mail came in (UTC)" csv={{ report, table: 'failed_weekdays', range }} empty={anyHour ? null : 'None in this range.'}>
        <WhenVisible height={CHART_H}>
          <BarChart
            h={CHART_H}
            data={f.weekdays.map((d) => ({ day: d.weekday.slice(0, 3), escalations: d.escalations }))}
            dataKey="day"
            yAxisProps={countAxis(maxOf(f.weekdays.map((d) => d.escalations)))}
            series={[{ name: 'escalations', label: 'Escalations', color: 'red.7' }]}
          />
        </WhenVisible>
        <DataTable
          caption="Weekday of the oldest unanswered mail (UTC)"
          testId="report-failed-weekdays-table"
          columns={[{ label: 'Weekday' }, { label: 'Escalations', numeric: true }]}
          rowKeys={f.weekdays.map((d) => d.weekday)}
          rows={f.weekdays.map((d) => [d.weekday, count(d.escalations)])}
        />
      </ChartCard>
    </>
  );
});

export const FollowUps = memo(function FollowUps({ report, range }: Props) {
  const rows = report.follow_ups;
  const data = rows.map((f) => ({ n: f.follow_ups, answered: f.answered, unanswered: f.unanswered, escalated: f.escalated }));
  return (
    <ChartCard
      id="follow-ups"
      title="Follow-ups before the first answer"
      note="Conversations by how many times the customer wrote again before the first answer (every message after the first when never answered)."
      csv={{ report, table: 'follow_ups', range }}
      empty={report.conversations === 0 ? 'No conversations in this range.' : null}
    >
      <WhenVisible height={CHART_H}>
        <BarChart
          h={CHART_H}
          data={data}
          dataKey="n"
          yAxisLabel="conversations"
          yAxisProps={countAxis(maxOf(rows.flatMap((f) => [f.answered, f.unanswered, f.escalated])))}
          withLegend
          legendProps={LEGEND}
          series={[
            { name: 'answered', label: 'Answered', color: 'teal.7' },
            { name: 'unanswered', label: 'Never answered', color: 'gray.6' },
            { name: 'escalated', label: 'Went public', color: 'red.7' },
          ]}
        />
      </WhenVisible>
      <DataTable
        caption="Conversations by follow-ups before the first answer"
        testId="report-follow-ups-table"
        columns={[{ label: 'Follow-ups' }, { label: 'Answered', numeric: true }, { label: 'Never answered', numeric: true }, { label: 'Went public', numeric: true }]}
        rowKeys={rows.map((f) => f.follow_ups)}
        rows={rows.map((f) => [f.follow_ups, count(f.answered), count(f.unanswered), count(f.escalated)])}
      />
    </ChartCard>
  );
});

/** A week's median and 90th percentile of one time, in hours (the p90 dashed). */
function TimesLines({
  data,
  fmt,
  p50,
  p90,
}: {
  data: Record<string, string | number | null>[];
  fmt: (v: number) => string;
  p50: { name: string; color: string };
  p90: { name: string; color: string };
}) {
  return (
    <LineChart
      h={CHART_H}
      data={data}
      dataKey="week"
      withLegend
      legendProps={LEGEND}
      valueFormatter={fmt}
      yAxisProps={{ tickFormatter: hoursTick }}
      connectNulls
      curveType="linear"
      series={[
        { ...p50, label: 'Median (p50)' },
        { ...p90, label: '90th percentile', strokeDasharray: '5 4' },
      ]}
    />
  );
}
