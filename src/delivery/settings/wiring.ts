import type { Logger } from 'pino';
import type { Config } from '../../app/config.ts';
import type { BrandsService } from '../../brands/service.ts';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';
import { systemResolver } from '../domains/dns.ts';
import type { DnsResolver } from '../domains/model.ts';
import { DomainsService } from '../domains/service.ts';
import { InboxService } from '../inbox/service.ts';
import type { CertificateFetcher } from '../webhooks/sns.ts';
import { WebhooksService, type ProviderEventSink } from '../webhooks/service.ts';
import { ProvidersService } from './service.ts';

/** Network seams of the delivery settings, replaced in tests (DNS zone in memory, a local "SNS"). */
export interface DeliverySeams {
  dnsResolver?: DnsResolver;
  snsFetch?: CertificateFetcher;
}

export interface DeliverySettings {
  inbox: InboxService;
  providers: ProvidersService;
  domains: DomainsService;
  webhooks: WebhooksService;
  /** Embedded mode: the capture inbox listens from start-up, so other local programs can send to it too. */
  startEmbedded(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the four delivery-settings services for the composition root (src/app/context.ts). */
export function createDeliverySettings(deps: {
  store: Store;
  clock: Clock;
  log: Logger;
  secret: string;
  config: Config;
  brands: BrandsService;
  /** Where verified webhook events go: the tracking capability. */
  events: ProviderEventSink;
  seams?: DeliverySeams;
}): DeliverySettings {
  const { store, clock, log, secret, config, brands, seams = {} } = deps;
  const inbox = new InboxService({ store, clock, log, secret, options: config.capture });
  const providers = new ProvidersService({ store, clock, log, brands, inbox, secret, publicUrl: config.publicUrl });
  const domains = new DomainsService({ store, clock, brands, secret, resolver: seams.dnsResolver ?? systemResolver });
  const webhooks = new WebhooksService({ store, clock, log, providers, sink: deps.events, snsFetch: seams.snsFetch });
  return {
    inbox,
    providers,
    domains,
    webhooks,
    startEmbedded: async () => {
      if (config.mode === 'embedded') await inbox.start();
    },
    close: async () => {
      await providers.close();
      await inbox.stop();
    },
  };
}
