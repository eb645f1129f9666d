import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASELINE, fixtureInput } from './fixtures/build.ts';
import { runChecks } from './runner.ts';
import { fetchResource, onlineFindings, probe, refusal } from './reachability.ts';

/** A loopback web server with the answers link checks meet in the wild; it records what it was asked. */
let server: http.Server;
let base: string;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} host=${req.headers.host}`);
    const url = req.url ?? '/';
    const chain = /^\/chain\/(\d+)$/.exec(url);
    if (url === '/ok') res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
    else if (url === '/missing') res.writeHead(404).end();
    else if (url === '/no-head') res.writeHead(req.method === 'HEAD' ? 405 : 200).end();
    else if (chain) res.writeHead(302, { location: Number(chain[1]) > 0 ? `/chain/${Number(chain[1]) - 1}` : '/ok' }).end();
    else if (url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (url === '/to-metadata') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    else if (url === '/big.png') res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(600 * 1024) }).end(req.method === 'HEAD' ? undefined : Buffer.alloc(600 * 1024));
    else if (url === '/huge.png') res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(3 * 1024 * 1024) }).end(req.method === 'HEAD' ? undefined : Buffer.alloc(3 * 1024 * 1024));
    else if (url === '/unsized.png') {
      // No Content-Length: the size is only known by reading.
      res.writeHead(200, { 'content-type': 'image/png', 'transfer-encoding': 'chunked' });
      if (req.method === 'HEAD') res.end();
      else res.end(Buffer.alloc(700 * 1024));
    } else if (url === '/slow') setTimeout(() => res.writeHead(200).end(), 2_000);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const open = { allowPrivateHosts: true, timeoutMs: 1_000 };
const guarded = { allowPrivateHosts: false, timeoutMs: 1_000 };

describe('reachability with private hosts allowed (loopback server)', () => {
  it('follows a working link with HEAD', async () => {
    const r = await probe(`${base}/ok`, open);
    expect(r).toMatchObject({ status: 200, redirects: 0, error: null });
  });

  it('reports 404 and falls back to GET when HEAD is refused', async () => {
    expect((await probe(`${base}/missing`, open)).status).toBe(404);
    seen.length = 0;
    expect((await probe(`${base}/no-head`, open)).status).toBe(200);
    expect(seen).toEqual([`HEAD /no-head host=127.0.0.1:${port}`, `GET /no-head host=127.0.0.1:${port}`]);
  });

  it('counts redirects and stops a loop', async () => {
    expect(await probe(`${base}/chain/3`, open)).toMatchObject({ status: 200, redirects: 4, finalUrl: `${base}/ok` });
    expect(await probe(`${base}/loop`, open)).toMatchObject({ errorKind: 'too-many-redirects' });
  });

  it('checks every redirect hop: a public page may not send us to the metadata service', async () => {
    expect(await probe(`${base}/to-metadata`, open)).toMatchObject({ errorKind: 'refused', error: expect.stringContaining('169.254.169.254 is a cloud metadata address') });
  });

  it('times out', async () => {
    expect(await probe(`${base}/slow`, { allowPrivateHosts: true, timeoutMs: 200 })).toMatchObject({ errorKind: 'timeout' });
  });

  it('connects to the address it checked, and keeps the host name', async () => {
    seen.length = 0;
    const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
    expect((await probe(`http://shop.tidings-demo.com:${port}/ok`, { ...open, lookup })).status).toBe(200);
    expect(seen).toEqual([`HEAD /ok host=shop.tidings-demo.com:${port}`]);
  });

  it('reports a name that does not resolve', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    expect(await probe('https://gone.tidings-demo.com/', { ...open, lookup })).toMatchObject({ errorKind: 'dns', error: expect.stringContaining('ENOTFOUND') });
  });

  it('turns the answers into findings: broken, redirecting, refused and heavy', async () => {
    const findings = await onlineFindings(
      [`${base}/ok`, `${base}/missing`, `${base}/chain/3`, `${base}/to-metadata`, 'mailto:hello@tidings-demo.com'],
      [`${base}/big.png`, `${base}/huge.png`, `${base}/unsized.png`, `${base}/missing`],
      open,
    );
    const summary = findings.map((f) => `${f.id} ${f.severity} ${f.location.excerpt}`);
    expect(summary).toEqual([
      `links.reachable critical ${base}/missing`,
      `links.reachable important ${base}/chain/3`,
      `links.reachable important ${base}/to-metadata`,
      `images.weight important ${base}/big.png`,
      `images.weight critical ${base}/huge.png`,
      `images.weight important ${base}/unsized.png`,
      `images.hosting critical ${base}/missing`,
      `images.weight important ${base}/big.png`,
    ]);
    expect(findings[findings.length - 1].message).toMatch(/together/);
  });

  it('runs inside runChecks when the input asks for it', async () => {
    const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
    const content = BASELINE.content + `<p style="font-size:16px;color:#1f2933"><a href="https://shop.tidings-demo.com:${port}/missing" style="color:#1d4ed8">Order beans online</a></p>`;
    const input = await fixtureInput({ parts: { content } });
    const findings = await runChecks({ ...input, online: { ...open, lookup } });
    // The fixture's own https links cannot be reached here (TLS to a plain HTTP server), so look for ours only.
    expect(findings.filter((f) => f.id === 'links.reachable').map((f) => f.location.excerpt)).toContain(`https://shop.tidings-demo.com:${port}/missing`);
  });

  it('fetches a resource body for previews, within a size cap', async () => {
    expect((await fetchResource(`${base}/big.png`, { ...open, maxBytes: 1024 * 1024 }))?.body.length).toBe(600 * 1024);
    expect(await fetchResource(`${base}/huge.png`, { ...open, maxBytes: 1024 * 1024 })).toBeNull();
  });
});

describe('SSRF guard with private hosts refused (the default)', () => {
  it.each([
    ['loopback', () => `${base}/ok`],
    ['localhost', () => `http://localhost:${port}/ok`],
    ['IPv6 loopback', () => `http://[::1]:${port}/ok`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port}/ok`],
    ['private network', () => 'http://10.1.2.3/'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['unspecified address', () => `http://0.0.0.0:${port}/ok`],
  ])('refuses %s without connecting', async (_name, url) => {
    seen.length = 0;
    const r = await probe(url(), guarded);
    expect(r.errorKind).toBe('refused');
    expect(seen).toEqual([]);
  });

  it('refuses a public name that resolves to a private address, or to a mix', async () => {
    expect((await probe('https://intranet.tidings-demo.com/', { ...guarded, lookup: async () => [{ address: '192.168.1.10', family: 4 }] })).errorKind).toBe('refused');
    const mixed = async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }];
    expect((await probe('https://mixed.tidings-demo.com/', { ...guarded, lookup: mixed })).errorKind).toBe('refused');
  });

  it('never allows metadata addresses, even with private hosts allowed', () => {
    expect(refusal('169.254.169.254', true)).toMatch(/metadata/);
    expect(refusal('::ffff:169.254.169.254', true)).toMatch(/metadata/);
    expect(refusal('fd00:ec2::254', true)).toMatch(/metadata/);
    expect(refusal('127.0.0.1', true)).toBeNull();
  });

  it('classifies addresses', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.0.1', '100.64.1.1', '169.254.1.1', '224.0.0.1', '255.255.255.255', '::1', 'fe80::1', 'fc00::1', 'ff02::1', '::ffff:7f00:1', '64:ff9b::a00:1']) {
      expect(refusal(ip, false), ip).not.toBeNull();
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) expect(refusal(ip, false), ip).toBeNull();
  });
});
