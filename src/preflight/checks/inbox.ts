import { clip, type MessageView } from '../dom.ts';
import { hit, type Check, type Hit } from './check.ts';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export const graphemes = (s: string) => [...segmenter.segment(s)].length;

/** Subject lengths (ours, after §5.1 #10: mobile shows ~30–43 characters, desktop ~50–70). */
export const SUBJECT_SUGGESTED_MAX = 50;
export const SUBJECT_IMPORTANT_MAX = 70;
export const SUBJECT_MIN = 5;

/** Check 10: subject length in characters as people see them (graphemes, so emoji count once). */
export const subjectLengthCheck: Check = {
  id: 'subject.length',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const subject = view.message.subject.trim();
    const n = graphemes(subject);
    if (n === 0) return [hit('important', 'The email has no subject; it shows as "(no subject)" and looks like spam.', 'Write a subject that says what the email is about.')];
    if (n < SUBJECT_MIN) return [hit('important', `The subject "${subject}" is ${n} characters; too short to say what the email is about.`, 'Write a subject of 30–50 characters.', { excerpt: subject })];
    if (n > SUBJECT_IMPORTANT_MAX) return [hit('important', `The subject is ${n} characters; inboxes cut it after about ${SUBJECT_SUGGESTED_MAX} on phones and ${SUBJECT_IMPORTANT_MAX} on desktops.`, `Shorten it to under ${SUBJECT_SUGGESTED_MAX} characters, most important words first.`, { excerpt: subject })];
    if (n > SUBJECT_SUGGESTED_MAX) return [hit('suggested', `The subject is ${n} characters; phones show about the first 40.`, `Shorten it to under ${SUBJECT_SUGGESTED_MAX} characters, or put the key words first.`, { excerpt: subject })];
    return [];
  },
};

const FAKE_THREAD = /^\s*(re|fw|fwd|aw|wg|sv|vs|tr|rv|rif|antw)\s*(\[\d+\])?\s*:/i;
const URGENCY =
  /\b(urgent|act now|final (notice|warning)|last chance to (verify|confirm)|account (suspended|locked|on hold|closed)|verify your (account|identity|password)|security alert|password (expires|expired)|payment (failed|declined)|unusual (sign-in|activity)|confirm your (account|details))\b/i;

/** Check 11: subjects that pretend (a reply thread, an alarm) or shout (caps, "!!", "$$"). */
export const subjectDeceptiveCheck: Check = {
  id: 'subject.deceptive',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const subject = view.message.subject;
    const hits: Hit[] = [];
    if (FAKE_THREAD.test(subject)) {
      hits.push(hit('critical', `The subject starts with "${subject.match(FAKE_THREAD)![0].trim()}" but the email is not a reply or forward; Google's guidelines and CAN-SPAM forbid deceptive subjects.`, 'Remove the Re:/Fwd: prefix.', { excerpt: subject }));
    }
    const letters = subject.match(/\p{L}/gu) ?? [];
    const upper = subject.match(/\p{Lu}/gu) ?? [];
    if (letters.length >= 8 && upper.length / letters.length > 0.5) {
      hits.push(hit('important', 'The subject is mostly capital letters; it reads as shouting and spam filters score it (SpamAssassin SUBJ_ALL_CAPS).', 'Use sentence case.', { excerpt: subject }));
    }
    const shout = subject.match(/!{2,}|\?{2,}|[!?]{3,}|\${2,}|€{2,}|£{2,}/)?.[0];
    if (shout) hits.push(hit('important', `The subject contains "${shout}"; repeated punctuation and currency signs are spam signals.`, 'Use at most one exclamation mark and no repeated symbols.', { excerpt: subject }));
    const alarm = subject.match(URGENCY)?.[0];
    if (alarm) hits.push(hit('important', `The subject says "${alarm}"; fake urgency and security-alert wording is what phishing uses.`, 'Describe the content plainly.', { excerpt: subject }));
    return hits;
  },
};

const BOILERPLATE_PREVIEW = /^(view (this (email|message) )?(in|on) (your |a )?(web )?browser|having trouble (viewing|reading)|(if )?you (can(no|')t|are unable to) (see|view|read)|email not displaying|click here to view|web version)/i;
const comparable = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Preview-text lengths (§5.1 #12): inboxes show roughly 40–140 characters. */
export const PREHEADER_MIN = 40;
export const PREHEADER_MAX = 140;

/** Check 12: the preview text inboxes show next to the subject. */
export const preheaderCheck: Check = {
  id: 'preheader.quality',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const preheader = view.preheader;
    if (!preheader || !preheader.text) {
      const shown = clip(view.visibleText, 90);
      return [hit('important', `The email has no preheader; inboxes will show its first words instead: "${shown}".`, 'Write a preheader (preview text) that complements the subject.', { excerpt: shown })];
    }
    const text = preheader.text;
    const at = { el: preheader.el, excerpt: clip(text, 120) };
    if (BOILERPLATE_PREVIEW.test(text)) return [hit('important', `The preheader is boilerplate ("${clip(text, 50)}") and wastes the preview line.`, 'Write a preheader that adds to the subject.', at)];
    const subject = comparable(view.message.subject);
    const pre = comparable(text);
    if (subject && (pre === subject || pre.startsWith(subject) || subject.startsWith(pre))) {
      return [hit('important', 'The preheader repeats the subject; the preview line says nothing new.', 'Write a preheader that adds to the subject rather than repeating it.', at)];
    }
    const n = graphemes(text);
    if (n < PREHEADER_MIN) return [hit('suggested', `The preheader is ${n} characters; inboxes show ${PREHEADER_MIN}–${PREHEADER_MAX}, and the rest fills with body text.`, `Lengthen it to ${PREHEADER_MIN}–100 characters.`, at)];
    if (n > PREHEADER_MAX) return [hit('suggested', `The preheader is ${n} characters; inboxes cut it after about ${PREHEADER_MAX}.`, 'Shorten it to about 100 characters.', at)];
    return [];
  },
};

/** Check 13: `<title>` present and about the same as the subject (SA HTML_TITLE_SUBJ_DIFF). */
export const titleCheck: Check = {
  id: 'title.matches-subject',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const titleEl = view.$('title').first();
    const title = titleEl.text().trim();
    if (!title) return [hit('suggested', 'The HTML has no <title>; web views, screen readers and some clients show it.', 'Set the <title> to the subject.')];
    const a = comparable(title);
    const b = comparable(view.message.subject);
    if (!b || a === b || a.includes(b) || b.includes(a)) return [];
    const ta = new Set(a.split(' '));
    const tb = new Set(b.split(' '));
    const shared = [...ta].filter((w) => tb.has(w)).length;
    if (shared / new Set([...ta, ...tb]).size >= 0.5) return [];
    return [hit('suggested', `The <title> ("${clip(title, 60)}") differs from the subject; spam filters notice (SpamAssassin HTML_TITLE_SUBJ_DIFF).`, 'Set the <title> to the subject.', { el: titleEl[0], excerpt: title })];
  },
};
