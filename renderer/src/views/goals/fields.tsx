// Settings → Goals: a duration (number and unit) and a goal that is either this business's history or set.
import { Group, NumberInput, SegmentedControl, Select, Text } from '@mantine/core';
import { UNITS, type Dur, type Unit } from './model';

export function DurationInput({ label, d, onChange, testId, invalid = false }: { label?: string; d: Dur; onChange: (d: Dur) => void; testId: string; invalid?: boolean }) {
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

export function GoalChoice({
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
