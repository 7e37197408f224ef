// The "go to a view" commands (g i, g e…): one registration per view, run by keys, the palette and the menu.
import type { CommandId } from '../keys/keymap';
import type { ViewId } from '../state/views';
import { useCommand } from './registry';

const GO: [CommandId, ViewId][] = [
  ['go.inbox', 'inbox'],
  ['go.escalated', 'escalated'],
  ['go.atRisk', 'at-risk'],
  ['go.email', 'email'],
  ['go.x', 'x'],
  ['go.mine', 'mine'],
  ['go.unassigned', 'unassigned'],
  ['go.waiting', 'waiting'],
  ['go.snoozed', 'snoozed'],
  ['go.done', 'done'],
  ['go.all', 'all'],
];

/** One "go to a view" command. */
function GoCommand({ id, view, onGo }: { id: CommandId; view: ViewId; onGo: (v: ViewId) => void }) {
  useCommand(id, () => onGo(view));
  return null;
}

export function GoCommands({ onGo }: { onGo: (v: ViewId) => void }) {
  return (
    <>
      {GO.map(([id, v]) => (
        <GoCommand key={id} id={id} view={v} onGo={onGo} />
      ))}
    </>
  );
}
