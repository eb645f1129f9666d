import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server (127.0.0.1, a free port) that speaks just enough of the OpenAI chat
 * completions and Anthropic messages APIs for the composer tests: it records every request and
 * answers each with the next canned response, so a test can check the documented request shape
 * and walk through first tries, retries, errors and hangs.
 */

export interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export type Canned = { status: number; body: unknown; headers?: Record<string, string> } | 'hang';

export interface ProviderServer {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startProviderServer(responses: Canned[]): Promise<ProviderServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : null });
      const next = responses.shift() ?? { status: 500, body: { error: { message: 'the test server has no more answers' } } };
      if (next === 'hang') return; // never answers; the client's timeout must fire
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- OpenAI chat completions ----

export function openaiAnswer(content: unknown, finish: 'stop' | 'length' = 'stop'): Canned {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'test-model',
      choices: [{ index: 0, message: { role: 'assistant', content: typeof content === 'string' ? content : JSON.stringify(content), refusal: null }, finish_reason: finish }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    },
  };
}

export function openaiError(status: number, message: string, headers: Record<string, string> = {}): Canned {
  return { status, headers, body: { error: { message, type: status === 401 ? 'invalid_request_error' : 'server_error', code: null } } };
}

// ---- Anthropic messages ----

export function anthropicAnswer(input: unknown, name = 'email'): Canned {
  return {
    status: 200,
    body: {
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: 'test-model',
      content: [{ type: 'tool_use', id: `toolu_${Math.random().toString(36).slice(2, 10)}`, name, input }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 10 },
    },
  };
}

export function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): Canned {
  return { status, headers, body: { type: 'error', error: { type, message } } };
}
