import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, imageUrls, renderPreviews } from './previews.ts';

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string) => {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
};

const RED_DOT = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

describe.skipIf(!fs.existsSync(CHROMIUM_PATH))('device previews (Chromium)', () => {
  let server: http.Server;
  let port: number;
  const requests: string[] = [];
  let dir: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-previews-'));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes 600 and 375 px screenshots in light and dark, and reaches nothing on the network', async () => {
    const html = `<!doctype html><html><head><meta name="viewport" content="width=device-width">
      <link rel="stylesheet" href="http://127.0.0.1:${port}/style.css">
      <style>body { background: #ffffff; color: #111111; margin: 0 } @media (prefers-color-scheme: dark) { body { background: #000000; color: #eeeeee } }</style></head>
      <body><h1>Spring menu</h1><p>${'Coffee and pastries. '.repeat(40)}</p>
      <img src="${RED_DOT}" width="40" height="40" alt="dot">
      <img src="http://127.0.0.1:${port}/plain-http.png" alt="blocked: not https">
      <img src="https://127.0.0.1:${port}/private.png" alt="blocked: private address">
      <script>fetch('http://127.0.0.1:${port}/from-script')</script></body></html>`;
    const shots = await renderPreviews(html, { dir, prefix: '3' }, { allowPrivateHosts: false });
    expect(shots.map((s) => `${s.width}-${s.scheme}`)).toEqual(['600-light', '375-light', '600-dark', '375-dark']);
    for (const s of shots) {
      expect(path.basename(s.file)).toBe(`3-${s.width}-${s.scheme}.png`);
      const size = pngSize(s.file);
      expect(size.width).toBe(s.width);
      expect(size.height).toBeGreaterThan(100);
    }
    // Dark mode was emulated: the same width renders differently.
    expect(fs.readFileSync(shots[0].file).equals(fs.readFileSync(shots[2].file))).toBe(false);
    expect(requests).toEqual([]);
  }, 60_000);

  it('only https images of the email may be requested', () => {
    expect([...imageUrls('<img src="https://cdn.x.com/a.png"><img src="http://cdn.x.com/b.png"><img src="data:image/png;base64,AA"><table><tr><td background="https://cdn.x.com/bg.jpg"></td></tr></table>')]).toEqual(['https://cdn.x.com/a.png', 'https://cdn.x.com/bg.jpg']);
  });
});
