import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a vendor's HTTP API on 127.0.0.1 (esp.md §6.1): it records every request exactly as
 * it arrived and answers what the test scripted, so adapters are checked against the documented
 * request shape and each documented failure without the internet.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v3/mg.acme.test/messages`. */
  path: string;
  /** Lower-cased names, as node gives them. */
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json(): any;
  /** The body read as multipart or url-encoded form data. */
  form(): Promise<FormData>;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; json?: unknown; body?: string }
  /** Accept the request and never answer, to exercise timeouts. */
  | 'hang';

export interface VendorServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replies for the next requests, in order; after them the default reply answers. */
  script(...replies: Reply[]): void;
  /** Replaces the default reply. */
  otherwise(reply: (req: RecordedRequest) => Reply): void;
  close(): Promise<void>;
}

export async function vendorServer(defaultReply: (req: RecordedRequest) => Reply): Promise<VendorServer> {
  const requests: RecordedRequest[] = [];
  const scripted: Reply[] = [];
  let fallback = defaultReply;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = record(req, Buffer.concat(chunks));
      requests.push(recorded);
      const reply = scripted.shift() ?? fallback(recorded);
      if (reply === 'hang') return;
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
      const type = reply.json !== undefined ? { 'content-type': 'application/json' } : {};
      res.writeHead(reply.status, { ...type, ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => scripted.push(...replies),
    otherwise: (reply) => (fallback = reply),
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests keep their sockets open; close them so the server can stop.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function record(req: http.IncomingMessage, body: Buffer): RecordedRequest {
  const headers = req.headers;
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    headers,
    body,
    json: () => JSON.parse(body.toString('utf8')),
    form: () => new Response(new Uint8Array(body), { headers: { 'content-type': String(headers['content-type'] ?? '') } }).formData(),
  };
}
