/**
 * `npm run bench`: runs every benchmark in its own process (so peak RSS and caches of one do not
 * colour the next) and prints each one's figures as it goes. Pass names to run a subset:
 * `npm run bench -- import`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n=== bench/${name} ===\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(dir, `${name}.ts`), ...(name === 'send' ? ['--n', '20000'] : [])], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`bench/${name} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exit(failed ? 1 : 0);
