// Renderer entry: Mantine (light/dark follows the system), the core client over IPC (Electron)
// or a WebSocket (browser host), the query cache fed by the core's events, and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import '@mantine/charts/styles.css';
import './styles/app.css';
import { CoreProvider, makeCore } from './rpc/core';
import { chooseTransport } from './rpc/transport';
import { QueryProvider, makeQueryClient } from './state/queries';
import { queueStoreFor } from './state/queue';
import { App } from './App';

const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 keeps white text on filled buttons above WCAG AA contrast (shade 6 is 3.6:1).
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

const core = makeCore(chooseTransport());
// The queue's first page is the first call the core gets (sent as the connection opens), before
// what the first render's effects ask for.
const queue = queueStoreFor(core.client);
queue.start();
const queries = makeQueryClient();
const root = document.getElementById('root');
if (!root) throw new Error('no #root element');

/** Longest the first render waits for the queue's first page. */
const FIRST_PAGE_WAIT_MS = 150;

// The window renders once that page is here (or after FIRST_PAGE_WAIT_MS): one render, style and
// layout of the window with its rows, instead of an empty frame first and the rows after it; and
// the page stays free while the connection opens and the core answers.
void Promise.race([queue.loaded(), new Promise((resolve) => setTimeout(resolve, FIRST_PAGE_WAIT_MS))]).then(() =>
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <Notifications position="bottom-left" limit={3} />
        <CoreProvider value={core}>
          <QueryProvider client={queries}>
            <App />
          </QueryProvider>
        </CoreProvider>
      </MantineProvider>
    </StrictMode>,
  ),
);
