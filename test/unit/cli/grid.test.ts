import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { captureIo } from './fakeServices';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-cli-grid-'));

async function joule(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** A stand-in for the UK Carbon Intensity API on 127.0.0.1: 300 g now, a clean night at 02:00–04:00. */
async function withUkApi<T>(run: (baseUrl: string, requests: string[]) => Promise<T>): Promise<T> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = req.url === '/intensity'
      ? { data: [{ from: '2026-11-21T10:00Z', to: '2026-11-21T10:30Z', intensity: { forecast: 300, actual: 300, index: 'high' } }] }
      : { data: Array.from({ length: 48 }, (_, i) => {
          const from = new Date(Date.UTC(2026, 10, 21, 10, 0) + i * 1_800_000);
          const hour = from.getUTCHours();
          return { from: from.toISOString().slice(0, 16) + 'Z', to: new Date(from.getTime() + 1_800_000).toISOString().slice(0, 16) + 'Z', intensity: { forecast: hour >= 2 && hour < 4 ? 60 : 300, actual: null, index: 'x' } };
        }) };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
  } finally {
    server.close();
  }
}

test('without --allow-network the table is used and nothing is requested', async () => {
  await withUkApi(async (baseUrl, requests) => {
    const r = await joule('grid', '--grid', 'FR', '--live', 'uk-carbon-intensity', '--base-url', baseUrl);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /56 g CO2e\/kWh \(table;/);
    assert.deepEqual(requests, []);
  });
});

test('a live source gives the current intensity and the greenest window of a forecast', async () => {
  await withUkApi(async (baseUrl) => {
    const r = await joule('grid', '--live', 'uk-carbon-intensity', '--allow-network', '--base-url', baseUrl, '--window', '120', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { intensity: { gPerKWh: number; source: string }; window: { from: string; meanGPerKWh: number } };
    assert.equal(out.intensity.source, 'live');
    assert.equal(out.intensity.gPerKWh, 300);
    assert.equal(out.window.from, '2026-11-22T02:00:00.000Z');
    assert.equal(out.window.meanGPerKWh, 60);
  });
});

test('a dirtier grid recommends a cap that saves more energy', async () => {
  const model = path.join(dir, 'cnn.onnx');
  assert.equal((await joule('examples', '--out', '.')).code, 0);
  const pick = async (region: string) => {
    const r = await joule('grid', model, '--profile', 'a100', '--grid', region, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as { capRecommendation: { chosen: { joulesPerInference: number; latencyMs: number } } }).capRecommendation.chosen;
  };
  const clean = await pick('NO');
  const dirty = await pick('IN');
  assert.ok(dirty.joulesPerInference < clean.joulesPerInference, `${dirty.joulesPerInference} vs ${clean.joulesPerInference}`);
  assert.ok(dirty.latencyMs >= clean.latencyMs);
});
