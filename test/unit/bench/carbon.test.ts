import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { currentGridIntensity, greenestWindow, recommendCap } from '../../../src/core/bench/carbon/carbonAware';
import { fetchCurrentIntensity, fetchIntensityForecast, LiveIntensityError, ukTime } from '../../../src/core/bench/carbon/liveIntensity';

interface Seen {
  url: string;
  token: string | undefined;
}

/** A local stand-in for both APIs, on 127.0.0.1 only. */
async function withServer(body: (base: string, seen: Seen[]) => Promise<void>): Promise<void> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    seen.push({ url, token: req.headers['auth-token'] as string | undefined });
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url === '/intensity') return json(200, { data: [{ from: '2026-11-21T10:00Z', to: '2026-11-21T10:30Z', intensity: { forecast: 180, actual: 175, index: 'moderate' } }] });
    if (url.startsWith('/intensity/') && url.endsWith('/fw24h')) {
      const values = [300, 280, 120, 100, 110, 250];
      return json(200, {
        data: values.map((v, i) => ({
          from: new Date(Date.UTC(2026, 10, 21, 10, 30 * i)).toISOString().replace(':00.000Z', 'Z'),
          to: new Date(Date.UTC(2026, 10, 21, 10, 30 * (i + 1))).toISOString().replace(':00.000Z', 'Z'),
          intensity: { forecast: v, actual: null, index: 'x' },
        })),
      });
    }
    if (url.startsWith('/v3/carbon-intensity/latest')) {
      if (req.headers['auth-token'] !== 'secret') return json(401, { error: 'bad token' });
      return json(200, { zone: 'DE', carbonIntensity: 402, datetime: '2026-11-21T10:00:00.000Z' });
    }
    if (url.startsWith('/v3/carbon-intensity/forecast')) {
      return json(200, { zone: 'DE', forecast: [{ carbonIntensity: 400, datetime: '2026-11-21T10:00:00.000Z' }, { carbonIntensity: 200, datetime: '2026-11-21T11:00:00.000Z' }] });
    }
    json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('network is off unless enabled: no request is made', async () => {
  await withServer(async (baseUrl, seen) => {
    await assert.rejects(fetchCurrentIntensity({ source: 'uk-carbon-intensity', networkEnabled: false, baseUrl }), LiveIntensityError);
    assert.equal(seen.length, 0);
    const resolved = await currentGridIntensity({ live: { source: 'uk-carbon-intensity', networkEnabled: false, baseUrl }, region: 'FR' });
    assert.equal(resolved.source, 'table');
    assert.equal(resolved.gPerKWh, 56);
    assert.equal(seen.length, 0);
  });
});

test('UK Carbon Intensity: current (actual preferred) and the 24 h forecast from a time', async () => {
  await withServer(async (baseUrl, seen) => {
    const config = { source: 'uk-carbon-intensity' as const, networkEnabled: true, baseUrl };
    const now = await fetchCurrentIntensity(config);
    assert.equal(now.gPerKWh, 175);
    assert.match(now.attribution, /Carbon Intensity API/);
    const forecast = await fetchIntensityForecast(config, new Date('2026-11-21T10:07:42Z'));
    assert.equal(seen.at(-1)?.url, '/intensity/2026-11-21T10:07Z/fw24h');
    assert.equal(forecast.length, 6);
    assert.equal(forecast[0]?.kind, 'forecast');
    assert.equal(ukTime(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04Z');
  });
});

test('Electricity Maps: token sent in auth-token, zone in the query; forecast points are hourly', async () => {
  await withServer(async (baseUrl, seen) => {
    const config = { source: 'electricity-maps' as const, networkEnabled: true, baseUrl, token: 'secret', zone: 'DE' };
    assert.equal((await fetchCurrentIntensity(config)).gPerKWh, 402);
    assert.deepEqual(seen[0], { url: '/v3/carbon-intensity/latest?zone=DE', token: 'secret' });
    await assert.rejects(fetchCurrentIntensity({ ...config, token: 'wrong' }), /HTTP 401/);
    await assert.rejects(fetchCurrentIntensity({ ...config, token: undefined }), /token/);
    const forecast = await fetchIntensityForecast(config);
    assert.deepEqual(forecast.map((p) => [p.from, p.to, p.gPerKWh]), [
      ['2026-11-21T10:00:00.000Z', '2026-11-21T11:00:00.000Z', 400],
      ['2026-11-21T11:00:00.000Z', '2026-11-21T12:00:00.000Z', 200],
    ]);
  });
});

test('an unreachable live source falls back to the table with a note', async () => {
  const resolved = await currentGridIntensity({ live: { source: 'uk-carbon-intensity', networkEnabled: true, baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 } });
  assert.equal(resolved.source, 'table');
  assert.match(resolved.note ?? '', /Live intensity unavailable/);
});

test('greenest window: lowest time-weighted mean over the job length', () => {
  const at = (h: number, m: number): string => new Date(Date.UTC(2026, 10, 21, h, m)).toISOString();
  const values = [300, 280, 120, 100, 110, 250];
  const forecast = values.map((g, i) => ({ from: at(10, 30 * i), to: at(10, 30 * (i + 1)), gPerKWh: g, kind: 'forecast' as const }));
  const w = greenestWindow(forecast, 60);
  assert.equal(w?.from, at(11, 30));
  assert.equal(w?.to, at(12, 30));
  assert.equal(w?.meanGPerKWh, 105);
  assert.ok(Math.abs((w?.savingVsNow ?? 0) - (1 - 105 / 290)) < 1e-12);
  assert.equal(greenestWindow(forecast, 24 * 60), undefined, 'a job longer than the forecast has no window');
  assert.equal(greenestWindow([], 30), undefined);
});

test('cap recommendation: fastest on a clean grid, leanest on a dirty one, within a slowdown limit', () => {
  const points = [
    { label: '8 threads', latencyMs: 1, joulesPerInference: 0.02 },
    { label: '4 threads', latencyMs: 1.3, joulesPerInference: 0.012 },
    { label: '1 thread', latencyMs: 3, joulesPerInference: 0.009 },
  ];
  assert.equal(recommendCap(points, 30).chosen.label, '8 threads');
  assert.equal(recommendCap(points, 700).chosen.label, '1 thread');
  assert.equal(recommendCap(points, 700, { maxSlowdown: 1.5 }).chosen.label, '4 threads');
  const r = recommendCap(points, 700);
  assert.equal(r.energyWeight, 1);
  assert.ok(Math.abs(r.gCo2ePerInference - (0.009 / 3.6e6) * 700) < 1e-15);
  assert.match(r.reason, /carbon-intensive/);
  assert.throws(() => recommendCap([], 100), RangeError);
});
