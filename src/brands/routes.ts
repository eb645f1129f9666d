import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard, requireUser, SESSION_COOKIE } from '../http/auth.ts';
import { PageQuery } from '../http/pagination.ts';
import { DomainError } from '../shared/errors.ts';
import { ROLES } from './model.ts';

const anyBody = z.record(z.string(), z.unknown());

export async function brandRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { brands } = ctx;
  const secureCookie = ctx.config.publicUrl.startsWith('https://');

  async function startSession(reply: FastifyReply, email: string, password: string) {
    const s = await brands.signIn(email, password);
    reply.setCookie(SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'lax', secure: secureCookie, path: '/', expires: new Date(s.expiresAt) });
    return { user: s.user, csrfToken: s.csrfToken, memberships: await brands.membershipsOf(s.user.id) };
  }

  app.get('/setup', { schema: { tags: ['access'], summary: 'Whether first-run setup is still needed', security: [] } }, async () => ({ needsSetup: !(await brands.isSetUp()) }));

  app.post(
    '/setup',
    { schema: { tags: ['access'], summary: 'First run: create the first user and brand, and sign in', security: [], body: z.object({ user: anyBody, brand: anyBody }) } },
    async (req, reply) => {
      const { user } = await brands.setup(req.body);
      reply.code(201);
      return startSession(reply, user.email, String(req.body.user.password));
    },
  );

  app.post(
    '/session',
    { schema: { tags: ['access'], summary: 'Sign in with email and password (sets an httpOnly session cookie)', security: [], body: z.object({ email: z.string().max(320), password: z.string().max(200) }) } },
    async (req, reply) => startSession(reply, req.body.email, req.body.password),
  );

  app.get('/session', { preHandler: requireUser, schema: { tags: ['access'], summary: 'The signed-in user, their brands and CSRF token' } }, async (req) => {
    const session = await brands.resolveSession(req.cookies[SESSION_COOKIE]!);
    return { user: await brands.getUser(req.userId!), csrfToken: session!.csrfToken, memberships: await brands.membershipsOf(req.userId!) };
  });

  app.delete('/session', { schema: { tags: ['access'], summary: 'Sign out' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await brands.signOut(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/brands', { schema: { tags: ['brands'], summary: 'Brands the caller can use' } }, async (req) => {
    if (req.auth?.actor.type === 'api_key') return { data: [await brands.getBrand(req.auth.brandId)] };
    if (!req.userId) throw new DomainError('unauthorized', 'sign in or send an API key');
    const mine = await brands.membershipsOf(req.userId);
    return { data: await Promise.all(mine.map(async (m) => ({ ...(await brands.getBrand(m.brandId)), role: m.role }))) };
  });

  app.post('/brands', { preHandler: requireUser, schema: { tags: ['brands'], summary: 'Create a brand (you become its manager)', body: anyBody } }, async (req, reply) => {
    reply.code(201);
    return brands.createBrand(req.body, { userId: req.userId! }, { type: 'user', id: req.userId });
  });

  app.get('/brand', { preHandler: guard(null), schema: { tags: ['brands'], summary: 'The current brand and its kit' } }, async (req) => brands.getBrand(authOf(req).brandId));

  app.patch('/brand', { preHandler: guard('brand:write'), schema: { tags: ['brands'], summary: 'Update the brand kit', body: anyBody } }, async (req) => {
    const auth = authOf(req);
    return brands.updateBrand(auth.brandId, req.body, auth.actor);
  });

  app.get('/members', { preHandler: guard(null), schema: { tags: ['brands'], summary: 'Members of the brand and their roles' } }, async (req) => ({ data: await brands.listMembers(authOf(req).brandId) }));

  app.put(
    '/members',
    { preHandler: guard('brand:write'), schema: { tags: ['brands'], summary: 'Add a user to the brand or change their role', body: z.object({ email: z.string().max(320), role: z.enum(ROLES) }) } },
    async (req) => {
      const auth = authOf(req);
      await brands.setMember(auth.brandId, req.body.email, req.body.role, auth.actor);
      return { data: await brands.listMembers(auth.brandId) };
    },
  );

  app.delete('/members/:userId', { preHandler: guard('brand:write'), schema: { tags: ['brands'], summary: 'Remove a member', params: z.object({ userId: z.string() }) } }, async (req, reply) => {
    const auth = authOf(req);
    await brands.removeMember(auth.brandId, req.params.userId, auth.actor);
    return reply.code(204).send();
  });

  app.get('/keys', { preHandler: guard('brand:write'), schema: { tags: ['brands'], summary: 'API keys of the brand (secrets are never shown again)' } }, async (req) => ({ data: await brands.listApiKeys(authOf(req).brandId) }));

  app.post('/keys', { preHandler: guard('brand:write'), schema: { tags: ['brands'], summary: 'Create an API key; the secret is in this response only', body: anyBody } }, async (req, reply) => {
    const auth = authOf(req);
    reply.code(201);
    return brands.createApiKey(auth.brandId, req.body, auth.actor);
  });

  app.delete('/keys/:id', { preHandler: guard('brand:write'), schema: { tags: ['brands'], summary: 'Revoke an API key', params: z.object({ id: z.string() }) } }, async (req, reply) => {
    const auth = authOf(req);
    await brands.revokeApiKey(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  app.get('/audit', { preHandler: guard('brand:write'), schema: { tags: ['brands'], summary: 'Audit log: who did what, newest first', querystring: PageQuery } }, async (req) => {
    const rows = await brands.listAudit(authOf(req).brandId, { limit: req.query.limit + 1, before: req.query.cursor });
    const data = rows.slice(0, req.query.limit);
    return { data, nextCursor: rows.length > req.query.limit ? data[data.length - 1].id : null };
  });
}
