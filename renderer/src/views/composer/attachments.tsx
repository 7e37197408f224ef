// Files on an email reply: picked, pasted (images) or dropped on the composer; shown as chips with
// their size against the limit the core tells before sending (compose.limits: the SMTP server's
// SIZE when it announced one, else 25 MB in all); read as base64 only when sent. The signature the
// reply will end with is shown below the box. Replies on X take no attachments here, and say so.
import { useCallback, useRef, useState } from 'react';
import { Button, CloseButton, Group, Text } from '@mantine/core';
import { ErrorLine } from '../../ui/ErrorLine';
import { useQuery } from '@tanstack/react-query';
import type { ConversationSummary } from '../../../../shared/domain/types';
import { DEFAULT_ATTACHMENT_LIMIT, MAX_ATTACHMENTS, type ComposeLimitsView, type OutgoingAttachment } from '../../../../shared/contract/compose';
import { displayFilename } from '../../../../shared/domain/filename';
import { formatBytes } from '../../../../shared/domain/bytes';
import { useClient } from '../../rpc/core';

export interface PickedFile {
  key: string;
  file: File;
  name: string;
  type: string;
  size: number;
}

export interface Attachments {
  files: PickedFile[];
  setFiles: (f: PickedFile[]) => void;
  add: (list: readonly File[], pasted?: boolean) => void;
  remove: (key: string) => void;
  total: number;
  max: number;
  over: boolean;
  limits: ComposeLimitsView | null;
  limitsError: string | null;
  problem: string | null;
  /** The files as the contract takes them (read now). */
  encode: () => Promise<OutgoingAttachment[]>;
}

function toBase64(f: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result.replace(/^data:[^,]*,/, '') : '');
    r.onerror = () => reject(new Error(`"${f.name}" could not be read: ${r.error?.message ?? 'unknown error'}`));
    r.readAsDataURL(f);
  });
}

let seq = 0;

export function useAttachments(c: ConversationSummary, open: boolean): Attachments {
  const client = useClient();
  const email = c.channel === 'email';
  const { data, error } = useQuery({
    queryKey: ['compose.limits', c.id],
    queryFn: () => client.call('compose.limits', { conversationId: c.id }),
    enabled: email && open,
    staleTime: 60_000,
    retry: false,
  });
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const max = data?.maxAttachmentBytes ?? DEFAULT_ATTACHMENT_LIMIT;
  const total = files.reduce((n, f) => n + f.size, 0);
  const add = useCallback(
    (list: readonly File[], pasted = false) => {
      setProblem(null);
      setFiles((now) => {
        const next = [...now];
        for (const file of list) {
          if (!file.size) {
            setProblem(`"${file.name || 'The file'}" is empty and was not attached.`);
            continue;
          }
          if (next.length >= MAX_ATTACHMENTS) {
            setProblem(`A reply carries at most ${MAX_ATTACHMENTS} files.`);
            break;
          }
          const ext = (file.type.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/gi, '') || 'bin';
          const name = pasted || !file.name ? `pasted-image-${next.length + 1}.${ext}` : file.name;
          next.push({ key: `f${++seq}`, file, name, type: file.type, size: file.size });
        }
        return next;
      });
    },
    [setFiles],
  );
  const remove = useCallback((key: string) => setFiles((now) => now.filter((f) => f.key !== key)), []);
  const encode = useCallback(async () => Promise.all(files.map(async (f) => ({ filename: f.name, ...(f.type ? { contentType: f.type } : {}), base64: await toBase64(f.file) }))), [files]);
  return { files, setFiles, add, remove, total, max, over: total > max, limits: data ?? null, limitsError: error ? error.message : null, problem, encode };
}

/** The Attach button, the chips and the limit; on X a line saying replies there take no attachments. */
export function AttachmentBar({ c, att, crossOn }: { c: ConversationSummary; att: Attachments; crossOn: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  if (c.channel !== 'email')
    return (
      <Text size="xs" c="dimmed" mt={4} data-testid="composer-no-attachments">
        Replies on X take no attachments here; send files by email.
      </Text>
    );
  if (crossOn)
    return (
      <Text size="xs" c="dimmed" mt={4} data-testid="composer-no-attachments">
        Files go with an email reply alone: turn off the reply on X to attach them.
      </Text>
    );
  const limitText = att.limits ? att.limits.note : att.limitsError ? `Files up to ${formatBytes(att.max)} in all.` : 'Checking the size limit…';
  return (
    <div data-testid="composer-attachments">
      <Group gap={6} mt={6} wrap="wrap">
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="composer-file-input"
          onChange={(e) => {
            att.add([...(e.currentTarget.files ?? [])]);
            e.currentTarget.value = '';
          }}
        />
        <Button size="compact-xs" variant="default" onClick={() => input.current?.click()} data-testid="composer-attach">
          Attach files
        </Button>
        {att.files.map((f) => (
          <Group key={f.key} gap={2} className="attachment-chip" data-testid="composer-attachment" wrap="nowrap">
            <Text size="xs" title={f.name}>
              {displayFilename(f.name, 'attachment', 40)} ({formatBytes(f.size)})
            </Text>
            <CloseButton size="xs" aria-label={`Remove ${f.name}`} onClick={() => att.remove(f.key)} />
          </Group>
        ))}
      </Group>
      <Text size="xs" c={att.over ? 'red' : 'dimmed'} mt={2} data-testid="composer-attachment-limit" role={att.over ? 'alert' : undefined}>
        {att.files.length ? `${formatBytes(att.total)} attached. ` : ''}
        {att.over ? `Over the limit by ${formatBytes(att.total - att.max)}: remove a file to send. ` : ''}
        {limitText} Paste or drop images here too.
      </Text>
      <ErrorLine>{att.problem}</ErrorLine>
    </div>
  );
}

/** The signature the reply will end with (Settings → Accounts), or where to set one. */
export function SignatureLine({ limits }: { limits: ComposeLimitsView | null }) {
  if (!limits) return null;
  if (!limits.signature)
    return (
      <Text size="xs" c="dimmed" mt={4} data-testid="composer-signature">
        No signature for {limits.accountName}: add one in Settings → Accounts.
      </Text>
    );
  return (
    <Text size="xs" c="dimmed" mt={4} style={{ whiteSpace: 'pre-wrap' }} data-testid="composer-signature" title="Added below your text when sent (Settings → Accounts)">
      {`-- \n${limits.signature}`}
    </Text>
  );
}
