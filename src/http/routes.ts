import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { brandRoutes } from '../brands/routes.ts';

/** Each capability registers its own routes under /api/v1; this list is the whole API surface. */
export const apiRoutes: Array<(app: FastifyInstance, ctx: AppContext) => Promise<void>> = [brandRoutes];
