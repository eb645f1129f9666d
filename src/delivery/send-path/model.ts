import type { RecipientData } from '../../emails/model.ts';
import type { PreparedMessage, RenderContext } from '../../emails/render.ts';
import type { MessageCategory, OutboundMessage } from '../providers/model.ts';

/**
 * The fast send path (issue 4, "Performance and reliability"): per recipient, render from a
 * prepared email, frame the MIME ourselves and DKIM-sign, on worker threads; then hand the finished
 * bytes to a pipelined SMTP client. The dispatcher sees only {@link MessageBuilder}.
 */

export interface DkimKey {
  domain: string;
  selector: string;
  /** PEM (PKCS#8 or PKCS#1), RSA. */
  privateKey: string;
}

/**
 * One message to build. `prepared`, `render` and `dkim` are the same objects for every recipient of
 * a send: the worker pool recognises them by identity and ships them to each worker once (see
 * pool.ts), so a dispatcher should keep them per campaign rather than rebuild them per batch.
 */
export interface BuildJob {
  /** `prepareMessage(compiled)` of the email version being sent. */
  prepared: PreparedMessage;
  render: RenderContext;
  /** The Message-ID's right-hand side, normally the sending domain. */
  messageIdDomain: string;
  /** Signs with this key when given; the message goes unsigned otherwise. */
  dkim: DkimKey | null;
  recipient: RecipientData;
  /** The outbox message id: also the Message-ID's left-hand side, identical on every retry. */
  messageRef: string;
  idempotencyKey: string;
  category: MessageCategory;
  /** Fields added after the render's own (e.g. X-Tidings-Brand); they never replace the framing's. */
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  /** The Date field; the build time when absent. */
  date?: Date;
}

/**
 * What a build produces besides the envelope fields.
 * - `raw`: the finished, signed RFC 5322 bytes in `raw`; `html` is '' and `text` absent (for providers
 *   whose `capabilities.sendsRawMime` is true: SMTP, capture, SES).
 * - `fields`: subject, html, text and headers only, no framing and no signature (HTTP APIs build and
 *   sign their own MIME).
 * - `both` (the default): everything, for a caller that does not know the provider yet.
 */
export type BuildContent = 'raw' | 'fields' | 'both';

export interface BuildOptions {
  content?: BuildContent;
}

export interface MessageBuilder {
  /** One message per job, in job order. A job that cannot be built fails the call with a {@link BuildError}. */
  build(jobs: BuildJob[], opts?: BuildOptions): Promise<OutboundMessage[]>;
  /** Stops the worker threads, if any. */
  close(): Promise<void>;
}

/** A job that could not be built: a render or framing error, named by the message it was for. */
export class BuildError extends Error {
  constructor(
    readonly messageRef: string,
    readonly reason: string,
  ) {
    super(`could not build message ${messageRef}: ${reason}`);
    this.name = 'BuildError';
  }
}
