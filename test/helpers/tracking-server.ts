/**
 * The app's HTTP server on an existing SQLite file, in a process of its own, for crash tests:
 * prints {"port": N} once listening. With --settle it instead writes whatever the tracking inbox
 * still holds, prints {"settled": true, "replayed": N} and exits.
 *
 *   node --import tsx test/helpers/tracking-server.ts FILE SECRET [--settle]
 */
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/app/config.ts';
import { createContext } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';

const [file, secret, mode] = process.argv.slice(2);
const config = loadConfig({ TIDINGS_SQLITE_PATH: file, TIDINGS_SECRET: secret, TIDINGS_DATA_DIR: path.join(os.tmpdir(), `tidings-crash-${process.pid}`), TIDINGS_CAPTURE_PORT: '0', LOG_LEVEL: 'info' });
let replayed = 0;
const log = (await import('pino')).default({ level: 'info' }, {
  write(line: string) {
    const entry = JSON.parse(line) as { msg: string; hits?: number };
    if (entry.msg.startsWith('writing the opens and clicks the last process')) replayed = entry.hits ?? 0;
  },
});
const ctx = await createContext(config, { log });
if (mode === '--settle') {
  await ctx.tracking.settled();
  await ctx.close();
  process.stdout.write(`${JSON.stringify({ settled: true, replayed })}\n`);
  process.exit(0);
}
const app = await buildServer(ctx, { webDist: null });
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
