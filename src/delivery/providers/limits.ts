import { failed, type OutboundMessage, type ProviderCapabilities, type ProviderErrorKind, type SendOutcome } from './model.ts';

/**
 * A provider's documented caps are checked here, before any request: a message over a cap is refused
 * with a clear reason instead of a vendor error (or a vendor that truncates silently), and a batch
 * larger than the endpoint takes is split into calls that fit.
 */

/** Size the provider will count: the raw MIME when it sends that, else the content and headers. */
export function messageBytes(msg: OutboundMessage, caps: ProviderCapabilities): number {
  if (caps.sendsRawMime && msg.raw) return msg.raw.length;
  const headerBytes = Object.entries(msg.headers ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v) + 4, 0);
  return Buffer.byteLength(msg.html) + Buffer.byteLength(msg.text ?? '') + Buffer.byteLength(msg.subject) + headerBytes;
}

/** The rejection for a message that breaks a cap, or null when it fits. */
export function overLimit(msg: OutboundMessage, caps: ProviderCapabilities, provider: string): SendOutcome | null {
  if (msg.to.length === 0) return failed({ kind: 'validation', message: 'the message has no recipient' });
  if (msg.to.length > caps.maxRecipientsPerMessage) {
    return failed({ kind: 'validation', message: `the message has ${msg.to.length} recipients; ${provider} takes at most ${caps.maxRecipientsPerMessage} per message` });
  }
  const bytes = messageBytes(msg, caps);
  if (bytes > caps.maxMessageBytes) {
    return failed({ kind: 'payload_too_large', message: `the message is ${bytes} bytes; ${provider} takes at most ${caps.maxMessageBytes}` });
  }
  return null;
}

/**
 * Failures that concern the account or the connection rather than one chunk's content: once a chunk
 * meets one, the chunks after it are not attempted and inherit its outcome (as a retry or rejection
 * of their own), so a bad key or a rate limit is not hammered once per chunk.
 */
const STOPS_THE_BATCH: ReadonlySet<ProviderErrorKind> = new Set(['auth', 'rate_limited', 'quota_exhausted', 'connection']);

/**
 * Sends `msgs` in calls of at most `maxMessagesPerBatch` messages (and `maxBatchBytes`), one call after
 * another, and returns one outcome per message in input order. Messages over a per-message cap are
 * rejected locally and never leave.
 */
export async function sendInChunks(
  msgs: OutboundMessage[],
  caps: ProviderCapabilities,
  provider: string,
  sendChunk: (chunk: OutboundMessage[]) => Promise<SendOutcome[]>,
): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = new Array(msgs.length);
  const sendable: number[] = [];
  msgs.forEach((m, i) => {
    const refusal = overLimit(m, caps, provider);
    if (refusal) outcomes[i] = refusal;
    else sendable.push(i);
  });

  let stopped: SendOutcome | null = null;
  for (const chunk of chunkIndexes(sendable, msgs, caps)) {
    const results = stopped ? chunk.map(() => stopped!) : await sendChunk(chunk.map((i) => msgs[i]));
    chunk.forEach((i, k) => (outcomes[i] = results[k]));
    stopped ??= accountWideFailure(results);
  }
  return outcomes;
}

function* chunkIndexes(indexes: number[], msgs: OutboundMessage[], caps: ProviderCapabilities): Generator<number[]> {
  let chunk: number[] = [];
  let bytes = 0;
  for (const i of indexes) {
    const size = messageBytes(msgs[i], caps);
    const full = chunk.length === caps.maxMessagesPerBatch || (caps.maxBatchBytes !== undefined && bytes + size > caps.maxBatchBytes);
    if (chunk.length > 0 && full) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(i);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

function accountWideFailure(results: SendOutcome[]): SendOutcome | null {
  const first = results[0];
  if (!first || first.status === 'accepted' || !STOPS_THE_BATCH.has(first.error.kind)) return null;
  if (!results.every((r) => r.status !== 'accepted' && r.error.kind === first.error.kind)) return null;
  // These were never sent, so unlike the chunk that failed they cannot have been delivered.
  const { kind, httpStatus, providerCode } = first.error;
  const retryAfterMs = first.status === 'retry' ? first.retryAfterMs : undefined;
  return failed({ kind, httpStatus, providerCode, message: `not attempted: an earlier chunk failed (${first.error.message})` }, retryAfterMs);
}
