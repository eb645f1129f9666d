import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { brandRoutes } from '../brands/routes.ts';
import { audienceRoutes } from '../audience/routes.ts';
import { importRoutes } from '../audience/import/routes.ts';
import { segmentRoutes } from '../audience/segments/routes.ts';
import { emailRoutes } from '../emails/routes.ts';
import { preflightRoutes } from '../preflight/routes.ts';
import { composerRoutes } from '../composer/routes.ts';

/** Each capability registers its own routes under /api/v1; this list is the whole API surface. */
export const apiRoutes: Array<(app: FastifyInstance, ctx: AppContext) => Promise<void>> = [brandRoutes, audienceRoutes, importRoutes, segmentRoutes, emailRoutes, preflightRoutes, composerRoutes];
