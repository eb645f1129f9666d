import { z } from 'zod';
import type { EmailCategory, EmailDocument, Persona, RecipientData, RenderedMessage } from '../emails/model.ts';

/**
 * Preflight (S4): checks on the final rendered message of an email, a 0–100 score, a spam score,
 * fixes for what can be fixed mechanically, and device previews.
 *
 * Severities follow reference/preflight.md §5 with the product's names: error → critical (blocks
 * sending unless overridden), warning → important, info → suggested.
 */
export const SEVERITIES = ['critical', 'important', 'suggested'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface FindingLocation {
  /** The document block the finding points at, when it can be told (blocks format). */
  blockId?: string;
  /** CSS selector of the element in the rendered HTML. */
  selector?: string;
  /** A short piece of the offending HTML or text. */
  excerpt?: string;
  /** Set when the finding shows up only for some personas (the first one is named). */
  persona?: Persona;
}

export interface Finding {
  /** Check id from reference/preflight.md §5.1, e.g. "links.shortener". */
  id: string;
  severity: Severity;
  message: string;
  location: FindingLocation;
  fix: string;
  autofix?: { id: FixId; label: string };
}

export const SPAM_ENGINES = ['spamassassin', 'heuristic'] as const;
export interface SpamRule {
  name: string;
  score: number;
  description: string;
}
export interface SpamResult {
  engine: (typeof SPAM_ENGINES)[number];
  score: number;
  /** The score at which the engine calls a message spam (SpamAssassin's required_score). */
  threshold: number;
  rules: SpamRule[];
  note?: string;
  /** Wall time of the spam engine alone (SpamAssassin takes seconds to start). */
  ms: number;
}

export interface SeverityCounts {
  critical: number;
  important: number;
  suggested: number;
}

export interface PreflightReport {
  emailId: string;
  version: number;
  score: number;
  ranAt: string;
  /** Whether link and image reachability ran (they make network requests). */
  online: boolean;
  spam: Omit<SpamResult, 'ms'>;
  counts: SeverityCounts;
  findings: Finding[];
  timings: { checksMs: number; spamMs: number };
}

// ---- input of the pure check runner ----------------------------------------------------------

/** One persona's final message. */
export interface PersonaMessage {
  persona: Persona;
  /** The sample data it was rendered with (its strings are not "unresolved merge tags"). */
  recipient: RecipientData;
  /** Rendered with tracking off, so links show their real destinations. */
  message: RenderedMessage;
}

export interface PreflightInput {
  email: {
    category: EmailCategory;
    /** BCP 47 language the email is written in. */
    language: string;
    format: 'blocks' | 'mjml' | 'html';
    /** The block document (blocks format): findings are mapped back to block ids through it. */
    document: EmailDocument | null;
    /** Imported or hand-written MJML/HTML: what compiling strips from it is reported too. */
    source: string | null;
  };
  brand: {
    name: string;
    postalAddress: string;
  };
  /** Our own public URL (unsubscribe, tracking and view-in-browser links point there). */
  publicUrl: string;
  /** Domain outgoing mail is DKIM-signed for, when signing is configured. */
  dkimDomain: string | null;
  /** The personas, 'full' first. */
  personas: PersonaMessage[];
  /** The 'full' persona as it is sent (tracking on), MIME-encoded. */
  mime: Buffer;
  /** Variables the templates use that no contact field or system variable provides (strict mode). */
  unknownVariables: string[];
  /** Link and image reachability (network); absent = offline checks only. */
  online?: ReachabilityOptions;
}

export interface ReachabilityOptions {
  allowPrivateHosts: boolean;
  /** Per request; a slower answer is reported as a warning. Default 10 s. */
  timeoutMs?: number;
  /** Parallel requests. Default 6. */
  concurrency?: number;
  /** Test seam: resolve a host name to addresses (default: the system resolver). */
  lookup?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

// ---- fixes -------------------------------------------------------------------------------------

export const FIX_IDS = ['images.add-alt', 'html.add-lang', 'css.inline', 'subject.shorten', 'footer.add'] as const;
export type FixId = (typeof FIX_IDS)[number];

// ---- API inputs ----------------------------------------------------------------------------------

export const RunInput = z.strictObject({ online: z.boolean().optional() });
export const FixInput = z.strictObject({ fixId: z.string().min(1, 'is required').max(60) });

export const PREVIEW_WIDTHS = [600, 375] as const;
export const PREVIEW_SCHEMES = ['light', 'dark'] as const;
export const PREVIEW_NOTE = 'Rendered by headless Chromium, not by Outlook or Gmail.';
export interface DevicePreview {
  width: (typeof PREVIEW_WIDTHS)[number];
  scheme: (typeof PREVIEW_SCHEMES)[number];
  url: string;
}
