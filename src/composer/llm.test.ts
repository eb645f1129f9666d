import { afterEach, describe, expect, it } from 'vitest';
import type { ComposerConfig } from '../app/config.ts';
import { DomainError } from '../shared/errors.ts';
import { AnthropicClient } from './anthropic.ts';
import { FIXTURE_BRAND } from './builtin/briefs.fixture.ts';
import { composeEmail } from './builtin/compose.ts';
import { ModelComposer, strictSchema, type ModelClient } from './llm.ts';
import { Brief, SeriesBrief, type EmailDraft } from './model.ts';
import { OpenAIClient } from './openai.ts';
import { anthropicAnswer, anthropicError, closedPort, openaiAnswer, openaiError, startProviderServer, type Canned, type ProviderServer, type Recorded } from './provider-server.fixture.ts';

const BRIEF = Brief.parse({ prompt: 'Launch email for our spring coffee collection: 20% off all beans until Sunday with code SPRING20', tone: 'friendly' });
const sample = composeEmail(BRIEF, FIXTURE_BRAND);
/** What a model that did its job answers. */
const GOOD = { subject: sample.subject, preheader: sample.preheader, language: 'en', document: sample.document };
/** Not the document schema: a block type that does not exist. */
const BAD_SCHEMA = (() => {
  const doc = structuredClone(GOOD);
  (doc.document.sections[1].blocks[0] as { type: string }).type = 'video';
  return doc;
})();
/** Schema-valid but unusable: a placeholder link and no footer. */
const BAD_RULES = (() => {
  const doc = structuredClone(GOOD);
  const button = doc.document.sections[1].blocks.find((b) => b.type === 'button') as { url: string };
  button.url = 'https://example.com/offer';
  doc.document.sections.pop();
  return doc;
})();
const LONG_SUBJECT = { ...GOOD, subject: 'Our whole spring coffee collection is now twenty percent off' };

interface ProviderSpec {
  name: 'openai' | 'anthropic';
  who: string;
  baseUrl(server: string): string;
  client(config: ComposerConfig): ModelClient;
  answer(json: unknown, tool?: string): Canned;
  error(status: number, message: string, headers?: Record<string, string>): Canned;
  /** The documented request: path, authentication, model and the JSON schema. */
  checkRequest(req: Recorded): void;
  /** The retry carries the first answer and the problems found in it. */
  retryFeedback(req: Recorded): string;
}

const OPENAI: ProviderSpec = {
  name: 'openai',
  who: 'the OpenAI-compatible server',
  baseUrl: (s) => `${s}/v1`,
  client: (c) => new OpenAIClient(c),
  answer: (json) => openaiAnswer(json),
  error: (status, message, headers) => openaiError(status, message, headers),
  checkRequest(req) {
    expect([req.method, req.path, req.headers.authorization]).toEqual(['POST', '/v1/chat/completions', 'Bearer sk-test']);
    expect(req.body.model).toBe('test-model');
    expect(req.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'email', strict: true } });
    const schema = req.body.response_format.json_schema.schema;
    expect(schema.properties.document.properties.sections).toBeDefined();
    expect(schema.required).toEqual(['subject', 'preheader', 'language', 'document']);
    expect(req.body.messages[0]).toMatchObject({ role: 'system' });
    expect(req.body.messages[0].content).toMatch(/Answer with JSON only, matching this JSON Schema:\n\{/);
    expect(req.body.messages[1].content).toMatch(/- Prompt: Launch email for our spring coffee collection/);
    expect(req.body.messages[1].content).toMatch(/- Button link: https:\/\/shop\.acmecoffee\.com/);
  },
  retryFeedback(req) {
    const [, , assistant, user] = req.body.messages;
    expect(assistant.role).toBe('assistant');
    expect(JSON.parse(assistant.content)).toHaveProperty('document');
    expect(user.role).toBe('user');
    return user.content;
  },
};

const ANTHROPIC: ProviderSpec = {
  name: 'anthropic',
  who: 'Anthropic',
  baseUrl: (s) => s,
  client: (c) => new AnthropicClient(c),
  answer: (json, tool) => anthropicAnswer(json, tool),
  error: (status, message, headers) => anthropicError(status, status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : 'api_error', message, headers),
  checkRequest(req) {
    // SDK 1.x sends the key as a bearer token (API version 2026-10-21 accepts it) and always the version header.
    expect([req.method, req.path, req.headers.authorization]).toEqual(['POST', '/v1/messages', 'Bearer sk-test']);
    expect(req.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(req.body).toMatchObject({ model: 'test-model', max_tokens: 8192, tool_choice: { type: 'tool', name: 'email' } });
    expect(req.body.temperature).toBeUndefined();
    expect(req.body.tools[0].name).toBe('email');
    expect(req.body.tools[0].input_schema.properties.document.properties.sections).toBeDefined();
    expect(req.body.system).toMatch(/Answer with JSON only, matching this JSON Schema/);
    expect(req.body.messages[0].content).toMatch(/- Prompt: Launch email for our spring coffee collection/);
  },
  retryFeedback(req) {
    const [, assistant, user] = req.body.messages;
    expect(assistant.role).toBe('assistant');
    expect(assistant.content[0]).toMatchObject({ type: 'tool_use', name: 'email' });
    expect(user.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: assistant.content[0].id, is_error: true });
    return user.content[0].content;
  },
};

describe.each([OPENAI, ANTHROPIC])('$name composer against a local server', (spec) => {
  let server: ProviderServer;
  afterEach(() => server?.close());

  async function composer(responses: Canned[], timeoutMs = 5000): Promise<ModelComposer> {
    server = await startProviderServer(responses);
    return new ModelComposer(spec.client({ provider: spec.name, baseUrl: spec.baseUrl(server.url), apiKey: 'sk-test', model: 'test-model', timeoutMs }));
  }

  async function failure(promise: Promise<unknown>): Promise<DomainError> {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('upstream');
    expect((err as DomainError).status).toBe(502);
    return err as DomainError;
  }

  it('returns the model’s document on the first valid answer, having sent the documented request', async () => {
    const c = await composer([spec.answer(GOOD)]);
    const draft = await c.generate(BRIEF, FIXTURE_BRAND);
    expect(draft).toMatchObject({ name: 'Promo: 20% off all beans', subject: GOOD.subject, preheader: GOOD.preheader, language: 'en', category: 'marketing', document: GOOD.document });
    expect(server.requests).toHaveLength(1);
    spec.checkRequest(server.requests[0]);
    expect([c.provider, c.model]).toEqual([spec.name, 'test-model']);
  });

  it('retries once with the validation errors, then uses the corrected answer', async () => {
    const c = await composer([spec.answer(BAD_SCHEMA), spec.answer(GOOD)]);
    expect((await c.generate(BRIEF, FIXTURE_BRAND)).document).toEqual(GOOD.document);
    expect(server.requests).toHaveLength(2);
    const feedback = spec.retryFeedback(server.requests[1]);
    expect(feedback).toMatch(/^Your JSON cannot be used as it is:\n- document\.sections\.1\.blocks\.0/);
    expect(feedback).toMatch(/Return the complete corrected JSON only\.$/);
  });

  it('reports an answer that is unusable twice, naming the problem', async () => {
    const c = await composer([spec.answer(BAD_SCHEMA), spec.answer(BAD_RULES)]);
    const err = await failure(c.generate(BRIEF, FIXTURE_BRAND));
    expect(err.message).toMatch(new RegExp(`^${spec.who} \\(model test-model\\) returned an unusable answer twice: `));
    expect(err.message).toMatch(/"https:\/\/example\.com\/offer" is a placeholder address/);
    expect(err.details).toMatchObject({ provider: spec.name, reason: 'invalid_output' });
    expect((err.details as { issues: unknown[] }).issues).toContainEqual({ field: 'document', message: 'has no footer block; end with one (it carries the unsubscribe link and address)' });
  });

  it('asks again about inbox conventions but accepts them the second time', async () => {
    const c = await composer([spec.answer(LONG_SUBJECT), spec.answer(LONG_SUBJECT)]);
    expect((await c.generate(BRIEF, FIXTURE_BRAND)).subject).toBe(LONG_SUBJECT.subject);
    expect(spec.retryFeedback(server.requests[1])).toMatch(/- subject: is 60 characters; keep it at most 50/);
  });

  it.each([
    [401, 'invalid x-api-key', {}, 'rejected the API key (401): invalid x-api-key; check TIDINGS_COMPOSER_API_KEY', 'auth'],
    [429, 'slow down', { 'retry-after': '7' }, 'is rate-limiting requests (429): slow down; retry after 7 s', 'rate_limited'],
    [500, 'boom', {}, 'had a server error (500): boom; try again later', 'server_error'],
    [404, 'model not found', {}, 'answered 404: model not found; check TIDINGS_COMPOSER_MODEL ("test-model")', 'not_found'],
  ])('turns HTTP %i into a clear error, without retrying', async (status, message, headers, says, reason) => {
    const c = await composer([spec.error(status, message, headers)]);
    const err = await failure(c.generate(BRIEF, FIXTURE_BRAND));
    expect(err.message).toContain(`${spec.who} ${says}`);
    expect(err.details).toMatchObject({ provider: spec.name, status, reason });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after the configured timeout when the server hangs', async () => {
    const c = await composer(['hang'], 300);
    const err = await failure(c.generate(BRIEF, FIXTURE_BRAND));
    expect(err.message).toBe(`${spec.who} did not answer within 300 ms (TIDINGS_COMPOSER_TIMEOUT_MS); try again or raise the timeout`);
    expect(err.details).toMatchObject({ reason: 'timeout' });
  });

  it('says when the server cannot be reached', async () => {
    const port = await closedPort();
    const c = new ModelComposer(spec.client({ provider: spec.name, baseUrl: spec.baseUrl(`http://127.0.0.1:${port}`), apiKey: 'sk-test', model: 'test-model', timeoutMs: 5000 }));
    const err = await failure(c.generate(BRIEF, FIXTURE_BRAND));
    expect(err.message).toMatch(new RegExp(`^cannot reach ${spec.who} at http://127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*; check TIDINGS_COMPOSER_BASE_URL`));
    expect(err.details).toMatchObject({ reason: 'unreachable' });
  });

  it('edits with the instruction and the selected block, and suggests subject lines', async () => {
    const edited = { ...GOOD, subject: 'Spring beans, 20% off' };
    const lines = { subjects: [1, 2, 3].map((n) => ({ subject: `Spring pick number ${n}`, preheader: `Twenty percent off all beans until Sunday, pick ${n} of three.` })) };
    const c = await composer([spec.answer(edited), spec.answer(lines, 'subject_lines')]);
    const draft: EmailDraft = { ...sample, notes: undefined };
    expect((await c.edit(draft, 'make the subject punchier', FIXTURE_BRAND, { blockId: 'hero-heading' })).subject).toBe('Spring beans, 20% off');
    const prompt = JSON.stringify(server.requests[0].body.messages);
    expect(prompt).toContain('Apply this instruction: \\"make the subject punchier\\"');
    expect(prompt).toContain('Change only the block with id \\"hero-heading\\"');
    expect(await c.subjects(draft, FIXTURE_BRAND, 3)).toEqual(lines.subjects);
    expect(JSON.stringify(server.requests[1].body)).toContain('Write 3 different subject lines');
  });
});

describe('OpenAI-compatible servers without structured output', () => {
  let server: ProviderServer;
  afterEach(() => server?.close());

  it('switch to JSON mode, with the schema in the prompt, when json_schema is refused', async () => {
    server = await startProviderServer([openaiError(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."), openaiAnswer(GOOD), openaiAnswer(GOOD)]);
    const c = new ModelComposer(new OpenAIClient({ provider: 'openai', baseUrl: server.url, apiKey: null, model: 'llama3', timeoutMs: 5000 }));
    expect((await c.generate(BRIEF, FIXTURE_BRAND)).subject).toBe(GOOD.subject);
    await c.generate(BRIEF, FIXTURE_BRAND);
    expect(server.requests.map((r) => r.body.response_format.type)).toEqual(['json_schema', 'json_object', 'json_object']);
    // A bare server address gets the /v1 API root.
    expect(server.requests[1].path).toBe('/v1/chat/completions');
  });

  it('read a reply that is not JSON as a problem to correct', async () => {
    server = await startProviderServer([openaiAnswer('Sure! Here is your email: …'), openaiAnswer(GOOD)]);
    const c = new ModelComposer(new OpenAIClient({ provider: 'openai', baseUrl: `${server.url}/v1`, apiKey: null, model: 'llama3', timeoutMs: 5000 }));
    await c.generate(BRIEF, FIXTURE_BRAND);
    expect(server.requests[1].body.messages.at(-1).content).toMatch(/- \(reply\): is not valid JSON/);
  });
});

describe('strict JSON schema for OpenAI', () => {
  it('requires every property, makes optional ones nullable, forbids extras and drops what strict mode rejects', () => {
    const strict = strictSchema({
      type: 'object',
      properties: { a: { type: 'string', minLength: 1 }, b: { type: 'integer', default: 3 }, c: { oneOf: [{ type: 'object', properties: { k: { const: 'x' } }, required: ['k'] }] } },
      required: ['a'],
    });
    expect(strict).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string' },
        b: { type: ['integer', 'null'] },
        c: { anyOf: [{ type: 'object', properties: { k: { enum: ['x'] } }, required: ['k'], additionalProperties: false }, { type: 'null' }] },
      },
      required: ['a', 'b', 'c'],
      additionalProperties: false,
    });
  });
});

describe.each([OPENAI, ANTHROPIC])('$name composer plans series', (spec) => {
  let server: ProviderServer;
  afterEach(() => server?.close());

  const SERIES_BRIEF = SeriesBrief.parse({ prompt: 'a 4-email welcome flow for new subscribers of a coffee subscription', tone: 'friendly' });
  const step = (role: string, purpose: string, offsetDays: number, handoff: string) => ({ role, purpose, beats: [`Say what the ${role.toLowerCase()} is about`, 'One clear button'], offsetDays, handoff });
  const GOOD_PLAN = {
    name: 'Welcome: new subscribers',
    steps: [
      step('Welcome', 'welcome', 0, 'Promise the story of our roastery next.'),
      step('Roastery story', 'announcement', 2, 'Tease brewing tips.'),
      step('Brewing tips', 'newsletter', 5, 'Hint at a first-order gift.'),
      step('First-order gift', 'promo', 9, ''),
    ],
  };
  /** Three emails where four were asked for, the third due before the second, and a role used twice. */
  const BAD_PLAN = { name: 'Welcome', steps: [GOOD_PLAN.steps[0], GOOD_PLAN.steps[1], { ...GOOD_PLAN.steps[2], role: 'Welcome', offsetDays: 1 }] };
  /** The text of the last message, where the retry's feedback is. */
  const lastUserText = (req: Recorded): string => {
    const last = req.body.messages.at(-1);
    return typeof last.content === 'string' ? last.content : last.content[0].content;
  };

  async function composer(responses: Canned[]): Promise<ModelComposer> {
    server = await startProviderServer(responses);
    return new ModelComposer(spec.client({ provider: spec.name, baseUrl: spec.baseUrl(server.url), apiKey: 'sk-test', model: 'test-model', timeoutMs: 5000 }));
  }

  it('asks for the plan as structured JSON of the inferred kind and count, and gives every email its brief', async () => {
    const c = await composer([spec.answer(GOOD_PLAN, 'series_plan')]);
    const plan = await c.planSeries(SERIES_BRIEF, FIXTURE_BRAND);
    expect(plan).toMatchObject({ name: 'Welcome: new subscribers', kind: 'welcome', notes: [] });
    expect(plan.steps.map((s) => [s.role, s.offsetDays, s.brief.purpose])).toEqual([
      ['Welcome', 0, 'welcome'],
      ['Roastery story', 2, 'announcement'],
      ['Brewing tips', 5, 'newsletter'],
      ['First-order gift', 9, 'promo'],
    ]);
    expect(plan.steps[1].brief).toMatchObject({ prompt: SERIES_BRIEF.prompt, tone: 'friendly', series: { position: 1, count: 4, previous: { role: 'Welcome', handoff: 'Promise the story of our roastery next.' }, next: { role: 'Brewing tips', offsetDays: 5 } } });
    const req = server.requests[0].body;
    const request = JSON.stringify(req);
    if (spec.name === 'openai') {
      expect(req.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'series_plan', strict: true } });
      expect(req.response_format.json_schema.schema.required).toEqual(['name', 'steps']);
    } else {
      expect(req.tool_choice).toEqual({ type: 'tool', name: 'series_plan' });
      expect(req.tools[0].input_schema.properties.steps.items.properties.offsetDays).toBeDefined();
    }
    expect(request).toContain('Plan a welcome flow of exactly 4 emails from this brief.');
    expect(request).toContain('1. Welcome (day 0), 2. Brand story (day 2), 3. Tips and how-tos (day 5), 4. Offer (day 9)');
  });

  it('retries once with the validation errors, then uses the corrected plan', async () => {
    const c = await composer([spec.answer(BAD_PLAN, 'series_plan'), spec.answer(GOOD_PLAN, 'series_plan')]);
    expect((await c.planSeries(SERIES_BRIEF, FIXTURE_BRAND)).steps).toHaveLength(4);
    const feedback = lastUserText(server.requests[1]);
    expect(feedback).toContain('- steps: has 3 emails; plan exactly 4');
    expect(feedback).toContain('- steps.2.offsetDays: is day 1, before the previous email (day 2); send each email at least one day after the previous one');
    expect(feedback).toContain('- steps.2.role: "Welcome" is the role of an earlier email too; give every email its own role');
  });

  it('reports a plan that is unusable twice, naming the problem', async () => {
    const c = await composer([spec.answer({ name: 'x', steps: [] }, 'series_plan'), spec.answer(BAD_PLAN, 'series_plan')]);
    const err = await c.planSeries(SERIES_BRIEF, FIXTURE_BRAND).then(
      () => null,
      (e: unknown) => e as DomainError,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect(err!.message).toMatch(new RegExp(`^${spec.who} \\(model test-model\\) returned an unusable answer twice: steps: has 3 emails; plan exactly 4`));
    expect(lastUserText(server.requests[1])).toContain('- steps: needs at least one email');
  });

  it('refuses more than 12 emails before asking the model', async () => {
    const c = await composer([]);
    await expect(c.planSeries(SeriesBrief.parse({ prompt: 'a 40-email welcome flow' }), FIXTURE_BRAND)).rejects.toMatchObject({ code: 'validation_failed', message: 'count: must be at most 12 (the prompt asks for 40 emails)' });
    expect(server.requests).toHaveLength(0);
  });

  it('writes an email of a series knowing its role and its neighbours', async () => {
    const c = await composer([spec.answer(GOOD_PLAN, 'series_plan'), spec.answer(GOOD)]);
    const plan = await c.planSeries(SERIES_BRIEF, FIXTURE_BRAND);
    await c.generate(plan.steps[1].brief, FIXTURE_BRAND);
    const prompt = JSON.stringify(server.requests[1].body.messages);
    expect(prompt).toContain('- Series: email 2 of 4 of a welcome flow, sent on day 2 after enrolment.');
    expect(prompt).toContain('- Role of this email: Roastery story');
    expect(prompt).toContain('- Previous email: \\"Welcome\\", which promised: Promise the story of our roastery next. Refer back to it where natural');
    expect(prompt).toContain('- Next email: \\"Brewing tips\\", on day 5; hand over to it: Tease brewing tips. Tease it in a sentence near the end');
  });
});
