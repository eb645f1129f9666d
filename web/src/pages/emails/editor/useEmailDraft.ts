import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../api.ts';
import { emailsApi, type Email, type EmailDocument, type EmailPatch, type EmailSettingsInput } from '../api.ts';
import { locateIssue } from './document.ts';

/** What the editor changes locally until Save: the settings, and the body (blocks or code). */
export interface Draft {
  settings: EmailSettingsInput;
  document: EmailDocument | null;
  source: string | null;
}

export const SETTINGS_FIELDS = ['name', 'subject', 'preheader', 'fromName', 'fromEmail', 'replyTo', 'category', 'language'] as const satisfies readonly (keyof EmailSettingsInput)[];

export function draftOf(email: Email): Draft {
  const settings = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, email[f]])) as unknown as EmailSettingsInput;
  return { settings, document: email.document, source: email.source };
}

/** Structural equality of JSON values (key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Only what changed goes to the server, so a settings edit does not resend the whole body. */
function patchOf(base: Draft, draft: Draft): EmailPatch {
  const patch: EmailPatch = {};
  for (const f of SETTINGS_FIELDS) if (draft.settings[f] !== base.settings[f]) Object.assign(patch, { [f]: draft.settings[f] });
  if (draft.document && !sameJson(draft.document, base.document)) patch.document = draft.document;
  if (draft.source !== null && draft.source !== base.source) patch.source = draft.source;
  return patch;
}

const FIELD_LABELS: Record<(typeof SETTINGS_FIELDS)[number], string> = {
  name: 'name',
  subject: 'subject',
  preheader: 'preheader',
  fromName: 'from name',
  fromEmail: 'from email',
  replyTo: 'reply-to',
  category: 'category',
  language: 'language',
};

function blocksById(doc: EmailDocument | null): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const section of doc?.sections ?? [])
    for (const block of section.blocks) {
      out.set(block.id, block);
      if (block.type === 'columns') for (const col of block.columns) for (const leaf of col.blocks) out.set(leaf.id, leaf);
    }
  return out;
}

/** The note of the version a save makes: "Changed subject; edited 2 blocks, added 1". */
export function describeChanges(base: Draft, draft: Draft): string {
  const parts: string[] = [];
  const fields = SETTINGS_FIELDS.filter((f) => draft.settings[f] !== base.settings[f]).map((f) => FIELD_LABELS[f]);
  if (fields.length) parts.push(`Changed ${fields.join(', ')}`);
  if (draft.source !== null && draft.source !== base.source) parts.push('Edited the code');
  if (draft.document && !sameJson(draft.document, base.document)) {
    const before = blocksById(base.document);
    const after = blocksById(draft.document);
    const added = [...after.keys()].filter((id) => !before.has(id)).length;
    const removed = [...before.keys()].filter((id) => !after.has(id)).length;
    const edited = [...after.keys()].filter((id) => before.has(id) && !sameJson(before.get(id), after.get(id))).length;
    const counts = [edited && `edited ${edited} ${edited === 1 ? 'block' : 'blocks'}`, added && `added ${added}`, removed && `removed ${removed}`].filter(Boolean);
    const themeChanged = !sameJson(draft.document.theme, base.document?.theme);
    if (themeChanged) parts.push('changed the design');
    if (counts.length) parts.push(counts.join(', '));
    else if (!themeChanged) parts.push('rearranged the layout');
  }
  const note = parts.join('; ');
  return note ? note[0].toUpperCase() + note.slice(1) : 'Saved';
}

/** The server's field problems, sorted to where the editor shows them. */
export interface DraftIssues {
  /** Settings and theme fields ("subject", "theme.primary"). */
  settings: Record<string, string>;
  /** Per block id, per field ("url", "items.2"); "" for the block as a whole. */
  blocks: Record<string, Record<string, string>>;
  sections: Record<string, Record<string, string>>;
  /** Problems of the MJML/HTML source. */
  source: string | null;
  /** Anything that fits nowhere above, shown as a message. */
  other: string[];
}

const NO_ISSUES: DraftIssues = { settings: {}, blocks: {}, sections: {}, source: null, other: [] };

function sortIssues(err: ApiError, doc: EmailDocument | null): DraftIssues {
  const out: DraftIssues = { settings: {}, blocks: {}, sections: {}, source: null, other: [] };
  for (const [field, message] of Object.entries(err.fieldErrors())) {
    if ((SETTINGS_FIELDS as readonly string[]).includes(field)) out.settings[field] = message;
    else if (field.startsWith('document.theme.')) out.settings[field.slice('document.'.length)] = message;
    else if (field === 'source') out.source = message;
    else {
      const at = doc ? locateIssue(doc, field) : null;
      if (at?.blockId) (out.blocks[at.blockId] ??= {})[at.field] = message;
      else if (at?.sectionId) (out.sections[at.sectionId] ??= {})[at.field] = message;
      else out.other.push(`${field}: ${message}`);
    }
  }
  if (err.issues.length === 0) out.other.push(err.message);
  return out;
}

export const issueCount = (i: DraftIssues) =>
  Object.keys(i.settings).length + Object.values(i.blocks).reduce((n, b) => n + Object.keys(b).length, 0) + Object.values(i.sections).reduce((n, s) => n + Object.keys(s).length, 0) + (i.source ? 1 : 0) + i.other.length;

/**
 * The local, unsaved state of an email. Saving is explicit (button or Ctrl/⌘+S): every save is a
 * version (S3.1), so saving on each keystroke would bury the history. When the server's copy
 * changes (a save, a composer edit, a restore, a fix) and nothing is pending here, the draft follows it.
 */
export function useEmailDraft(email: Email, onSaved: (email: Email) => Promise<void> | void) {
  const [base, setBase] = useState(() => draftOf(email));
  const [draft, setDraft] = useState(base);
  const [saving, setSaving] = useState(false);
  const [issues, setIssues] = useState<DraftIssues>(NO_ISSUES);
  const dirty = !sameJson(base, draft);
  const latest = useRef(draft);
  latest.current = draft;

  useEffect(() => {
    const next = draftOf(email);
    setBase(next);
    if (!dirty) setDraft(next);
  }, [email.id, email.version, email.updatedAt]);

  /** Saves pending changes; resolves to false (with the problems shown) when the server refuses them. */
  async function save(): Promise<boolean> {
    const sent = latest.current;
    const patch = patchOf(base, sent);
    if (Object.keys(patch).length === 0) return true;
    setSaving(true);
    try {
      const saved = await emailsApi.update(email.id, { ...patch, note: describeChanges(base, sent) });
      const next = draftOf(saved);
      setBase(next);
      // Typing that happened while the request was out stays in the draft.
      if (latest.current === sent) setDraft(next);
      setIssues(NO_ISSUES);
      await onSaved(saved);
      return true;
    } catch (err) {
      setIssues(err instanceof ApiError ? sortIssues(err, sent.document) : { ...NO_ISSUES, other: [err instanceof Error ? err.message : String(err)] });
      return false;
    } finally {
      setSaving(false);
    }
  }

  return {
    draft,
    dirty,
    saving,
    issues,
    save,
    discard() {
      setDraft(base);
      setIssues(NO_ISSUES);
    },
    setSettings(patch: Partial<EmailSettingsInput>) {
      setDraft((d) => ({ ...d, settings: { ...d.settings, ...patch } }));
      setIssues((i) => {
        const keys = Object.keys(patch).filter((k) => k in i.settings);
        if (keys.length === 0) return i;
        const settings = { ...i.settings };
        for (const k of keys) delete settings[k];
        return { ...i, settings };
      });
    },
    setDocument(document: EmailDocument) {
      setDraft((d) => ({ ...d, document }));
    },
    /** Forget a block's problems once the user edits it (positions may have moved anyway). */
    clearBlockIssues(blockId: string) {
      setIssues((i) => {
        if (!(blockId in i.blocks)) return i;
        const blocks = { ...i.blocks };
        delete blocks[blockId];
        return { ...i, blocks };
      });
    },
    setSource(source: string) {
      setDraft((d) => ({ ...d, source }));
      setIssues((i) => (i.source ? { ...i, source: null } : i));
    },
  };
}

export type EmailDraft = ReturnType<typeof useEmailDraft>;
