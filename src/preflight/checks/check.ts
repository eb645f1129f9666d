import type { Element } from 'domhandler';
import type { ParsedMail } from 'mailparser';
import type { MessageView } from '../dom.ts';
import type { PreflightInput, Severity } from '../model.ts';

/** The MIME of the 'full' persona as sent: mailparser's reading plus the raw header lines. */
export interface SentMessage {
  parsed: ParsedMail;
  /** Unfolded header lines in order, exactly as written (duplicates kept). */
  headers: Array<{ name: string; value: string }>;
  raw: Buffer;
}

export interface CheckContext {
  input: PreflightInput;
  /** One view per persona, 'full' first. */
  views: MessageView[];
  sent: SentMessage;
}

/** What a check reports; the runner turns it into a Finding with a location. */
export interface Hit {
  severity: Severity;
  message: string;
  fix: string;
  /** The element at fault: the runner derives selector, excerpt and block id from it. */
  el?: Element;
  /** Replaces the element's excerpt (or stands alone when there is no element). */
  excerpt?: string;
  /** Text or URL to find the document block by when no element is at hand. */
  locate?: string;
}

export interface Check {
  id: string;
  /**
   * 'persona' checks read each persona's render (merge data changes what they see); 'message'
   * checks read structure that is the same for every persona, once, on the 'full' one.
   */
  scope: 'persona' | 'message';
  run(view: MessageView, ctx: CheckContext): Hit[];
}

export const hit = (severity: Severity, message: string, fix: string, at: Partial<Pick<Hit, 'el' | 'excerpt' | 'locate'>> = {}): Hit => ({ severity, message, fix, ...at });

export const isMarketing = (ctx: CheckContext) => ctx.input.email.category === 'marketing';

/** Formats a byte count as "104.2 KB" (1 KB = 1,024 bytes, as the clipping folklore counts). */
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
