import { memo, useEffect } from 'react';
import { Button, Kbd, Modal, Stack, Text } from '@mantine/core';
import { fullTime, snoozePresets } from '../lib/time';

/** Snooze presets; the digit keys 1-4 pick one while it is open. */
function SnoozeModalView({ opened, onClose, onPick }: { opened: boolean; onClose: () => void; onPick: (until: number, label: string) => void }) {
  const presets = snoozePresets();
  useEffect(() => {
    if (!opened) return;
    const onKey = (e: KeyboardEvent) => {
      const n = Number(e.key);
      const p = Number.isInteger(n) && n >= 1 ? snoozePresets()[n - 1] : undefined;
      if (p && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        e.stopPropagation();
        onPick(p.until, p.label);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [opened, onPick]);
  return (
    <Modal opened={opened} onClose={onClose} title="Snooze until…" size="sm" closeButtonProps={{ 'aria-label': 'Close' }} data-testid="snooze-modal">
      <Stack gap={6}>
        {presets.map((p, i) => (
          <Button key={p.id} variant="default" justify="space-between" fullWidth onClick={() => onPick(p.until, p.label)} rightSection={<Kbd size="xs">{i + 1}</Kbd>} data-testid={`snooze-${p.id}`}>
            <span>
              {p.label}{' '}
              <Text span size="xs" c="dimmed">
                {fullTime(p.until)}
              </Text>
            </span>
          </Button>
        ))}
      </Stack>
    </Modal>
  );
}

export const SnoozeModal = memo(SnoozeModalView);
