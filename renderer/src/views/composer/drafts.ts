// Reply drafts, saved as you type (per conversation, in this window's storage) until queued.
const DRAFT_PREFIX = 'canary.draft.';

export interface Draft {
  text: string;
  all: boolean;
  savedAt: number;
}

export function loadDraft(conversationId: number): Draft | null {
  try {
    const raw = localStorage.getItem(DRAFT_PREFIX + conversationId);
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    return typeof d.text === 'string' ? { text: d.text, all: !!d.all, savedAt: Number(d.savedAt) || 0 } : null;
  } catch {
    return null;
  }
}

export function saveDraft(conversationId: number, d: Draft | null): void {
  try {
    if (d && d.text.trim()) localStorage.setItem(DRAFT_PREFIX + conversationId, JSON.stringify(d));
    else localStorage.removeItem(DRAFT_PREFIX + conversationId);
  } catch {
    // storage full or unavailable: the text stays in the box
  }
}
