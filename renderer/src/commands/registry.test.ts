import { describe, expect, it } from 'vitest';
import { CommandRegistry, type CommandHandler } from './registry';
import { COMMANDS } from '../keys/keymap';

function entry(handler: CommandHandler, when?: () => boolean) {
  return { handler: { current: handler }, when: { current: when } };
}

describe('CommandRegistry', () => {
  it('runs the registered handler and says whether anything handled the command', () => {
    const r = new CommandRegistry();
    const ran: string[] = [];
    expect(r.run('conversation.done')).toBe(false);
    const off = r.register(
      'conversation.done',
      entry(() => void ran.push('done')),
    );
    expect(r.enabled('conversation.done')).toBe(true);
    expect(r.run('conversation.done')).toBe(true);
    expect(ran).toEqual(['done']);
    off();
    expect(r.enabled('conversation.done')).toBe(false);
    expect(r.run('conversation.done')).toBe(false);
    expect(ran).toEqual(['done']);
  });

  it('a handler that returns false did nothing (the key stays with the browser)', () => {
    const r = new CommandRegistry();
    r.register(
      'conversation.snooze',
      entry(() => false),
    );
    expect(r.run('conversation.snooze')).toBe(false);
  });

  it('the latest registration whose `when` holds runs; the others wait', () => {
    const r = new CommandRegistry();
    const ran: string[] = [];
    let secondHasSuggestion = true;
    r.register(
      'link.confirm',
      entry(
        () => void ran.push('first'),
        () => true,
      ),
    );
    const offSecond = r.register(
      'link.confirm',
      entry(
        () => void ran.push('second'),
        () => secondHasSuggestion,
      ),
    );
    r.run('link.confirm');
    secondHasSuggestion = false;
    r.run('link.confirm');
    secondHasSuggestion = true;
    offSecond();
    r.run('link.confirm');
    expect(ran).toEqual(['second', 'first', 'first']);
  });

  it('reads the latest handler through its ref (a re-render does not re-register)', () => {
    const r = new CommandRegistry();
    const ran: number[] = [];
    const e = entry(() => void ran.push(1));
    r.register('undo', e);
    e.handler.current = () => void ran.push(2);
    r.run('undo');
    expect(ran).toEqual([2]);
  });

  it('unregistering one of two identical-looking handlers leaves the other', () => {
    const r = new CommandRegistry();
    const ran: string[] = [];
    const a = r.register(
      'queue.select',
      entry(() => void ran.push('a')),
    );
    r.register(
      'queue.select',
      entry(() => void ran.push('b')),
    );
    a();
    a(); // twice is harmless
    r.run('queue.select');
    expect(ran).toEqual(['b']);
  });

  it('tracks open dialogs by owner', () => {
    const r = new CommandRegistry();
    const snooze = {};
    const tags = {};
    expect(r.modalOpen()).toBe(false);
    r.setModal(snooze, true);
    r.setModal(tags, true);
    r.setModal(snooze, false);
    expect(r.modalOpen()).toBe(true);
    r.setModal(tags, false);
    expect(r.modalOpen()).toBe(false);
  });

  it('lists the catalogue the keymap and the palette use, every id once', () => {
    const r = new CommandRegistry();
    expect(r.catalogue).toBe(COMMANDS);
    expect(new Set(r.catalogue.map((c) => c.id)).size).toBe(r.catalogue.length);
  });
});
