import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard } from '../http/auth.ts';
import { PageQuery } from '../http/pagination.ts';
import {
  BulkInput,
  CONTACT_SORTS,
  CONTACT_STATUSES,
  ContactInput,
  CustomFieldInput,
  SUPPRESSION_REASONS,
  SuppressionInput,
  TagInput,
  TopicInput,
} from './model.ts';

const read = guard('audience:read');
const write = guard('audience:write');
const byId = z.object({ id: z.string().max(100) });

/** `tagIds=a,b` in query strings. */
const tagIdList = z
  .string()
  .max(5000)
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined));

const FilterQuery = z.object({
  search: z.string().max(200).optional().describe('substring of email or name; "@acme.com" matches the email domain'),
  status: z.enum(CONTACT_STATUSES).optional(),
  tagIds: tagIdList.describe('comma-separated tag ids: contacts with ANY of them'),
});

const ListQuery = FilterQuery.extend({
  sort: z.enum(CONTACT_SORTS).default('created_at'),
  order: z.enum(['asc', 'desc']).optional().describe('default: desc for created_at/updated_at, asc for email/last_name'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
});

export async function audienceRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { audience } = ctx;

  // ---- contacts ------------------------------------------------------------------------------

  app.get('/contacts', { preHandler: read, schema: { tags: ['contacts'], summary: 'List contacts: search, filter, sort, keyset pages', querystring: ListQuery } }, async (req) =>
    audience.listContacts(authOf(req).brandId, req.query),
  );

  app.get('/contacts/count', { preHandler: read, schema: { tags: ['contacts'], summary: 'Count the contacts matching a filter', querystring: FilterQuery } }, async (req) => ({
    count: await audience.countContacts(authOf(req).brandId, req.query),
  }));

  app.post('/contacts', { preHandler: write, schema: { tags: ['contacts'], summary: 'Create a contact (409 if the email exists in the brand)', body: ContactInput } }, async (req, reply) => {
    const auth = authOf(req);
    reply.code(201);
    return audience.createContact(auth.brandId, req.body, auth.actor);
  });

  app.post(
    '/contacts/bulk',
    { preHandler: write, schema: { tags: ['contacts'], summary: 'Tag, untag, delete or set the status of contacts by ids or by filter', body: BulkInput } },
    async (req) => {
      const auth = authOf(req);
      return audience.bulk(auth.brandId, req.body, auth.actor);
    },
  );

  app.get('/contacts/:id', { preHandler: read, schema: { tags: ['contacts'], summary: 'A contact with tags, custom fields, topics and suppression', params: byId } }, async (req) =>
    audience.getContact(authOf(req).brandId, req.params.id),
  );

  app.patch(
    '/contacts/:id',
    { preHandler: write, schema: { tags: ['contacts'], summary: 'Update a contact (only the given values; tagIds replaces the tag set)', params: byId, body: ContactInput.partial() } },
    async (req) => {
      const auth = authOf(req);
      return audience.updateContact(auth.brandId, req.params.id, req.body, auth.actor);
    },
  );

  app.delete('/contacts/:id', { preHandler: write, schema: { tags: ['contacts'], summary: 'Delete a contact', params: byId } }, async (req, reply) => {
    const auth = authOf(req);
    await audience.deleteContact(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  app.get(
    '/contacts/:id/timeline',
    { preHandler: read, schema: { tags: ['contacts'], summary: 'Activity timeline of a contact, newest first', params: byId, querystring: PageQuery } },
    async (req) => audience.timeline(authOf(req).brandId, req.params.id, req.query),
  );

  app.get('/contacts/:id/export', { preHandler: read, schema: { tags: ['contacts'], summary: 'GDPR access: everything held about a contact, as JSON', params: byId } }, async (req, reply) => {
    reply.header('content-disposition', `attachment; filename="contact-${req.params.id}.json"`);
    return audience.exportContact(authOf(req).brandId, req.params.id);
  });

  app.post(
    '/contacts/:id/erase',
    { preHandler: write, schema: { tags: ['contacts'], summary: 'GDPR erasure: delete the contact with their tags, topics and timeline', params: byId } },
    async (req, reply) => {
      const auth = authOf(req);
      await audience.eraseContact(auth.brandId, req.params.id, auth.actor);
      return reply.code(204).send();
    },
  );

  app.put(
    '/contacts/:id/topics/:topicId',
    {
      preHandler: write,
      schema: { tags: ['contacts'], summary: "Set a contact's choice for a topic", params: byId.extend({ topicId: z.string().max(100) }), body: z.object({ optedIn: z.boolean() }) },
    },
    async (req) => {
      const auth = authOf(req);
      return audience.setTopicPreference(auth.brandId, req.params.id, req.params.topicId, req.body.optedIn, auth.actor);
    },
  );

  // ---- custom fields -------------------------------------------------------------------------

  app.get('/fields', { preHandler: read, schema: { tags: ['contacts'], summary: 'Custom field definitions' } }, async (req) => ({
    data: await audience.listFields(authOf(req).brandId),
    nextCursor: null,
  }));

  app.post('/fields', { preHandler: write, schema: { tags: ['contacts'], summary: 'Define a typed custom field', body: CustomFieldInput } }, async (req, reply) => {
    reply.code(201);
    return audience.createField(authOf(req).brandId, req.body);
  });

  app.delete('/fields/:id', { preHandler: write, schema: { tags: ['contacts'], summary: 'Delete a custom field and its values', params: byId } }, async (req, reply) => {
    const auth = authOf(req);
    await audience.deleteField(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  // ---- tags ----------------------------------------------------------------------------------

  app.get('/tags', { preHandler: read, schema: { tags: ['tags'], summary: 'Tags with their contact counts' } }, async (req) => ({
    data: await audience.listTags(authOf(req).brandId),
    nextCursor: null,
  }));

  app.post('/tags', { preHandler: write, schema: { tags: ['tags'], summary: 'Create a tag (colour picked from a palette when not given)', body: TagInput } }, async (req, reply) => {
    reply.code(201);
    return audience.createTag(authOf(req).brandId, req.body);
  });

  app.patch('/tags/:id', { preHandler: write, schema: { tags: ['tags'], summary: 'Rename or recolour a tag', params: byId, body: TagInput.partial() } }, async (req) =>
    audience.updateTag(authOf(req).brandId, req.params.id, req.body),
  );

  app.delete('/tags/:id', { preHandler: write, schema: { tags: ['tags'], summary: 'Delete a tag (removes it from every contact)', params: byId } }, async (req, reply) => {
    const auth = authOf(req);
    await audience.deleteTag(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  // ---- topics --------------------------------------------------------------------------------

  app.get('/topics', { preHandler: read, schema: { tags: ['topics'], summary: 'Subscription topics with opted-in counts' } }, async (req) => ({
    data: await audience.listTopics(authOf(req).brandId),
    nextCursor: null,
  }));

  app.post('/topics', { preHandler: write, schema: { tags: ['topics'], summary: 'Create a topic', body: TopicInput } }, async (req, reply) => {
    reply.code(201);
    return audience.createTopic(authOf(req).brandId, req.body);
  });

  app.patch('/topics/:id', { preHandler: write, schema: { tags: ['topics'], summary: 'Update a topic', params: byId, body: TopicInput.partial() } }, async (req) =>
    audience.updateTopic(authOf(req).brandId, req.params.id, req.body),
  );

  app.delete('/topics/:id', { preHandler: write, schema: { tags: ['topics'], summary: "Delete a topic and contacts' choices for it", params: byId } }, async (req, reply) => {
    const auth = authOf(req);
    await audience.deleteTopic(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  // ---- suppression list ----------------------------------------------------------------------

  app.get(
    '/suppressions',
    {
      preHandler: read,
      schema: {
        tags: ['suppression'],
        summary: 'Suppressed addresses, newest first',
        querystring: PageQuery.extend({ search: z.string().max(200).optional(), reason: z.enum(SUPPRESSION_REASONS).optional() }),
      },
    },
    async (req) => audience.listSuppressions(authOf(req).brandId, req.query),
  );

  app.post('/suppressions', { preHandler: write, schema: { tags: ['suppression'], summary: 'Suppress an address (sends skip it)', body: SuppressionInput } }, async (req, reply) => {
    const auth = authOf(req);
    reply.code(201);
    return audience.addSuppression(auth.brandId, req.body, auth.actor);
  });

  app.delete('/suppressions/:id', { preHandler: write, schema: { tags: ['suppression'], summary: 'Remove an address from the suppression list', params: byId } }, async (req, reply) => {
    const auth = authOf(req);
    await audience.removeSuppression(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });
}
