import { Command, Option } from 'commander';
import pino from 'pino';
import { loadConfig } from '../app/config.ts';
import { checkConnection, createContext } from '../app/context.ts';
import { buildWebIfMissing, serveHttp } from '../app/serve.ts';
import { migrate } from '../store/migrate.ts';
import { openStore } from '../store/db.ts';
import { SCOPES } from '../brands/model.ts';
import { cliAuth, fail, print, table, withContext } from './common.ts';
import { registerCliCommands } from './commands.ts';

const program = new Command('tidings')
  .description('Tidings: plan, write, check, send and measure marketing email')
  .option('--json', 'print machine-readable JSON')
  .option('--brand <id>', 'brand to act on (default: TIDINGS_BRAND, or the only brand)')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the API, web app and (unless --no-workers) the job workers')
  .option('--no-workers', 'serve HTTP only; run `tidings worker` elsewhere')
  .option('--build-web', 'build the web app first if it is missing')
  .action(async (opts) => {
    const config = loadConfig();
    if (opts.buildWeb) await buildWebIfMissing((m) => process.stdout.write(m + '\n'));
    const ctx = await createContext({ ...config, workers: opts.workers });
    await ctx.startWorkers?.();
    const app = await serveHttp(ctx);
    const needsSetup = !(await ctx.brands.isSetUp());
    process.stdout.write(
      `Tidings ${config.mode} mode on ${config.publicUrl} (${config.mode === 'embedded' ? `SQLite ${config.sqlitePath}` : 'PostgreSQL'}; workers ${opts.workers ? 'on' : 'off'})\n` +
        (needsSetup ? `First run: open ${config.publicUrl} to create your user and brand.\n` : ''),
    );
    const shutdown = async () => {
      await app.close();
      await ctx.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('worker')
  .description('run job workers only (scaled mode)')
  .action(async () => {
    const config = loadConfig();
    const ctx = await createContext(config);
    if (!ctx.startWorkers) throw new Error('this build has no workers');
    await ctx.startWorkers();
    process.stdout.write(`Tidings worker running (${config.mode})\n`);
    const shutdown = async () => {
      await ctx.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

program
  .command('db')
  .description('database maintenance')
  .command('migrate')
  .description('apply pending migrations')
  .action(async (_o, cmd) => {
    const config = loadConfig();
    const store = openStore(config);
    await checkConnection(store, config);
    try {
      const applied = await migrate(store);
      print(cmd, { applied }, () => process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n'));
    } finally {
      await store.close();
    }
  });

const users = program.command('users').description('users and their passwords');
users
  .command('create')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .requiredOption('--password <password>')
  .addOption(new Option('--role <role>', 'role in --brand').choices(['manager', 'editor', 'commenter', 'viewer']))
  .action(async (o, cmd) =>
    withContext(async (ctx) => {
      const user = await ctx.brands.createUser({ email: o.email, name: o.name, password: o.password });
      if (o.role) {
        const auth = await cliAuth(ctx, cmd);
        await ctx.brands.setMember(auth.brandId, user.email, o.role, auth.actor);
      }
      print(cmd, user, () => process.stdout.write(`Created user ${user.email} (${user.id})\n`));
    }),
  );
users.command('list').action(async (_o, cmd) =>
  withContext(async (ctx) => {
    const all = await ctx.brands.listUsers();
    print(cmd, all, () => table(all as any, ['id', 'email', 'name', 'createdAt']));
  }),
);
users
  .command('set-password')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .action(async (o, cmd) =>
    withContext(async (ctx) => {
      const u = await ctx.brands.findUserByEmail(o.email);
      await ctx.brands.setPassword(u.id, o.password);
      print(cmd, { ok: true }, () => process.stdout.write(`Password changed for ${u.email}\n`));
    }),
  );

const brands = program.command('brands').description('brands and their kits');
brands
  .command('create')
  .requiredOption('--name <name>')
  .option('--from-email <email>')
  .option('--postal-address <address>')
  .option('--owner <email>', 'user who becomes manager')
  .action(async (o, cmd) =>
    withContext(async (ctx) => {
      const owner = o.owner ? await ctx.brands.findUserByEmail(o.owner) : undefined;
      const b = await ctx.brands.createBrand(
        { name: o.name, ...(o.fromEmail ? { fromEmail: o.fromEmail } : {}), ...(o.postalAddress ? { postalAddress: o.postalAddress } : {}) },
        owner && { userId: owner.id },
        { type: 'system', id: 'cli' },
      );
      print(cmd, b, () => process.stdout.write(`Created brand ${b.name} (${b.id})\n`));
    }),
  );
brands.command('list').action(async (_o, cmd) =>
  withContext(async (ctx) => {
    const all = await ctx.brands.listBrands();
    print(cmd, all, () => table(all as any, ['id', 'name', 'fromEmail', 'timeZone']));
  }),
);
brands.command('show').action(async (_o, cmd) =>
  withContext(async (ctx) => {
    const b = await ctx.brands.getBrand((await cliAuth(ctx, cmd)).brandId);
    print(cmd, b);
  }),
);

const keys = program.command('keys').description('API keys of a brand');
keys
  .command('create')
  .requiredOption('--name <name>')
  .option('--scopes <list>', `comma-separated scopes (default: all). Known: ${SCOPES.join(', ')}`)
  .action(async (o, cmd) =>
    withContext(async (ctx) => {
      const auth = await cliAuth(ctx, cmd);
      const scopes = o.scopes ? String(o.scopes).split(',').map((s) => s.trim()).filter(Boolean) : [...SCOPES];
      const { key, secret } = await ctx.brands.createApiKey(auth.brandId, { name: o.name, scopes }, auth.actor);
      print(cmd, { ...key, secret }, () => process.stdout.write(`Created key ${key.name} (${key.id}). Copy the secret now; it is not shown again:\n${secret}\n`));
    }),
  );
keys.command('list').action(async (_o, cmd) =>
  withContext(async (ctx) => {
    const all = await ctx.brands.listApiKeys((await cliAuth(ctx, cmd)).brandId);
    print(cmd, all, () => table(all as any, ['id', 'name', 'prefix', 'scopes', 'lastUsedAt', 'revokedAt']));
  }),
);
keys
  .command('revoke <id>')
  .action(async (id, _o, cmd) =>
    withContext(async (ctx) => {
      const auth = await cliAuth(ctx, cmd);
      await ctx.brands.revokeApiKey(auth.brandId, id, auth.actor);
      print(cmd, { revoked: id }, () => process.stdout.write(`Revoked ${id}\n`));
    }),
  );

registerCliCommands(program);

program.parseAsync(process.argv).catch(fail);
