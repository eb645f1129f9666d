import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';

const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * `POST /webhooks/:provider/:accountId` (public: providers authenticate with signatures, not API keys).
 * Signatures cover the exact bytes sent, so in this scope every body is kept as a raw Buffer instead of
 * being parsed; the scope keeps that parser away from the other public routes.
 */
export async function webhookRoutes(root: FastifyInstance, ctx: AppContext) {
  await root.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/webhooks/:provider/:accountId',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Provider event webhook (SES via SNS, SendGrid, Resend, Mailgun, Postmark): verified, deduplicated, recorded',
          security: [],
          params: z.object({ provider: z.string().max(32), accountId: z.string().max(64) }),
        },
      },
      async (req) => ctx.webhooks.receive(req.params.provider, req.params.accountId, { headers: req.headers, body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) }),
    );
  });
}
