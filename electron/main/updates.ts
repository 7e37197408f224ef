// Updates (electron-updater) for the packaged app, off until the owner turns them on
// (settings.autoUpdate, Settings → Privacy). When on: a check at start and every six hours against
// the generic feed in electron-builder.yml (app-update.yml in the app's resources); a new version
// downloads in the background and installs when Canary quits. A development build never checks.
import type * as Updater from 'electron-updater';
import type { Core } from '../core/createCore';

const EVERY_MS = 6 * 60 * 60 * 1000;

export function bindAutoUpdate(core: Core, packaged: boolean): () => void {
  const log = core.ctx.log.child({ service: 'updates' });
  let timer: ReturnType<typeof setInterval> | null = null;
  let stopped = false;
  const check = async () => {
    try {
      // Loaded only when used: nothing of it runs while updates are off.
      // A CommonJS package: its exports are the ES module's default.
      const mod = (await import('electron-updater')) as typeof Updater & { default?: typeof Updater };
      await (mod.default ?? mod).autoUpdater.checkForUpdatesAndNotify();
    } catch (e) {
      log.warn('update check failed', { error: (e as Error).message ?? String(e) });
    }
  };
  const apply = async () => {
    const on =
      packaged &&
      (await core.call('settings.get', {}).then(
        (s) => s.autoUpdate,
        () => false,
      ));
    if (stopped) return;
    if (on && !timer) {
      timer = setInterval(() => void check(), EVERY_MS);
      void check();
    } else if (!on && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
  void apply();
  const off = core.events.subscribe((evt) => {
    if (evt.name === 'settings.changed') void apply();
  });
  return () => {
    stopped = true;
    off();
    if (timer) clearInterval(timer);
  };
}
