import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { AppContext } from '../app/context.ts';
import type { AuthContext, Scope } from '../brands/model.ts';
import { DomainError } from '../shared/errors.ts';
import { safeEqual } from '../shared/crypto.ts';

export const SESSION_COOKIE = 'tidings_session';
export const BRAND_HEADER = 'x-tidings-brand';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for API-key requests, and for signed-in users once a brand is chosen. */
    auth: AuthContext | null;
    /** The signed-in user (cookie session), if any. */
    userId: string | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Resolves the caller once per request: an API key (`Authorization: Bearer tdk_…`, brand fixed by
 * the key) or a session cookie (brand chosen with the X-Tidings-Brand header). Cookie requests that
 * change state must echo the session's CSRF token in a header, which a cross-site form cannot do.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('auth', null);
  app.decorateRequest('userId', null);

  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const auth = m ? await ctx.brands.authForApiKey(m[1]) : null;
      if (!auth) throw new DomainError('unauthorized', 'the API key is invalid or revoked');
      req.auth = auth;
      return;
    }
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) return;
    const session = await ctx.brands.resolveSession(token);
    if (!session) return;
    if (UNSAFE.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new DomainError('csrf_failed', `missing or wrong ${CSRF_HEADER} header for a cookie-authenticated request`);
      }
    }
    req.userId = session.userId;
    const brand = req.headers[BRAND_HEADER];
    if (typeof brand === 'string' && brand !== '') req.auth = await ctx.brands.authForUser(session.userId, brand);
  });
}

/** Route guard: the caller must be authenticated for a brand and hold `scope`. */
export function guard(scope: Scope | null): preHandlerHookHandler {
  return async function (req: FastifyRequest, _reply: FastifyReply) {
    if (!req.auth) {
      if (req.userId) throw new DomainError('validation_failed', `choose a brand with the ${BRAND_HEADER} header`, { issues: [{ field: BRAND_HEADER, message: 'is required' }] });
      throw new DomainError('unauthorized', 'sign in or send an API key (Authorization: Bearer tdk_…)');
    }
    if (scope && !req.auth.scopes.has(scope)) throw new DomainError('forbidden', `this ${req.auth.actor.type === 'api_key' ? 'API key' : 'role'} lacks the ${scope} scope`, { scope });
  };
}

/** Route guard for user-level routes (no brand needed), e.g. listing one's brands. */
export const requireUser: preHandlerHookHandler = async (req) => {
  if (!req.userId) throw new DomainError('unauthorized', 'sign in first');
};

export const authOf = (req: FastifyRequest): AuthContext => {
  if (!req.auth) throw new DomainError('unauthorized', 'not authenticated');
  return req.auth;
};
