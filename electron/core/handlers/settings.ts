import type { Handlers } from '../../../shared/contract/api';
import type { CoreContext } from '../context';
import { getSettings, setSettings } from '../db/repos/settings';

export function settingsHandlers(ctx: CoreContext): Pick<Handlers, 'settings.get' | 'settings.set'> {
  return {
    'settings.get': () => getSettings(ctx.db),
    'settings.set': (a) => {
      if (setSettings(ctx.db, a)) ctx.events.emit('settings.changed', {});
      return getSettings(ctx.db);
    },
  };
}
