// Attachments of an email message: each opens (downloads with its own filename and content type,
// bytes fetched through the contract from the content-addressed folder); images can be previewed
// inline. In Electron the download goes through the session's save dialog; in a browser, the
// browser's downloads.
import { useEffect, useState } from 'react';
import { Badge, Group, Loader, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { Attachment } from '../../../shared/domain/types';
import { displayFilename, saveFilename } from '../../../shared/domain/filename';
import { useClient } from '../rpc/core';
import { IconPaperclip } from '../ui/icons';

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Raster images a browser shows safely in <img> (no SVG: it is a document, not a picture). */
const PREVIEWABLE = /^image\/(png|jpe?g|gif|webp|bmp|avif)$/i;

function toBlob(base64: string, type: string): Blob {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

function AttachmentChip({ a }: { a: Attachment }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  // Shown and saved with bidi and other control characters made visible, the real extension at the end.
  const name = saveFilename(a.filename, `attachment-${a.id}`);
  const shown = displayFilename(a.filename);
  const image = PREVIEWABLE.test(a.mimeType);
  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview);
    },
    [preview],
  );
  const fetchBlob = async (): Promise<Blob> => {
    const r = await client.call('attachments.get', { id: a.id });
    return toBlob(r.base64, r.mimeType);
  };
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const url = URL.createObjectURL(await fetchBlob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.rel = 'noopener';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const togglePreview = async () => {
    if (preview) {
      setPreview(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPreview(URL.createObjectURL(await fetchBlob()));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={4} data-testid="attachment">
      <Group gap={4} wrap="nowrap">
        <Tooltip label={`Save ${name} (${a.mimeType})`} openDelay={300}>
          <UnstyledButton onClick={() => void open()} aria-label={`Open the attachment ${name}, ${formatSize(a.size)}`} data-testid="attachment-open" disabled={busy}>
            <Badge variant="outline" color="gray" radius="sm" leftSection={busy ? <Loader size={10} /> : <IconPaperclip size={11} />} tt="none" fw={500} style={{ cursor: 'pointer' }}>
              <bdi dir="ltr" data-testid="attachment-name">
                {shown}
              </bdi>{' '}
              · {formatSize(a.size)}
            </Badge>
          </UnstyledButton>
        </Tooltip>
        {image ? (
          <UnstyledButton onClick={() => void togglePreview()} data-testid="attachment-preview-toggle" aria-expanded={!!preview}>
            <Text size="xs" c="blue">
              {preview ? 'Hide' : 'Preview'}
            </Text>
          </UnstyledButton>
        ) : null}
      </Group>
      {preview ? (
        <img src={preview} alt={shown} className="attachment-preview" style={{ maxWidth: '100%', maxHeight: 320, borderRadius: 4, alignSelf: 'flex-start' }} data-testid="attachment-preview" />
      ) : null}
      <ErrorLine>{error}</ErrorLine>
    </Stack>
  );
}

export function Attachments({ attachments }: { attachments: Attachment[] }) {
  if (!attachments.length) return null;
  return (
    <Group gap={8} mt={8} align="flex-start" data-testid="attachments">
      {attachments.map((a) => (
        <AttachmentChip key={a.id} a={a} />
      ))}
    </Group>
  );
}
