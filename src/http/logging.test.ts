import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from './logging.ts';

/** A pino logger at `level` whose lines land in `lines`, with a count of the children made from it. */
function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const parent = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  let children = 0;
  // Pino's children inherit from their parent, so this counts children of children too.
  const child = parent.child;
  parent.child = function (this: typeof parent, ...args: Parameters<typeof child>) {
    children++;
    return child.apply(this, args);
  } as typeof child;
  return { parent, lines, children: () => children };
}

describe('lazyChildLogger', () => {
  it('makes no child while nothing is logged at a level the app writes', () => {
    const { parent, lines, children } = capture('warn');
    const log = lazyChildLogger(parent, { reqId: 'req-1' }, {});
    log.info({ req: 'x' }, 'incoming request');
    log.debug('details');
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
    expect(log.level).toBe('warn');
  });

  it('writes what the app writes, with the request id bound, through one real child', () => {
    const { parent, lines, children } = capture('info');
    const log = lazyChildLogger(parent, { reqId: 'req-2' }, {});
    log.error({ err: new Error('boom') }, 'tracking event could not be recorded');
    log.info('request completed');
    log.trace('not written');
    expect(children()).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['req-2', 'tracking event could not be recorded'],
      ['req-2', 'request completed'],
    ]);
  });

  it('takes a level of its own, and hands out children carrying its bindings', () => {
    const { parent, lines } = capture('warn');
    const log = lazyChildLogger(parent, { reqId: 'req-3' }, {});
    log.level = 'debug';
    log.debug('now written');
    log.child({ part: 'inner' }).warn('from a child');
    expect(lines.map((l) => [l.reqId, l.part, l.msg])).toEqual([
      ['req-3', undefined, 'now written'],
      ['req-3', 'inner', 'from a child'],
    ]);
    expect(parent.level).toBe('warn');
  });

  it('is a real child at once when the route sets a level of its own', () => {
    const { parent, children } = capture('warn');
    lazyChildLogger(parent, { reqId: 'req-4' }, { level: 'debug' });
    expect(children()).toBe(1);
  });
});
