import type Anthropic from '@anthropic-ai/sdk';
import type { ComposerConfig } from '../app/config.ts';
import { causeOf, lazySdk, upstreamError, type ModelClient, type ModelReply, type OutputSpec, type Turn } from './llm.ts';

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';
/** Enough for a long email's JSON; non-streaming requests this size stay well within the timeout. */
const MAX_TOKENS = 8192;

/**
 * Anthropic's Messages API. The answer comes as the input of a tool whose input schema is the
 * email's JSON schema, and the tool is forced, so the reply is always structured. A retry answers
 * that tool call with a tool result marked as an error that lists the problems.
 */
export class AnthropicClient implements ModelClient {
  readonly provider = 'anthropic' as const;
  readonly model: string;
  private readonly baseURL: string;
  private readonly connect: () => Promise<{ sdk: typeof Anthropic; client: Anthropic }>;

  constructor(private readonly config: ComposerConfig) {
    this.model = config.model ?? DEFAULT_ANTHROPIC_MODEL;
    // The SDK appends /v1/messages itself.
    this.baseURL = (config.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '').replace(/\/v1$/, '');
    this.connect = lazySdk(() => import('@anthropic-ai/sdk').then((m) => m.default), (sdk, options) => new sdk(options), config, this.baseURL);
  }

  async complete(system: string, turns: Turn[], output: OutputSpec): Promise<ModelReply> {
    const { sdk, client } = await this.connect();
    try {
      const res = await client.messages.create({
        model: this.model,
        max_tokens: MAX_TOKENS,
        system,
        messages: toMessages(turns, output.name),
        tools: [{ name: output.name, description: output.description, input_schema: output.schema as Anthropic.Tool.InputSchema }],
        tool_choice: { type: 'tool', name: output.name },
      });
      const truncated = res.stop_reason === 'max_tokens';
      const call = res.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === output.name);
      if (call) return { raw: JSON.stringify(call.input), json: call.input, toolCallId: call.id, truncated };
      const text = res.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
      return { raw: text, truncated, refusal: res.stop_reason === 'refusal' ? text || 'no reason given' : undefined };
    } catch (err) {
      throw this.failure(sdk, err);
    }
  }

  private failure(sdk: typeof Anthropic, err: unknown): Error {
    const fail = (f: Parameters<typeof upstreamError>[4]) => upstreamError('anthropic', this.model, this.baseURL, this.config.timeoutMs, f);
    if (err instanceof sdk.APIConnectionTimeoutError) return fail({ kind: 'timeout', message: err.message });
    if (err instanceof sdk.APIConnectionError) return fail({ kind: 'unreachable', message: causeOf(err) });
    if (err instanceof sdk.APIError && err.status) {
      return fail({ kind: 'status', status: err.status, message: err.apiMessage ?? '', retryAfter: err.headers?.get('retry-after') });
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

function toMessages(turns: Turn[], toolName: string): Anthropic.MessageParam[] {
  return turns.map((turn, i): Anthropic.MessageParam => {
    if (turn.role === 'assistant') {
      const { reply } = turn;
      return reply.toolCallId
        ? { role: 'assistant', content: [{ type: 'tool_use', id: reply.toolCallId, name: toolName, input: reply.json ?? {} }] }
        : { role: 'assistant', content: reply.raw || '(no answer)' };
    }
    const previous = turns[i - 1];
    return previous?.role === 'assistant' && previous.reply.toolCallId
      ? { role: 'user', content: [{ type: 'tool_result', tool_use_id: previous.reply.toolCallId, is_error: true, content: turn.text }] }
      : { role: 'user', content: turn.text };
  });
}
