import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { brandRoutes } from '../brands/routes.ts';
import { audienceRoutes } from '../audience/routes.ts';
import { importRoutes } from '../audience/import/routes.ts';
import { segmentRoutes } from '../audience/segments/routes.ts';
import { emailRoutes } from '../emails/routes.ts';
import { preflightRoutes } from '../preflight/routes.ts';
import { composerRoutes } from '../composer/routes.ts';
import { providerRoutes } from '../delivery/settings/routes.ts';
import { inboxRoutes } from '../delivery/inbox/routes.ts';
import { domainRoutes } from '../delivery/domains/routes.ts';
import { webhookRoutes } from '../delivery/webhooks/routes.ts';
import { trackingApiRoutes, trackingPublicRoutes } from '../tracking/routes.ts';
import { campaignRoutes } from '../campaigns/routes.ts';
import { seriesRoutes } from '../series/routes.ts';

/** Each capability registers its own routes under /api/v1; this list is the whole API surface. */
export const apiRoutes: Array<(app: FastifyInstance, ctx: AppContext) => Promise<void>> = [brandRoutes, audienceRoutes, importRoutes, segmentRoutes, emailRoutes, preflightRoutes, composerRoutes, providerRoutes, inboxRoutes, domainRoutes, trackingApiRoutes, campaignRoutes, seriesRoutes];

/** Routes outside /api/v1 that emails link to (tracking, unsubscribe) and providers call (webhooks); each checks its own signature. */
export const publicRoutes: Array<(app: FastifyInstance, ctx: AppContext) => Promise<void>> = [webhookRoutes, trackingPublicRoutes];
