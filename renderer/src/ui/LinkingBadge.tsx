// While the linking engine's background build runs (the first start on a big mailbox, or after a
// large import), say so: links, suggestions and escalations are still appearing.
import { Badge, Loader, Tooltip } from '@mantine/core';

export interface LinkingProgress {
  building: boolean;
  done: number;
  total: number;
  error: string | null;
}

export function LinkingBadge({ progress: p }: { progress: LinkingProgress | null }) {
  if (!p) return null;
  if (p.error && !p.building) {
    return (
      <Tooltip label={`Linking failed: ${p.error}. It runs again on the next start or with canary links --full.`} multiline w={320} withArrow>
        <Badge color="red" variant="light" data-testid="linking-status" role="status" tabIndex={0}>
          Linking failed
        </Badge>
      </Tooltip>
    );
  }
  if (!p.building) return null;
  const pct = p.total ? Math.min(99, Math.floor((100 * p.done) / p.total)) : 0;
  return (
    <Tooltip label="Canary is matching X accounts to your email customers. Links, suggestions and escalations appear as it goes; everything else works meanwhile." multiline w={320} withArrow>
      <Badge color="gray" variant="light" leftSection={<Loader size={10} />} data-testid="linking-status" role="status" tabIndex={0}>
        Linking customers {pct}%
      </Badge>
    </Tooltip>
  );
}
