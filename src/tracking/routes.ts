import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard } from '../http/auth.ts';
import { lazyChildLogger } from '../http/logging.ts';
import { messageUrls } from './tokens.ts';
import type { RequestSignal } from './machine.ts';
import { hrefOf, RecipientsQuery, TIMELINE_BUCKETS } from './model.ts';
import { errorPage, notFoundPage, PAGE_CSP, PIXEL_GIF, preferencesPage, previewNoticePage, unsubscribeConfirmPage, unsubscribedPage, VIEW_CSP } from './pages.ts';

/** Forms on our pages and RFC 8058 posts are tiny. */
const FORM_LIMIT = 16 * 1024;
/**
 * Cache-Control alone: every cache and image proxy of today's mail clients obeys it, and it
 * outranks Expires (RFC 9111 §5.3); Pragma is only for HTTP/1.0 caches (deprecated, §5.4). Each
 * header more cost the open pixel a few percent of its throughput.
 */
const NO_CACHE = 'no-store, no-cache, must-revalidate, private';
const LINK_INDEX = /^\d{1,5}$/;

const signalOf = (req: FastifyRequest): RequestSignal => ({ method: req.method, userAgent: req.headers['user-agent'] ?? null, ip: req.ip ?? null });

/** The path after the route's prefix. Tokens are wildcards, not `:params`: Fastify caps a param at 100 characters and link tokens are longer. */
const restOf = (req: FastifyRequest) => (req.params as { '*': string })['*'];

function page(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).header('cache-control', NO_CACHE).header('content-security-policy', PAGE_CSP).header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8').send(html);
}

/** Redirects only ever go to a URL of the email (normalised); the referrer would carry the token to that site, so none is sent. */
function redirect(reply: FastifyReply, href: string) {
  return reply.code(302).header('cache-control', NO_CACHE).header('referrer-policy', 'no-referrer').header('location', href).send();
}

/**
 * The links inside sent emails: open pixel, click redirects, unsubscribe (page and RFC 8058
 * one-click), preferences and view in browser. No auth and no cookies: each verifies its token.
 * Registered in their own scope so their body parsers (forms, and any body for one-click) do not
 * touch the other public routes (provider webhooks read raw bodies).
 */
export async function trackingPublicRoutes(root: FastifyInstance, ctx: AppContext) {
  await root.register(async (app) => {
    const { tracking } = ctx;
    for (const type of ['application/x-www-form-urlencoded', '*']) if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => done(null, new URLSearchParams(body as string)));
    // RFC 8058 senders may post multipart or anything else: the POST itself is the request.
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, _body, done) => done(null, null));
    const hidden = { schema: { hide: true } };
    // Opens and clicks come by the thousand each second and log nothing unless something fails.
    const hot = { ...hidden, childLoggerFactory: lazyChildLogger };
    const urls = (token: string) => messageUrls(ctx.config.publicUrl, token);
    const claimsOf = (req: FastifyRequest) => tracking.messageClaims(restOf(req));

    app.get('/t/o/*', hot, async (req, reply) => {
      await tracking.recordOpenToken(restOf(req), signalOf(req));
      return reply.header('cache-control', NO_CACHE).type('image/gif').send(PIXEL_GIF);
    });

    app.get('/t/c/*', hot, async (req, reply) => {
      const rest = restOf(req);
      const slash = rest.lastIndexOf('/');
      const claims = slash > 0 ? tracking.messageClaims(rest.slice(0, slash)) : null;
      const index = rest.slice(slash + 1);
      if (!claims || !LINK_INDEX.test(index)) return page(reply, 404, notFoundPage());
      const target = await tracking.staticLink(claims, Number(index));
      if (!target) return page(reply, 404, notFoundPage());
      await tracking.recordClick(claims, Number(index), target.url, signalOf(req));
      return redirect(reply, target.href);
    });

    app.get('/t/l/*', hot, async (req, reply) => {
      const claims = tracking.linkClaims(restOf(req));
      const href = claims && hrefOf(claims.url);
      if (!claims || !href) return page(reply, 404, notFoundPage());
      await tracking.recordClick(claims, claims.link, claims.url, signalOf(req));
      return redirect(reply, href);
    });

    app.get('/u/*', hidden, async (req, reply) => {
      const claims = claimsOf(req);
      if (!claims) return page(reply, 404, notFoundPage());
      return page(reply, 200, unsubscribeConfirmPage(await tracking.preferences(claims), urls(restOf(req)).preferences));
    });

    // RFC 8058 one-click (body `List-Unsubscribe=One-Click`) and the page's own button: the same act.
    app.post('/u/*', { ...hidden, bodyLimit: FORM_LIMIT }, async (req, reply) => {
      const claims = claimsOf(req);
      if (!claims) return page(reply, 404, notFoundPage());
      if (!claims.messageId) return page(reply, 200, previewNoticePage());
      const how = formOf(req.body).get('List-Unsubscribe') === 'One-Click' ? 'one-click' : 'page';
      try {
        await tracking.unsubscribe(claims, how);
      } catch (err) {
        req.log.error({ err }, 'unsubscribe failed');
        return page(reply, 500, errorPage());
      }
      return page(reply, 200, unsubscribedPage(await tracking.preferences(claims)));
    });

    app.get('/p/*', hidden, async (req, reply) => {
      const claims = claimsOf(req);
      if (!claims) return page(reply, 404, notFoundPage());
      const view = await tracking.preferences(claims);
      return view ? page(reply, 200, preferencesPage(view, null)) : page(reply, 200, previewNoticePage());
    });

    app.post('/p/*', { ...hidden, bodyLimit: FORM_LIMIT }, async (req, reply) => {
      const claims = claimsOf(req);
      if (!claims) return page(reply, 404, notFoundPage());
      if (!claims.messageId) return page(reply, 200, previewNoticePage());
      const form = formOf(req.body);
      try {
        if (form.get('action') === 'unsubscribe') await tracking.unsubscribe(claims, 'preferences');
        const view = form.get('action') === 'unsubscribe' ? await tracking.preferences(claims) : await tracking.savePreferences(claims, form.getAll('topic'));
        return view ? page(reply, 200, preferencesPage(view, form.get('action') === 'unsubscribe' ? 'unsubscribed' : 'saved')) : page(reply, 404, notFoundPage());
      } catch (err) {
        req.log.error({ err }, 'saving preferences failed');
        return page(reply, 500, errorPage());
      }
    });

    app.get('/v/*', hidden, async (req, reply) => {
      const claims = claimsOf(req);
      const html = claims && (await tracking.view(claims));
      if (!html) return page(reply, 404, notFoundPage());
      return reply
        .header('cache-control', NO_CACHE)
        .header('content-security-policy', VIEW_CSP)
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff')
        .type('text/html; charset=utf-8')
        .send(html);
    });
  });
}

const formOf = (body: unknown) => (body instanceof URLSearchParams ? body : new URLSearchParams());

const ById = z.object({ id: z.string().min(1).max(100) });

/** Results of a campaign (S5.4) and the trail of one message, under /api/v1. */
export async function trackingApiRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { tracking } = ctx;
  const read = guard('campaign:read');
  const tags = ['results'];

  app.get('/campaigns/:id/stats', { preHandler: read, schema: { tags, summary: 'Sent, delivered, opens, clicks, unsubscribes, bounces and complaints of a campaign, with rates; machine opens and clicks apart', params: ById } }, async (req) =>
    tracking.campaignStats(authOf(req).brandId, req.params.id),
  );

  app.get(
    '/campaigns/:id/timeline',
    { preHandler: read, schema: { tags, summary: 'Events of a campaign per hour or day (UTC)', params: ById, querystring: z.object({ bucket: z.enum(TIMELINE_BUCKETS).default('hour') }) } },
    async (req) => ({ data: await tracking.timeline(authOf(req).brandId, req.params.id, req.query.bucket) }),
  );

  app.get('/campaigns/:id/links', { preHandler: read, schema: { tags, summary: 'Every tracked link of the campaign email with its human and machine clicks', params: ById } }, async (req) => ({
    data: await tracking.linkStats(authOf(req).brandId, req.params.id),
  }));

  app.get(
    '/campaigns/:id/recipients',
    { preHandler: read, schema: { tags, summary: 'Messages of a campaign (sent, skipped with reason, failed, queued), searchable by email', params: ById, querystring: RecipientsQuery } },
    async (req) => tracking.recipients(authOf(req).brandId, req.params.id, req.query),
  );

  app.get('/messages/:id/trail', { preHandler: read, schema: { tags, summary: 'Everything that happened to one message, in order', params: ById } }, async (req) => ({
    data: await tracking.messageTrail(authOf(req).brandId, req.params.id),
  }));
}
