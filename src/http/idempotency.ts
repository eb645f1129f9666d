import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { DomainError } from '../shared/errors.ts';
import { sha256 } from '../shared/crypto.ts';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TTL_MS = 24 * 3600_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

/**
 * `Idempotency-Key` on writes: the first request claims the key in the database (a unique key, so
 * two processes racing cannot both run it); later requests with the same key and body get the first
 * response replayed for 24 h. A 5xx releases the claim so the caller can retry.
 */
export function registerIdempotency(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.store;
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !WRITE.has(req.method)) return;
    if (key.length < 1 || key.length > 255) throw new DomainError('validation_failed', 'Idempotency-Key: must be 1 to 255 characters', { issues: [{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }] });
    const scope = req.auth ? `${req.auth.actor.type}:${req.auth.actor.id}:${req.auth.brandId}` : req.userId ? `user:${req.userId}` : null;
    if (!scope) return;
    const hash = requestHash(req);
    const now = ctx.clock.now();
    await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now.getTime() - TTL_MS).toISOString()).execute();
    const claimed = await db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: hash, status_code: null, response_body: null, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) > 0) {
      req.idempotency = { scope, key };
      return;
    }
    const prior = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    if (!prior) throw new DomainError('conflict', 'Idempotency-Key: the earlier request with this key was just released; retry');
    if (prior.request_hash !== hash) throw new DomainError('idempotency_conflict', 'Idempotency-Key: this key was already used with a different request');
    if (prior.status_code === null) throw new DomainError('conflict', 'Idempotency-Key: a request with this key is still in progress');
    reply.header('Idempotent-Replayed', 'true').header('content-type', 'application/json; charset=utf-8').code(prior.status_code);
    return reply.send(prior.response_body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idempotency) return payload;
    const { scope, key } = req.idempotency;
    if (reply.statusCode >= 500) {
      await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute();
    } else {
      await db
        .updateTable('idempotency_keys')
        .set({ status_code: reply.statusCode, response_body: typeof payload === 'string' ? payload : payload == null ? '' : String(payload) })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .execute();
    }
    return payload;
  });
}

function requestHash(req: FastifyRequest): string {
  return sha256(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`);
}
