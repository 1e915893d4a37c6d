import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { WatchBoard, type WatchBoardProps } from '../../../src/ui/watch/board.js';
import { WatchApp } from '../../../src/ui/watch/watch-app.js';
import type { HealthSource, LinkStatus } from '../../../src/watch/health-source.js';
import { AT, rowsWith, tableRow } from './fixtures.js';

const GATEWAY = 'http://127.0.0.1:4141';

const props = (overrides: Partial<WatchBoardProps> = {}): WatchBoardProps => ({
  title: `attached to ${GATEWAY}`,
  description: 'live events from GET /events',
  rows: rowsWith('closed'),
  events: [],
  round: 1,
  lastRoundAt: AT,
  selected: 0,
  controls: false,
  attached: GATEWAY,
  link: { state: 'connected', since: AT },
  now: AT,
  width: 140,
  height: 24,
  ...overrides,
});

const frameOf = (overrides: Partial<WatchBoardProps> = {}) => render(<WatchBoard {...props(overrides)} />).lastFrame() ?? '';

let unmounts: (() => void)[] = [];
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
});

describe('WatchBoard attached', () => {
  it('says what it is attached to and offers no control keys', () => {
    const frame = frameOf();
    expect(frame).toContain(`understudy watch · attached to ${GATEWAY} · ● connected · traffic → primary · live events from GET /events · synced 14:03:07`);
    expect(frame).toContain('q quit · ↑↓ select · p f r not available when attached');
    expect(frame).not.toContain('p probe now');
    expect(frame).toContain('requests in window');
  });

  it('shows a lost link with its reason and the countdown to the next try', () => {
    const link: LinkStatus = { state: 'disconnected', since: AT, detail: 'connection refused', retryAt: AT + 3_000 };
    expect(frameOf({ link })).toContain('○ disconnected: connection refused; retry in 3 s');
  });

  it("shows a fleet's live instances and — for the figures its keys do not carry", () => {
    const rows = rowsWith('open', 5_000).map((row) => ({ ...row, noFigures: true, lastLatency: '—', p50: '—', p95: '—', successRate: '—' }));
    const frame = frameOf({
      attached: 'redis://127.0.0.1:6379/0 (understudy:prod)',
      description: 'polls the fleet\'s shared keys every 5 s',
      rows,
      instances: [{ id: 'web-1', host: 'web-1', pid: 812, startedAt: AT, seenAt: AT }],
    });
    expect(frame).toContain('1 instance live: web-1 (web-1, pid 812)');
    const primary = tableRow(frame, 'primary');
    expect(primary).toMatch(/○ open\s+25 s\s+—\s+—\s+—\s+—/);
    expect(frame).toContain("no latency in the fleet's keys");
  });
});

describe('WatchApp attached', () => {
  it('answers p, f and r with "not available when attached" and never waits for a number', async () => {
    const source: HealthSource = {
      description: 'live events from GET /events',
      attached: GATEWAY,
      snapshot: () => ({ rows: rowsWith('closed'), events: [], round: 1, link: { state: 'connected', since: AT } }),
      subscribe: () => () => {},
      close: async () => {},
    };
    const app = render(<WatchApp source={source} title={`attached to ${GATEWAY}`} onExit={() => {}} />);
    unmounts.push(() => app.unmount());
    const type = async (key: string) => {
      app.stdin.write(key);
      await new Promise((resolve) => setImmediate(resolve));
    };
    expect(app.lastFrame()).toContain(`attached to ${GATEWAY}`);
    for (const key of ['p', 'f', 'r']) {
      await type(key);
      expect(app.lastFrame()).toContain(`${key}: not available when attached to ${GATEWAY}`);
      expect(app.lastFrame()).not.toContain('force which provider');
    }
  });
});
