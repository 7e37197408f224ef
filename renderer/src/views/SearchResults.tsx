import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { Text } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { SearchHit } from '../../../shared/domain/types';
import { Snippet } from '../lib/snippet';
import { fullTime, messageTime } from '../lib/time';
import { ChannelIcon } from '../ui/marks';

/** Hits rendered at first: a screenful and a little more; the rest as the list is scrolled or the cursor nears them. */
const FIRST_ROWS = 14;
const MORE_ROWS = 20;

/** The hits alone: unchanged while the next query is in flight, so typing re-renders only the header. */
const HitList = memo(function HitList({ hits, count, active, onPick }: { hits: SearchHit[]; count: number; active: number; onPick: (index: number) => void }) {
  return (
    <>
      {hits.slice(0, count).map((h, i) => (
        <div
          key={h.messageId}
          role="option"
          id={`hit-${i}`}
          aria-selected={i === active}
          data-active={i === active || undefined}
          data-index={i}
          data-testid="search-hit"
          className="hit"
          onClick={() => onPick(i)}
        >
          <div className="qrow-icon">
            <ChannelIcon kind={h.kind} />
          </div>
          <div className="qrow-main">
            <div className="qrow-line1">
              <span className="qrow-name">{h.authorName || 'Unknown'}</span>
              <span className="qrow-spacer" />
              <span className="qrow-time" title={fullTime(h.sentAt)}>
                {messageTime(h.sentAt)}
              </span>
            </div>
            {h.subject ? <div className="qrow-title hit-subject">{h.subject}</div> : null}
            <div className="hit-snippet">
              <Snippet text={h.snippet} />
            </div>
          </div>
        </div>
      ))}
    </>
  );
});

function SearchResultsView({
  query,
  hits,
  active,
  loading,
  error,
  onPick,
}: {
  query: string;
  hits: SearchHit[];
  active: number;
  loading: boolean;
  error: string | null;
  onPick: (index: number) => void;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  // How many hits are in the DOM: a new set of results starts with a screenful (rendering and laying
  // out all 50 on every keystroke was most of the time from key to painted results).
  const [rendered, setRendered] = useState<{ hits: SearchHit[]; count: number }>({ hits, count: FIRST_ROWS });
  const count = Math.min(hits.length, Math.max(rendered.hits === hits ? rendered.count : FIRST_ROWS, active + 6));
  const onScroll = useCallback(() => {
    const el = listRef.current;
    if (el && el.scrollTop + el.clientHeight * 2 > el.scrollHeight) {
      setRendered((r) => ({ hits, count: Math.max(r.hits === hits ? r.count : FIRST_ROWS, count) + MORE_ROWS }));
    }
  }, [hits, count]);
  const first = useRef(true);
  useEffect(() => {
    // Only when the person moves through the hits: on a new set the first one is at the top already.
    if (first.current) {
      first.current = false;
      return;
    }
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  return (
    <section className="queue" aria-label="Search results">
      <div className="pane-head">
        <Text fw={650} size="sm">
          Search
        </Text>
        <Text size="xs" c="dimmed" data-testid="search-total" aria-live="polite">
          {loading ? 'Searching…' : `${hits.length}${hits.length >= 50 ? '+' : ''} result${hits.length === 1 ? '' : 's'} for “${query}”`}
        </Text>
      </div>
      <ErrorLine size="sm" p="md">
        {error}
      </ErrorLine>
      {!loading && !error && hits.length === 0 ? (
        <div className="empty">
          <Text fw={600}>No matches</Text>
          <Text size="sm" c="dimmed">
            Try fewer words, or from:, to:, is:open, is:escalated, channel:x, before:/after: dates.
          </Text>
        </div>
      ) : null}
      <div className="queue-scroll" role="listbox" aria-label="Search results" ref={listRef} id="search-results" onScroll={onScroll}>
        <HitList hits={hits} count={count} active={active} onPick={onPick} />
      </div>
    </section>
  );
}

export const SearchResults = memo(SearchResultsView);
