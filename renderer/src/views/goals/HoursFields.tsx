// Settings → Goals: business hours per weekday in a time zone, and days off.
import { useMemo } from 'react';
import { Autocomplete, Checkbox, Group, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { timeZones } from '../../lib/zones';
import { DAYS, SHOWN_DAYS, type Day } from './model';

export function HoursFields({
  hoursOn,
  onHoursOn,
  timeZone,
  onTimeZone,
  week,
  setDay,
  daysOff,
  onDaysOff,
  bad,
}: {
  hoursOn: boolean;
  onHoursOn: (on: boolean) => void;
  timeZone: string;
  onTimeZone: (zone: string) => void;
  week: Day[];
  setDay: (i: number, patch: Partial<Day>) => void;
  daysOff: string;
  onDaysOff: (text: string) => void;
  /** Whether the schema's complaint is at this path (the field is marked). */
  bad: (...path: (string | number)[]) => boolean;
}) {
  const zoneList = useMemo(() => timeZones(), []);
  return (
    <div>
      <Switch
        label="Count business hours only"
        description="Off: goals count calendar time, nights and weekends included."
        checked={hoursOn}
        onChange={(e) => onHoursOn(e.currentTarget.checked)}
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
            onChange={onTimeZone}
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
            onChange={(e) => onDaysOff(e.currentTarget.value)}
            size="xs"
            w={420}
            error={bad('hours', 'daysOff')}
            data-testid="goal-days-off"
          />
        </Stack>
      ) : null}
    </div>
  );
}
