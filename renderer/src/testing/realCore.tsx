// Component tests render the window's real components against a real core: createCore on a temporary
// data folder, reached through a transport that does what the preload bridge does (one request
// envelope to core.handle, the answer structured-cloned as IPC clones it, every core event forwarded).
// Test-only: the production renderer never imports the core (eslint.config.mjs allows it here and in
// renderer/**/*.test.tsx only).
import type { ReactNode } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { createCore, type Core as RealCore, type CoreOptions } from '../../../electron/core/createCore';
import { tempDir } from '../../../electron/core/testing/tmp';
import type { RpcEvent } from '../../../shared/rpc/protocol';
import { CoreProvider, makeCore, type Core } from '../rpc/core';
import type { Transport } from '../rpc/transport';
import { QueryProvider, makeQueryClient } from '../state/queries';
import { CommandRegistry, CommandsProvider } from '../commands/registry';

// happy-dom has no FontFaceSet (document.fonts), which Mantine's autosizing Textarea listens on for
// fonts loading: a set whose fonts are all loaded already.
if (typeof document !== 'undefined' && !('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { configurable: true, value: Object.assign(new EventTarget(), { status: 'loaded', ready: Promise.resolve() }) });
}

export interface TestCore {
  /** The core itself (its db and ctx for seeding with the core's own test helpers). */
  core: RealCore;
  /** What the window holds: the typed client over the test transport. */
  window: Core;
  /** Core events seen by the window, in order. */
  events: RpcEvent[];
  close(): Promise<void>;
}

/** A real core in a fresh temporary folder, and the window's view of it. */
export function startCore(opts: Omit<CoreOptions, 'dataDir'> = {}): TestCore {
  const t = tempDir('canary-renderer-');
  const core = createCore({ dataDir: t.dir, ...opts });
  const events: RpcEvent[] = [];
  let seq = 0;
  const transport: Transport = {
    kind: 'ipc',
    invoke: async (method, args) => structuredClone(await core.handle({ id: ++seq, method, args }, { transport: 'test' })),
    onEvent: (cb) =>
      core.events.subscribe((evt) => {
        cb(structuredClone(evt));
      }),
    state: () => 'open',
    everOpened: () => true,
    onState: () => () => {},
  };
  core.events.subscribe((evt) => events.push(evt));
  return {
    core,
    window: makeCore(transport),
    events,
    async close() {
      await core.close();
      t.cleanup();
    },
  };
}

/** Render `ui` inside the providers main.tsx gives the window (Mantine, core, query cache) and a command registry. */
export function renderWithCore(ui: ReactNode, tc: TestCore, registry = new CommandRegistry()): RenderResult & { registry: CommandRegistry } {
  const queries = makeQueryClient();
  const result = render(
    <MantineProvider>
      <CoreProvider value={tc.window}>
        <QueryProvider client={queries}>
          <CommandsProvider value={registry}>{ui}</CommandsProvider>
        </QueryProvider>
      </CoreProvider>
    </MantineProvider>,
  );
  return Object.assign(result, { registry });
}
