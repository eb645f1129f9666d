import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.ts';
import { DomainError } from '../shared/errors.ts';
import { registerAuth } from './auth.ts';
import { registerRateLimit, TokenBuckets } from './ratelimit.ts';
import { registerIdempotency } from './idempotency.ts';
import { apiRoutes, publicRoutes } from './routes.ts';

export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

export async function buildServer(ctx: AppContext, opts: { webDist?: string | null } = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tidings API', version: '1', description: 'Plan, write, check, send and measure marketing email.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (tdk_…) created under Settings → API keys' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const buckets = new TokenBuckets(ctx.config.apiRateLimitPerMinute, ctx.clock);
  await app.register(
    async (api) => {
      // Sessions, API keys, rate limits, idempotency and uploads are the API's: the links in sent
      // emails and the provider webhooks, answered at thousands a second, run none of their hooks
      // (the upload plugin's alone ran on every request).
      await api.register(multipart, { limits: { fileSize: ctx.config.importMaxBytes, files: 1 } });
      await api.register(cookie);
      registerAuth(api, ctx);
      registerRateLimit(api, buckets);
      registerIdempotency(api, ctx);
      for (const register of apiRoutes) await register(api, ctx);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  // Links inside sent emails and provider webhooks: no session, no API key, no /api prefix.
  await app.register(async (pub) => {
    for (const register of publicRoutes) await register(pub, ctx);
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}`, details: null } });
    }
    return sendIndex(reply, webDist);
  });

  const webDist = opts.webDist === undefined ? WEB_DIST : opts.webDist;
  if (webDist && fs.existsSync(webDist)) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
    app.get('/', (_req, reply) => sendIndex(reply, webDist));
  }
  return app;
}

function sendIndex(reply: any, webDist: string | null) {
  const index = webDist && path.join(webDist, 'index.html');
  if (index && fs.existsSync(index)) return reply.type('text/html').header('cache-control', 'no-cache').send(fs.createReadStream(index));
  return reply.code(404).type('text/plain').send('The web app is not built. Run `npm start` (it builds it) or `npm run build:web`.');
}

/** One error shape everywhere: `{error:{code,message,details}}`, naming the field when there is one. */
function errorHandler(this: FastifyInstance, err: FastifyError, req: any, reply: any) {
  if (err instanceof DomainError) {
    return reply.code(err.status).send({ error: { code: err.code, message: err.message, details: err.details ?? null } });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const issues = err.validation.map((v: any) => ({
      field: [where === 'body' ? '' : where, ...String(v.instancePath ?? '').split('/').filter(Boolean)].filter(Boolean).join('.') || where,
      message: v.message,
    }));
    const first = issues[0];
    return reply.code(400).send({
      error: { code: 'validation_failed', message: `${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, details: { issues } },
    });
  }
  const status = err.statusCode ?? 500;
  if (status === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') {
    return reply.code(413).send({ error: { code: 'payload_too_large', message: err.message, details: null } });
  }
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: { code: 'bad_request', message: err.message, details: { fastifyCode: err.code ?? null } } });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({ error: { code: 'internal', message: 'internal error; see the server log', details: { requestId: req.id } } });
}
