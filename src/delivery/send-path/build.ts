import crypto from 'node:crypto';
import type { CompiledEmail, RecipientData, RenderedMessage } from '../../emails/model.ts';
import { prepareMessage, type PreparedMessage, type RenderContext } from '../../emails/render.ts';
import { fromRendered, type OutboundMessage } from '../providers/model.ts';
import { DkimSigner } from './dkim.ts';
import { assemble, frame, frameTemplate, qpPieces, type FrameTemplate } from './frame.ts';
import { BuildError, type BuildContent, type BuildJob, type BuildOptions, type DkimKey, type MessageBuilder } from './model.ts';

/**
 * The build itself (render → frame → sign), shared by the in-thread builder below and the worker
 * threads of pool.ts, so both produce the same bytes from the same code.
 */

/** What every recipient of one send shares, prepared once per thread. */
export interface SendSetup {
  prepared: PreparedMessage;
  render: RenderContext;
  frame: FrameTemplate;
  signer: DkimSigner | null;
}

/** The per-recipient part of a job: all a worker receives once it holds the setup. */
export type RecipientJob = Pick<BuildJob, 'messageRef' | 'idempotencyKey' | 'category' | 'headers' | 'tags' | 'date'> & { recipient: RecipientData };

/** What a worker receives once per setup. */
export interface SetupData {
  compiled: CompiledEmail;
  render: RenderContext;
  messageIdDomain: string;
  dkim: DkimKey | null;
}

export function createSetup(prepared: PreparedMessage, data: Omit<SetupData, 'compiled'>): SendSetup {
  return {
    prepared,
    render: data.render,
    frame: frameTemplate(prepared.compiled, { messageIdDomain: data.messageIdDomain }),
    signer: data.dkim ? new DkimSigner({ domain: data.dkim.domain, selector: data.dkim.selector, privateKey: privateKey(data.dkim.privateKey) }) : null,
  };
}

export function setupFromData(data: SetupData): SendSetup {
  return createSetup(prepareMessage(data.compiled), data);
}

const keys = new Map<string, crypto.KeyObject>();

/** Parsed keys by PEM: a thread parses each key once, however many sends use it. */
function privateKey(pem: string): crypto.KeyObject {
  let key = keys.get(pem);
  if (!key) {
    // Keys come from a handful of sending domains; the bound only guards against a leak.
    if (keys.size >= 64) keys.clear();
    key = crypto.createPrivateKey(pem);
    keys.set(pem, key);
  }
  return key;
}

export function buildMessage(setup: SendSetup, job: RecipientJob, content: BuildContent): OutboundMessage {
  try {
    if (content === 'raw' && piecewise(setup.frame)) return buildRaw(setup, job);
    const rendered = setup.prepared.render(job.recipient, setup.render);
    const msg = envelope(rendered, job);
    if (content === 'fields') return msg;
    const framed = frame(setup.frame, rendered, { messageRef: job.messageRef, date: job.date ?? new Date() }, job.headers);
    const raw = assemble(framed, setup.signer ? [setup.signer.sign(framed)] : []);
    return content === 'raw' ? { ...msg, html: '', text: undefined, raw } : { ...msg, raw };
  } catch (err) {
    throw new BuildError(job.messageRef, (err as Error).message);
  }
}

/** The provider's view of a rendered message, with the job's own headers under the render's. */
function envelope(rendered: RenderedMessage, job: RecipientJob): OutboundMessage {
  const msg = fromRendered(rendered, { idempotencyKey: job.idempotencyKey, messageRef: job.messageRef, category: job.category, ...(job.tags ? { tags: job.tags } : {}) });
  if (job.headers) msg.headers = { ...job.headers, ...rendered.headers };
  return msg;
}

/** Both parts quoted-printable: the bodies can be encoded from pieces, most of them encoded once per send. */
function piecewise(t: FrameTemplate): boolean {
  return t.htmlEncoding === 'quoted-printable' && t.textEncoding === 'quoted-printable';
}

/** The raw message only, its bodies encoded piecewise: what SMTP, capture and SES send. */
function buildRaw(setup: SendSetup, job: RecipientJob): OutboundMessage {
  const { message, html, text } = setup.prepared.renderEncoded(job.recipient, setup.render, qpPieces);
  const msg = envelope(message, job);
  const framed = frame(setup.frame, message, { messageRef: job.messageRef, date: job.date ?? new Date() }, job.headers, { html, text });
  return { ...msg, html: '', text: undefined, raw: assemble(framed, setup.signer ? [setup.signer.sign(framed)] : []) };
}

// ---- identity of a setup ---------------------------------------------------------------------

const ids = new WeakMap<object, number>();
let nextId = 1;

function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/**
 * Jobs share a setup when they share the prepared email, render context, key and domain, by
 * identity: comparing a compiled email's content per job would cost more than the build.
 */
export function setupKey(job: BuildJob): string {
  return `${idOf(job.prepared)}.${idOf(job.render)}.${job.dkim ? idOf(job.dkim) : 0}.${job.messageIdDomain}`;
}

export function recipientJob(job: BuildJob): RecipientJob {
  return { recipient: job.recipient, messageRef: job.messageRef, idempotencyKey: job.idempotencyKey, category: job.category, headers: job.headers, tags: job.tags, date: job.date };
}

/** How many setups a thread keeps: sends of a few campaigns at once, not every email ever sent. */
export const SETUPS_KEPT = 32;

/** Builds on the calling thread: for tests, tiny sends, and a pool size of 0. */
export class InThreadBuilder implements MessageBuilder {
  private readonly setups = new Map<string, SendSetup>();

  async build(jobs: BuildJob[], opts: BuildOptions = {}): Promise<OutboundMessage[]> {
    const content = opts.content ?? 'both';
    return jobs.map((job) => buildMessage(this.setupFor(job), recipientJob(job), content));
  }

  async close(): Promise<void> {
    this.setups.clear();
  }

  private setupFor(job: BuildJob): SendSetup {
    const key = setupKey(job);
    let setup = this.setups.get(key);
    if (!setup) {
      if (this.setups.size >= SETUPS_KEPT) this.setups.delete(this.setups.keys().next().value!);
      try {
        setup = createSetup(job.prepared, job);
      } catch (err) {
        throw new BuildError(job.messageRef, (err as Error).message);
      }
      this.setups.set(key, setup);
    }
    return setup;
  }
}
