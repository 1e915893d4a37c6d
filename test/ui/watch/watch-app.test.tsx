import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalizeConfig } from '../../../src/config/normalize.js';
import { startMockProvider, type MockProvider } from '../../../src/mock/index.js';
import { WatchApp, type WatchEnding } from '../../../src/ui/watch/watch-app.js';
import type { HealthControls, HealthSource, HealthUpdate } from '../../../src/watch/health-source.js';
import { createProbeSource } from '../../../src/watch/probe-source.js';
import type { WatchRow } from '../../../src/watch/rows.js';
import { ManualClock } from '../../support/manual-clock.js';
import { rowsWith, tableRow } from './fixtures.js';

const ARROW_DOWN = '\u001B[B';
const CTRL_C = '\u0003';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
  vi.useRealTimers();
});

/** A source with fixed rows (at engine time `now()`) and spy controls. */
function fakeSource(rows: (now: number) => WatchRow[]) {
  let now = 0;
  const listeners = new Set<(update: HealthUpdate) => void>();
  const controls: HealthControls = { probeAll: vi.fn(), toggleForced: vi.fn(() => true), resetBreaker: vi.fn() };
  const source: HealthSource = {
    description: 'probe GET /models every 5 s',
    snapshot: () => ({ rows: rows(now), events: [], round: 1 }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    controls,
    close: async () => {},
  };
  return { source, controls, setNow: (ms: number) => (now = ms) };
}

function renderApp(source: HealthSource) {
  const endings: WatchEnding[] = [];
  const app = render(<WatchApp source={source} title="test" onExit={(ending) => endings.push(ending)} />);
  cleanup.push(() => app.unmount());
  const type = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      // Let Ink read the key and React commit the state it changed.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { app, endings, type };
}

describe('WatchApp keys', () => {
  it('q quits and Ctrl-C interrupts', async () => {
    const { endings, type } = renderApp(fakeSource(() => rowsWith('closed')).source);
    await type('q');
    await type(CTRL_C);
    expect(endings).toEqual(['quit', 'interrupted']);
  });

  it('f then a number forces that provider; keys typed together count one by one', async () => {
    const { source, controls } = fakeSource(() => rowsWith('closed'));
    const { app, type } = renderApp(source);
    await type('f');
    expect(app.lastFrame()).toContain('force which provider to fail');
    await type('2');
    expect(controls.toggleForced).toHaveBeenCalledWith('backup');
    await type('f1');
    expect(controls.toggleForced).toHaveBeenLastCalledWith('primary');
    expect(app.lastFrame()).toContain('q quit');
  });

  it('p probes every provider now; ↓ then r resets the selected breaker', async () => {
    const { source, controls } = fakeSource(() => rowsWith('open'));
    const { app, type } = renderApp(source);
    await type('p');
    expect(controls.probeAll).toHaveBeenCalledTimes(1);
    expect(app.lastFrame()).toContain('probing every provider now');
    await type(ARROW_DOWN, 'r');
    expect(controls.resetBreaker).toHaveBeenCalledWith('backup');
    expect(app.lastFrame()).toContain('› backup:');
  });
});

describe('WatchApp countdown', () => {
  it('ticks once a second while a breaker is open, and not at all when every breaker is closed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const open = fakeSource((now) => rowsWith('open', now));
    const { app } = renderApp(open.source);
    expect(app.lastFrame()).toMatch(/○ open\s+30 s/);
    open.setNow(5_000);
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/○ open\s+25 s/));
    expect(vi.getTimerCount()).toBe(1);
    app.unmount();
    expect(vi.getTimerCount()).toBe(0);

    renderApp(fakeSource(() => rowsWith('closed')).source);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('WatchApp over a real engine and mock providers', () => {
  it('keeps ► and the detail line on the provider forced with f 1 while traffic moves to the backup', async () => {
    const mocks: MockProvider[] = await Promise.all(['primary', 'backup'].map((name) => startMockProvider({ name, models: [`${name}-model`] })));
    cleanup.push(async () => void (await Promise.all(mocks.map((mock) => mock.close()))));
    const clock = new ManualClock();
    const config = normalizeConfig({
      providers: mocks.map((mock) => ({ name: mock.name, baseURL: mock.baseURL, apiKey: 'sk-watch-test-0000', model: mock.models[0]! })),
      retry: { maxRetries: 0 },
      breaker: { failureThreshold: 1, cooldownMs: 60_000 },
    });
    const source = createProbeSource({ config, intervalMs: 1_000, kind: 'models', clock });
    cleanup.push(() => source.close());
    const { app, type } = renderApp(source);
    const frame = () => app.lastFrame() ?? '';
    const row = (name: string) => tableRow(frame(), name);

    source.start();
    await source.idle();
    await vi.waitFor(() => expect(frame()).toContain('traffic → primary'));
    await type(ARROW_DOWN);
    await vi.waitFor(() => expect(row('backup')).toMatch(/^► 2 backup/));
    await type('k', 'f', '1');
    await vi.waitFor(() => expect(frame()).toContain('primary forced to fail from watch'));

    await clock.advance(1_000);
    await source.idle();
    await vi.waitFor(() => expect(frame()).toContain('traffic → backup'));
    expect(row('primary')).toMatch(/^► 1 primary .*○ open/);
    expect(row('backup')).toMatch(/^ {2}2 backup .*● closed/);
    expect(frame()).toMatch(/› primary: primary-model · .*forced to fail/);

    // The selection follows the arrows, and the detail line with it.
    await type(ARROW_DOWN);
    await vi.waitFor(() => expect(row('backup')).toMatch(/^► 2 backup/));
    expect(row('primary')).toMatch(/^ {2}1 primary/);
    expect(frame()).toContain('› backup: backup-model');
  });

  it('shows the primary row go closed → open → half-open → closed as the provider goes down and up', async () => {
    const mocks: MockProvider[] = await Promise.all(['primary', 'backup'].map((name) => startMockProvider({ name, models: [`${name}-model`] })));
    cleanup.push(async () => void (await Promise.all(mocks.map((mock) => mock.close()))));
    const [primary] = mocks as [MockProvider, MockProvider];
    const clock = new ManualClock();
    const config = normalizeConfig({
      providers: mocks.map((mock) => ({ name: mock.name, baseURL: mock.baseURL, apiKey: 'sk-watch-test-0000', model: mock.models[0]! })),
      breaker: { failureThreshold: 2, cooldownMs: 10_000 },
    });
    const source = createProbeSource({ config, intervalMs: 1_000, kind: 'models', clock });
    cleanup.push(() => source.close());
    const { app } = renderApp(source);
    const primaryRow = () => tableRow(app.lastFrame() ?? '', 'primary');

    source.start();
    await source.idle();
    await vi.waitFor(() => expect(primaryRow()).toMatch(/^► 1 primary .*● closed/));

    await primary.setFault({ type: 'status', status: 503 });
    await clock.advance(1_000);
    await source.idle();
    await clock.advance(1_000);
    await source.idle();
    await vi.waitFor(() => expect(primaryRow()).toMatch(/^► 1 primary .*○ open\s+\d+ s/));
    expect(app.lastFrame()).toContain('traffic → backup');
    expect(app.lastFrame()).toContain('primary ● closed → ○ open (503 server error');

    // Healthy again, but slow enough to see the half-open trial in flight.
    await primary.setFault({ type: 'slow-first-token', delayMs: 300 });
    await clock.advance(9_000);
    await source.idle();
    await clock.advance(2_000);
    await vi.waitFor(() => expect(primaryRow()).toMatch(/◐ half-open/));
    await source.idle();
    await vi.waitFor(() => expect(primaryRow()).toMatch(/^► 1 primary .*● closed/));
    expect(app.lastFrame()).toContain('primary recovered after');
  });
});
