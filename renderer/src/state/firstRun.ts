// Whether to show the first-run screen.
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/contract/api';
import { useClient } from '../rpc/core';

const SKIPPED = 'canary.firstRun.skipped';

/** Show the first-run screen when the database holds nothing and no account is set up. */
export function useFirstRun(): { show: boolean; info: AppInfo | null; hide: (remember: boolean) => void } {
  const client = useClient();
  const [state, setState] = useState<{ show: boolean; info: AppInfo | null }>({ show: false, info: null });
  useEffect(() => {
    let live = true;
    Promise.all([client.call('stats.get', {}), client.call('app.info', {})]).then(
      ([stats, info]) => {
        let skipped = false;
        try {
          skipped = localStorage.getItem(SKIPPED) === info.dbPath;
        } catch {
          // no storage: ask every time
        }
        if (live) setState({ show: stats.conversations === 0 && stats.accounts === 0 && !skipped, info });
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client]);
  const hide = useCallback(
    (remember: boolean) => {
      if (remember && state.info) {
        try {
          localStorage.setItem(SKIPPED, state.info.dbPath);
        } catch {
          // not remembered
        }
      }
      setState((s) => ({ ...s, show: false }));
    },
    [state.info],
  );
  return { ...state, hide };
}
