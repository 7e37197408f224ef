import { useEffect, useMemo, useRef, useState } from 'react';
import { Anchor, Group, Text } from '@mantine/core';
import { emailDocument, sanitizeEmailHtml } from '../lib/sanitize';
import { splitQuoted } from '../lib/quotes';
import { IconPhotoOff } from '../ui/icons';
import { LinkedText, useLinkOpener } from '../ui/Links';

const ALLOW_KEY = 'canary.images.allowedSenders';

function allowedSenders(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(ALLOW_KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

function allowSender(address: string): void {
  const s = allowedSenders();
  s.add(address.toLowerCase());
  try {
    localStorage.setItem(ALLOW_KEY, JSON.stringify([...s]));
  } catch {
    // not persisted
  }
}

/** Sanitized HTML in a sandboxed iframe (no scripts; remote images only when allowed), sized to its content. */
export function HtmlBody({ html, sender }: { html: string; sender: string }) {
  const [showImages, setShowImages] = useState(() => allowedSenders().has(sender.toLowerCase()));
  const [showQuoted, setShowQuoted] = useState(false);
  const clean = useMemo(() => sanitizeEmailHtml(html, { allowRemote: showImages }), [html, showImages]);
  const doc = useMemo(() => emailDocument(clean.html, { allowRemote: showImages, showQuoted }), [clean.html, showImages, showQuoted]);
  const ref = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(120);
  const links = useLinkOpener();
  const openRef = useRef(links.open);
  useEffect(() => {
    openRef.current = links.open;
  });

  useEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    const measure = () => {
      const d = frame.contentDocument;
      if (d?.documentElement) setHeight(Math.min(20000, Math.max(40, d.documentElement.scrollHeight)));
    };
    // Links in the mail: hovering shows the real address; a click (or middle click) goes through
    // useLinkOpener, which asks first when the text names another destination.
    const wireLinks = () => {
      const d = frame.contentDocument;
      if (!d) return;
      for (const a of d.querySelectorAll('a[href], area[href]')) if (!a.getAttribute('title')) a.setAttribute('title', a.getAttribute('href') ?? '');
      const onClick = (e: MouseEvent) => {
        if (e.button > 1) return;
        const a = (e.target as Element | null)?.closest?.('a[href], area[href]');
        if (!a) return;
        e.preventDefault();
        openRef.current(a.getAttribute('href') ?? '', a.textContent || a.getAttribute('alt') || '');
      };
      d.addEventListener('click', onClick);
      d.addEventListener('auxclick', onClick);
    };
    frame.addEventListener('load', measure);
    frame.addEventListener('load', wireLinks);
    const ro = new ResizeObserver(measure);
    ro.observe(frame);
    return () => {
      frame.removeEventListener('load', measure);
      frame.removeEventListener('load', wireLinks);
      ro.disconnect();
    };
  }, [doc]);

  return (
    <div className="email-html">
      {clean.blockedImages > 0 && !showImages ? (
        <Group gap={8} className="blocked-bar" data-testid="images-blocked">
          <IconPhotoOff size={14} />
          <Text size="xs">
            {clean.blockedImages} remote image{clean.blockedImages === 1 ? '' : 's'} blocked.
          </Text>
          <Anchor component="button" size="xs" onClick={() => setShowImages(true)}>
            Show
          </Anchor>
          {sender ? (
            <Anchor
              component="button"
              size="xs"
              onClick={() => {
                allowSender(sender);
                setShowImages(true);
              }}
            >
              Always show from {sender}
            </Anchor>
          ) : null}
        </Group>
      ) : null}
      <iframe
        ref={ref}
        title={`Email from ${sender || 'sender'}`}
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={doc}
        style={{ height }}
        className="email-frame"
      />
      {links.confirm}
      {clean.hasQuoted ? (
        <Anchor component="button" size="xs" className="quoted-toggle" onClick={() => setShowQuoted((v) => !v)}>
          {showQuoted ? 'Hide quoted text' : 'Show quoted text'}
        </Anchor>
      ) : null}
    </div>
  );
}

export function TextBody({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const { body, quoted } = useMemo(() => splitQuoted(text), [text]);
  return (
    <div className="email-text">
      <div className="pre">
        {body ? (
          <LinkedText text={body} />
        ) : (
          <Text c="dimmed" size="sm" fs="italic">
            (no text)
          </Text>
        )}
      </div>
      {quoted ? (
        <>
          <Anchor component="button" size="xs" className="quoted-toggle" onClick={() => setOpen((v) => !v)} aria-expanded={open}>
            {open ? 'Hide quoted text' : '··· Show quoted text'}
          </Anchor>
          {open ? (
            <div className="pre quoted">
              <LinkedText text={quoted} />
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
