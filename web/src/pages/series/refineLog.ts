import { useSyncExternalStore } from 'react';
import type { RefineOp, Series, StepEditResult } from './api.ts';
import { emailLabel } from './labels.tsx';

/** One exchange of the refine conversation: what was asked (typed or a button) and what was done. */
export interface RefineEntry {
  id: string;
  at: string;
  /** The words typed, or the button's action in words. */
  request: string;
  source: 'typed' | 'button';
  /** `saved` counts the emails an edit-all changed (absent for other operations). */
  outcome: { ok: true; summary: string; failures: EditFailure[]; saved?: number } | { ok: false; error: string };
}

export interface EditFailure {
  /** "Email 2". */
  label: string;
  error: string;
}

/**
 * The conversation is kept per series in the tab's session storage: the server keeps the series, not
 * the chat, and a reload should not wipe what was just asked.
 */
const storageKey = (seriesId: string) => `tidings.series-refine.${seriesId}`;
const listeners = new Set<() => void>();
const cache = new Map<string, RefineEntry[]>();
const EMPTY: RefineEntry[] = [];
const MAX_ENTRIES = 50;

function read(seriesId: string): RefineEntry[] {
  const hit = cache.get(seriesId);
  if (hit) return hit;
  let entries: RefineEntry[] = EMPTY;
  try {
    const raw = sessionStorage.getItem(storageKey(seriesId));
    if (raw) entries = JSON.parse(raw) as RefineEntry[];
  } catch {
    // A corrupt or unavailable store starts an empty conversation.
  }
  cache.set(seriesId, entries);
  return entries;
}

function append(seriesId: string, entry: Omit<RefineEntry, 'id' | 'at'>) {
  const next = [...read(seriesId), { ...entry, id: crypto.randomUUID(), at: new Date().toISOString() }].slice(-MAX_ENTRIES);
  cache.set(seriesId, next);
  try {
    sessionStorage.setItem(storageKey(seriesId), JSON.stringify(next));
  } catch {
    // Storage full or disabled: the conversation still shows for this page's life.
  }
  for (const l of listeners) l();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function useRefineLog(seriesId: string) {
  const entries = useSyncExternalStore(subscribe, () => read(seriesId));
  return {
    entries,
    record: (entry: Omit<RefineEntry, 'id' | 'at'>) => append(seriesId, entry),
  };
}

/** What an operation did, in words, with the series as it is after it. */
export function describeOp(op: RefineOp, after: Series): string {
  switch (op.op) {
    case 'add':
      return `Added “${op.role}” as ${emailLabel(op.position).toLowerCase()}, written to fit between its neighbours. The series now has ${after.steps.length} emails.`;
    case 'remove':
      return `Removed ${emailLabel(op.position).toLowerCase()}; the ${after.steps.length} left were renumbered.`;
    case 'move':
      return `Moved ${emailLabel(op.from).toLowerCase()} to position ${op.to + 1}.`;
    case 'offset':
      return `${emailLabel(op.position)} now goes out on day ${op.offsetDays}.`;
    case 'edit-all':
      return `Applied “${op.instruction}” to every email.`;
  }
}

/** Edit-all results: a line on how many were saved, and the emails that failed with their reasons. */
export function editOutcome(instruction: string, results: StepEditResult[], series: Series): { summary: string; failures: EditFailure[]; saved: number } {
  const failures = results
    .filter((r) => !r.ok)
    .map((r) => {
      const step = series.steps.find((s) => s.id === r.stepId);
      return { label: step ? emailLabel(step.position) : r.stepId, error: r.error ?? 'Not saved' };
    });
  const saved = results.length - failures.length;
  const summary =
    failures.length === 0
      ? `Applied “${instruction}” to every email: all ${saved} were rewritten and saved as new versions.`
      : saved === 0
        ? `“${instruction}” changed no email: all ${results.length} kept their previous version.`
        : `Applied “${instruction}” to ${saved} of ${results.length} emails; ${failures.length === 1 ? '1 kept its' : `${failures.length} kept their`} previous version.`;
  return { summary, failures, saved };
}
