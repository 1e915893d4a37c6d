import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../src/serve/metrics.js';
import { AlertTracker } from '../../src/alerts/from-events.js';
import type { EngineEvent, ProviderState } from '../../src/engine/types.js';
import type { RoundUpdate } from '../../src/watch/health-source.js';
import { GatewayView } from '../../src/watch/gateway-view.js';
import { parseGatewayEvent, type GatewaySnapshot } from '../../src/watch/gateway-wire.js';
import { toJsonEvent } from '../../src/watch/json-output.js';
import { eventLine, onceReport, roundLine } from '../../src/watch/plain-output.js';
import { buildRows } from '../../src/watch/rows.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion, delayed } from '../support/scripted-fetch.js';

const at = new Date(2025, 0, 2, 14, 3, 7).getTime();
const stats = { requests: 3, successes: 3, failures: 0, consecutiveFailures: 0, lastLatencyMs: 5_200 };
const states: ProviderState[] = [
  { name: 'primary', model: 'gpt-x', breaker: 'closed', stats, degraded: { p90Ms: 5_200, slowMs: 4_000 } },
  { name: 'backup', model: 'llama', breaker: 'closed', stats: { ...stats, lastLatencyMs: 80 } },
];
const round: RoundUpdate = {
  type: 'round',
  round: 2,
  at,
  kind: 'completion',
  outcomes: [
    { provider: 'primary', outcome: 'success', ms: 5_200 },
    { provider: 'backup', outcome: 'success', ms: 80 },
  ],
  rows: buildRows({ states, history: new Map(), now: 0 }),
  traffic: 'primary',
};

describe('degraded in the watch', () => {
  it('shows a slow provider as degraded with its p90, in the row, the plain lines and JSON', () => {
    const [primary, backup] = round.rows;
    expect(primary).toMatchObject({ degraded: 'degraded (p90 5.2 s > 4.0 s)', view: { word: 'degraded', colour: 'yellow' } });
    expect(backup!.degraded).toBeUndefined();
    expect(roundLine(round)).toBe('14:03:07  round 2  primary ● closed, degraded (p90 5.2 s > 4.0 s) 5.2 s · backup ● closed 80 ms  traffic → primary');
    expect(onceReport(round, true)).toContain('● closed, degraded (p90 5.2 s > 4.0 s)');
    const json = toJsonEvent(round) as { providers: { name: string; degraded: unknown }[] };
    expect(json.providers.map((provider) => provider.degraded)).toEqual([{ p90Ms: 5_200, slowMs: 4_000 }, null]);
  });

  it('writes a line when a provider turns slow and when it is fast again', () => {
    expect(eventLine({ type: 'degraded', at, provider: 'primary', degraded: true, p90Ms: 5_200, slowMs: 4_000 })).toBe('14:03:07  primary degraded (p90 5.2 s > 4.0 s)');
    expect(eventLine({ type: 'degraded', at, provider: 'primary', degraded: false, slowMs: 4_000 })).toBe(
      '14:03:07  primary fast again (no slow samples left in the window)',
    );
  });

  it('follows a gateway’s degraded flag from its snapshot and its events', () => {
    const view = new GatewayView();
    const snapshot = parseGatewayEvent(JSON.stringify({ type: 'snapshot', at, providers: states })) as GatewaySnapshot;
    view.applySnapshot(snapshot);
    expect(view.states()[0]!.degraded).toEqual({ p90Ms: 5_200, slowMs: 4_000 });
    const back = parseGatewayEvent(JSON.stringify({ type: 'degraded', provider: 'primary', degraded: false, slowMs: 4_000, atWall: at }));
    expect(view.apply(back as never, at)).toEqual([{ type: 'degraded', at, provider: 'primary', degraded: false, slowMs: 4_000 }]);
    expect(view.states()[0]!.degraded).toBeUndefined();
  });
});

describe('degraded and hedges elsewhere', () => {
  it('exposes degraded, first-token quantiles and hedges on /metrics', async () => {
    const h = harness(
      { primary: [delayed(3_000, completion('primary'))], backup: [completion('backup')] },
      // A budget of one hedge per request: the second request may be hedged, at slowMs.
      { slowMs: 1_000, latency: { minSamples: 1 }, hedge: { afterMs: 60_000, maxExtraPercent: 100 } },
    );
    const metrics = createGatewayMetrics(h.engine);
    await h.clock.settle(h.engine.complete(PROMPT));
    await h.clock.settle(h.engine.complete(PROMPT));
    const text = await metrics.render();
    expect(text).toContain('understudy_provider_degraded{provider="primary"} 1');
    expect(text).toContain('understudy_provider_degraded{provider="backup"} 0');
    const p90 = Number(/understudy_provider_first_token_seconds\{provider="primary",quantile="0.9"\} ([\d.]+)/.exec(text)?.[1]);
    expect(Math.abs(p90 - 3) / 3).toBeLessThanOrEqual(0.05);
    expect(text).toContain('understudy_hedges_total{from="primary",to="backup"} 1');
    expect(text).toContain('understudy_hedged_answers_total{won_by="hedge"} 1');
    metrics.dispose();
  });

  it('alerts once when a provider turns slow, with the figure, and sends recovered when it is fast again', () => {
    const tracker = new AlertTracker({ throttleMs: 60_000, toWallTime: (clockMs) => clockMs });
    const degraded = (clockMs: number, slow: boolean) =>
      ({ type: 'degraded', at: clockMs, provider: 'primary', degraded: slow, p90Ms: slow ? 5_200 : 900, slowMs: 4_000 }) as EngineEvent;
    const [alert] = tracker.handle(degraded(0, true));
    expect(alert).toMatchObject({ kind: 'degraded', severity: 'warning', providers: ['primary'] });
    expect(alert!.summary).toContain('p90 time to first token is 5s, over its slowMs of 4s');
    expect(tracker.handle(degraded(10_000, false))).toEqual([expect.objectContaining({ kind: 'recovered', summary: 'primary is fast again after 10s degraded.' })]);
    expect(tracker.handle(degraded(20_000, true))).toEqual([]);
  });
});
