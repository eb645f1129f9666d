import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ComposerConfig } from '../app/config.ts';
import { causeOf, lazySdk, upstreamError, type ModelClient, type ModelReply, type OutputSpec, type Turn } from './llm.ts';

export const DEFAULT_OPENAI_MODEL = 'gpt-5-mini';

/**
 * Chat completions on any OpenAI-compatible server (OpenAI, Ollama, llama.cpp, vLLM). Asks for
 * strict JSON-schema output; a server that does not support `json_schema` (it answers 400 about
 * the response format) is asked for plain JSON mode from then on, with the schema in the prompt.
 */
export class OpenAIClient implements ModelClient {
  readonly provider = 'openai' as const;
  readonly model: string;
  private readonly baseURL: string;
  private readonly connect: () => Promise<{ sdk: typeof OpenAI; client: OpenAI }>;
  private structured = true;

  constructor(private readonly config: ComposerConfig) {
    this.model = config.model ?? DEFAULT_OPENAI_MODEL;
    this.baseURL = openaiBaseUrl(config.baseUrl);
    this.connect = lazySdk(() => import('openai').then((m) => m.default), (sdk, options) => new sdk(options), config, this.baseURL);
  }

  async complete(system: string, turns: Turn[], output: OutputSpec): Promise<ModelReply> {
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: system }, ...turns.map(toMessage)];
    const { sdk, client } = await this.connect();
    try {
      const res = await client.chat.completions.create({
        model: this.model,
        messages,
        response_format: this.structured
          ? { type: 'json_schema', json_schema: { name: output.name, description: output.description, schema: output.strictSchema, strict: true } }
          : { type: 'json_object' },
      });
      const choice = res.choices[0];
      return { raw: choice?.message?.content ?? '', truncated: choice?.finish_reason === 'length', refusal: choice?.message?.refusal ?? undefined };
    } catch (err) {
      if (this.structured && err instanceof sdk.BadRequestError && /response_format|json_schema|schema/i.test(err.message)) {
        this.structured = false;
        return this.complete(system, turns, output);
      }
      throw this.failure(sdk, err);
    }
  }

  private failure(sdk: typeof OpenAI, err: unknown): Error {
    const fail = (f: Parameters<typeof upstreamError>[4]) => upstreamError('openai', this.model, this.baseURL, this.config.timeoutMs, f);
    if (err instanceof sdk.APIConnectionTimeoutError) return fail({ kind: 'timeout', message: err.message });
    if (err instanceof sdk.APIConnectionError) return fail({ kind: 'unreachable', message: causeOf(err) });
    if (err instanceof sdk.APIError && err.status) {
      const body = err.error as { message?: string } | undefined;
      return fail({ kind: 'status', status: err.status, message: body?.message ?? '', retryAfter: err.headers?.get('retry-after') });
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

function toMessage(turn: Turn): ChatCompletionMessageParam {
  return turn.role === 'user' ? { role: 'user', content: turn.text } : { role: 'assistant', content: turn.reply.raw };
}

/** The API root including /v1; a bare server address (http://localhost:11434) gets /v1 added. */
export function openaiBaseUrl(baseUrl: string | null): string {
  if (!baseUrl) return 'https://api.openai.com/v1';
  const url = new URL(baseUrl);
  return url.pathname === '/' || url.pathname === '' ? `${baseUrl.replace(/\/+$/, '')}/v1` : baseUrl.replace(/\/+$/, '');
}
