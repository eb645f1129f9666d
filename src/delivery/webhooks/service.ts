import dns from 'node:dns/promises';
import type { Logger } from 'pino';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';
import { DomainError, notFound } from '../../shared/errors.ts';
import { refusal } from '../../preflight/reachability.ts';
import type { ProvidersService } from '../settings/service.ts';
import { WEBHOOK_PROVIDERS, type NormalizedEvent, type RawWebhook, type Rejection, type WebhookVerifier } from './model.ts';
import { parseEvents } from './parse.ts';
import { receiptsRepo } from './repo.ts';
import { snsUrlProblem, type CertificateFetcher } from './sns.ts';
import { createVerifier } from './verify.ts';

/**
 * Where verified provider events go: the tracking capability records them (events, message columns,
 * suppression). Injected so this service does not depend on how tracking stores them.
 */
export interface ProviderEventSink {
  recordProviderEvent(brandId: string, event: NormalizedEvent): Promise<void>;
}

export interface WebhooksDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  providers: ProvidersService;
  sink: ProviderEventSink;
  /** GETs an SNS URL (signing certificate, subscription confirmation); tests play SNS with their own. */
  snsFetch?: CertificateFetcher;
}

export type WebhookOutcome =
  | { received: number; duplicates: number; duplicate: boolean }
  | { confirmed: true; topicArn: string }
  | { acknowledged: true };

/** Providers retry for up to three days (SendGrid 72 h, SNS less); receipts are kept a week. */
const RECEIPT_DAYS = 7;
const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Inbound provider webhooks (S9.2): the account named in the URL → its verifier (built from the
 * account's webhook secrets) → events in one model → each event once (table `webhook_receipts`) → the
 * sink. A receipt is written before its event is recorded and removed again if recording fails, so a
 * provider's retry records it then; a replay finds the receipt and records nothing.
 */
export class WebhooksService {
  private readonly verifiers = new Map<string, { version: string; verifier: WebhookVerifier }>();
  private lastPrune = 0;

  constructor(private readonly deps: WebhooksDeps) {}

  private get db() {
    return this.deps.store.db;
  }

  async receive(provider: string, accountId: string, raw: RawWebhook): Promise<WebhookOutcome> {
    if (!(WEBHOOK_PROVIDERS as readonly string[]).includes(provider)) throw notFound('webhook provider', provider);
    const account = await this.deps.providers.webhookAccount(accountId);
    if (!account || account.kind !== provider) throw notFound('provider account', accountId);
    const verification = await this.verifierFor(account.id, account.version, account.webhook).verify(raw);
    if (!verification.ok) throw refused(verification);
    if (verification.kind !== 'events') {
      // An UnsubscribeConfirmation's SubscribeURL would subscribe again: it is only acknowledged.
      if (verification.kind === 'unsubscribe-confirmation') return { acknowledged: true };
      await this.confirmSubscription(verification.subscribeUrl);
      this.deps.log.info({ accountId, topicArn: verification.topicArn }, 'SNS subscription confirmed');
      return { confirmed: true, topicArn: verification.topicArn };
    }

    const events = parseEvents(verification);
    let received = 0;
    for (const event of events) if (await this.recordOnce(account.id, account.brandId, event)) received++;
    await this.pruneReceipts();
    return { received, duplicates: events.length - received, duplicate: events.length > 0 && received === 0 };
  }

  private async recordOnce(accountId: string, brandId: string, event: NormalizedEvent): Promise<boolean> {
    const fresh = await receiptsRepo.insertIfAbsent(this.db, {
      provider: event.provider,
      dedupe_key: event.dedupeKey,
      account_id: accountId,
      brand_id: brandId,
      event_type: event.type,
      message_ref: event.messageRef ?? null,
      recipient: event.recipient,
      received_at: this.deps.clock.now().toISOString(),
    });
    if (!fresh) return false;
    try {
      await this.deps.sink.recordProviderEvent(brandId, event);
    } catch (err) {
      await receiptsRepo.delete(this.db, event.provider, event.dedupeKey);
      throw err;
    }
    return true;
  }

  private verifierFor(accountId: string, version: string, config: Parameters<typeof createVerifier>[0] | null): WebhookVerifier {
    if (!config) throw new DomainError('unauthorized', 'webhook verification is not set up for this account: add its webhook secret under Settings → Providers');
    const hit = this.verifiers.get(accountId);
    if (hit?.version === version) return hit.verifier;
    const verifier = createVerifier(config, { clock: this.deps.clock, fetchCertificate: this.deps.snsFetch ?? fetchFromSns });
    this.verifiers.set(accountId, { version, verifier });
    return verifier;
  }

  private async confirmSubscription(url: string): Promise<void> {
    try {
      await (this.deps.snsFetch ?? fetchFromSns)(url);
    } catch (err) {
      throw new DomainError('upstream', `the SNS subscription could not be confirmed: ${(err as Error).message}`);
    }
  }

  private async pruneReceipts(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await receiptsRepo.deleteBefore(this.db, new Date(now - RECEIPT_DAYS * 86_400_000).toISOString());
  }
}

/** 400 for a body we cannot read, 502 when Amazon's certificate cannot be had (SNS retries), else 401. */
function refused(r: Rejection): DomainError {
  const message = `${r.provider} webhook refused (${r.reason}): ${r.message}`;
  if (r.reason === 'malformed') return new DomainError('validation_failed', message, { reason: r.reason, issues: [{ field: '(body)', message: r.message }] });
  if (r.reason === 'certificate_unavailable') return new DomainError('upstream', message, { reason: r.reason });
  return new DomainError('unauthorized', message, { reason: r.reason });
}

const SNS_FETCH_TIMEOUT_MS = 10_000;

/**
 * Production GET of an SNS URL (certificate or SubscribeURL), which the sender chose: the URL must
 * pass the SNS host check again here, every address its host resolves to must be public, and
 * redirects are refused, so the request cannot be steered into our own network.
 */
export async function fetchFromSns(url: string): Promise<string> {
  const problem = snsUrlProblem(url, url.endsWith('.pem') ? 'SigningCertURL' : 'SubscribeURL');
  if (problem) throw new Error(problem);
  const host = new URL(url).hostname;
  const addresses = await dns.lookup(host, { all: true, verbatim: true });
  for (const { address } of addresses) {
    const why = refusal(address, false);
    if (why) throw new Error(`not fetched: ${host} resolves to ${why}`);
  }
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(SNS_FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`GET ${new URL(url).origin}${new URL(url).pathname} answered ${res.status}`);
  return res.text();
}
