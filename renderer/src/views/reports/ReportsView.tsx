// The Reports view: the canary report (report.get) over a date range as charts, each with its
// numbers as a table, and every table as CSV. Ranges are UTC days, as the core counts them.
import { useMemo, useState } from 'react';
import { Alert, Button, Group, Loader, Menu, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { ErrorLine } from '../../ui/ErrorLine';
import type { ReportView } from '../../../../shared/contract/report';
import { reportTables } from '../../../../shared/report-tables';
import { useReportQuery } from '../../state/queries';
import { IconChevronDown, IconDownload } from '../../ui/icons';
import { EscalationsPerWeek, EscalationWait, FailedTouchpoints, FollowUps, GoalsMet, TimesPerWeek } from './charts';
import { count, DEFAULT_PRESET, duration, pct, presetRange, rangeError, todayRange, type Preset, type Range } from './format';
import { downloadCsv } from './parts';
import './reports.css';

const PRESETS: { value: Preset; label: string }[] = [
  { value: '4w', label: 'Last 4 weeks' },
  { value: '12w', label: 'Last 12 weeks' },
  { value: 'all', label: 'All time' },
  { value: 'custom', label: 'Custom' },
];

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`${testId}-value`}>
        {value}
      </Text>
      {sub ? (
        <Text size="xs" c="dimmed">
          {sub}
        </Text>
      ) : null}
    </Paper>
  );
}

function Summary({ r }: { r: ReportView }) {
  return (
    <SimpleGrid cols={{ base: 2, lg: 5 }} spacing="sm" data-testid="report-summary">
      <Stat testId="stat-conversations" label="Conversations" value={count(r.conversations)} sub={`${count(r.answered)} answered`} />
      <Stat testId="stat-first-reply" label="First reply, median" value={duration(r.first_reply_ms.p50)} sub={`90th percentile ${duration(r.first_reply_ms.p90)}`} />
      <Stat testId="stat-resolution" label="Resolution, median" value={duration(r.resolution_ms.p50)} sub={`90th percentile ${duration(r.resolution_ms.p90)}`} />
      <Stat testId="stat-goals" label="Goals met" value={pct(r.goals.met_pct)} sub={`${count(r.goals.met)} of ${count(r.goals.met + r.goals.missed)} first replies`} />
      <Stat testId="stat-escalations" label="Escalations" value={count(r.escalations)} sub={`${count(r.unanswered_escalations)} after an unanswered email`} />
    </SimpleGrid>
  );
}

function RangePicker({ preset, custom, onPreset, onCustom }: { preset: Preset; custom: Range; onPreset: (p: Preset) => void; onCustom: (r: Range) => void }) {
  const err = preset === 'custom' ? rangeError(custom) : null;
  return (
    <Group gap="sm" align="end" wrap="wrap">
      <SegmentedControl size="xs" data={PRESETS} value={preset} onChange={(v) => onPreset(v)} aria-label="Date range" data-testid="report-range" />
      {preset === 'custom' ? (
        <>
          <TextInput
            type="date"
            size="xs"
            label="From (UTC)"
            value={custom.since ?? ''}
            onChange={(e) => onCustom({ ...custom, since: e.currentTarget.value || null })}
            data-testid="report-since"
            error={err ? ' ' : undefined}
          />
          <TextInput
            type="date"
            size="xs"
            label="To (UTC)"
            value={custom.until ?? ''}
            onChange={(e) => onCustom({ ...custom, until: e.currentTarget.value || null })}
            data-testid="report-until"
            error={err ? ' ' : undefined}
          />
          <ErrorLine pb={6}>{err}</ErrorLine>
        </>
      ) : null}
    </Group>
  );
}

function ExportMenu({ report, range }: { report: ReportView; range: Range }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} rightSection={<IconChevronDown size={12} />} data-testid="report-export">
          Export CSV
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>One file per table</Menu.Label>
        {reportTables(report).map((t) => (
          <Menu.Item key={t.name} onClick={() => downloadCsv(report, t.name, range)} data-testid={`report-export-${t.name}`}>
            {t.name}.csv
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

export function ReportsView() {
  const [preset, setPreset] = useState<Preset>(DEFAULT_PRESET);
  const [custom, setCustom] = useState<Range>(() => presetRange('4w'));
  // The same object while the range is the same (the charts are memoised on it); a new day moves the presets.
  const today = new Date().toISOString().slice(0, 10);
  const range: Range = useMemo(() => (preset === 'custom' ? (rangeError(custom) ? { since: null, until: null } : custom) : todayRange(preset, today)), [preset, custom, today]);
  const q = useReportQuery(range.since, range.until);
  const r = q.data;
  const empty = r && r.conversations === 0 && r.escalations === 0;
  return (
    <div className="reports" data-testid="reports" aria-busy={q.isFetching || undefined}>
      <Stack gap="md" p="md" maw={1280}>
        <Group justify="space-between" align="end" wrap="wrap">
          <div>
            <Title order={2} size="h3">
              Reports
            </Title>
            <Text size="sm" c="dimmed" data-testid="report-range-label">
              {range.since || range.until ? `Conversations that started ${range.since ?? 'at any time'} to ${range.until ?? 'today'} (UTC days)` : 'All conversations'}
            </Text>
          </div>
          <Group gap="sm" align="end">
            <RangePicker
              preset={preset}
              custom={custom}
              onPreset={(p) => {
                if (p === 'custom') setCustom(range.since || range.until ? range : presetRange('4w'));
                setPreset(p);
              }}
              onCustom={setCustom}
            />
            {r && !empty ? <ExportMenu report={r} range={range} /> : null}
            {q.isFetching ? <Loader size="xs" aria-label="Updating the report" /> : null}
          </Group>
        </Group>
        {q.error ? (
          <Alert color="red" title="The report could not be made">
            {q.error.message}
          </Alert>
        ) : null}
        {!r ? (
          q.isLoading ? (
            <Group gap="xs">
              <Loader size="sm" />
              <Text size="sm">Reading every conversation…</Text>
            </Group>
          ) : null
        ) : empty ? (
          <Paper withBorder p="xl" radius="md" data-testid="report-empty">
            <Title order={3} size="h4">
              Nothing to report {range.since || range.until ? 'in this range' : 'yet'}
            </Title>
            <Text size="sm" c="dimmed" mt="xs">
              {range.since || range.until
                ? 'No conversation started in these days. Pick a longer range or All time.'
                : 'Once mail and X conversations arrive (add an account, import a folder or open the demo workspace), reply and resolution times, goals, escalations and where unanswered mail went public appear here.'}
            </Text>
          </Paper>
        ) : (
          <>
            <Summary r={r} />
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
              <EscalationsPerWeek report={r} range={range} />
              <EscalationWait report={r} range={range} />
            </SimpleGrid>
            <TimesPerWeek report={r} range={range} />
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
              <GoalsMet report={r} range={range} />
              <FollowUps report={r} range={range} />
            </SimpleGrid>
            <Title order={3} size="h4" mt="sm">
              Where unanswered mail went public
            </Title>
            <Text size="sm" c="dimmed" mt={-8}>
              For each escalation after an unanswered email: its email thread's account, tags, subject words and kinds of reference, and when its oldest unanswered mail came in.
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md" data-testid="report-failed">
              <FailedTouchpoints report={r} range={range} />
            </SimpleGrid>
          </>
        )}
      </Stack>
    </div>
  );
}
