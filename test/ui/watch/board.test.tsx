import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { WatchBoard, type WatchBoardProps } from '../../../src/ui/watch/board.js';
import { AT, EVENTS, rowsWith, tableRow } from './fixtures.js';

const props = (overrides: Partial<WatchBoardProps> = {}): WatchBoardProps => ({
  title: 'understudy.config.json',
  description: 'probe GET /models every 5 s',
  rows: rowsWith('closed'),
  events: [],
  round: 3,
  lastRoundAt: AT,
  selected: 0,
  width: 80,
  height: 24,
  ...overrides,
});

const frameOf = (overrides: Partial<WatchBoardProps> = {}) => render(<WatchBoard {...props(overrides)} />).lastFrame() ?? '';
const rowLine = tableRow;

describe('WatchBoard', () => {
  it('shows every provider closed, traffic on the primary, with latency figures', () => {
    const frame = frameOf();
    expect(frame).toContain('understudy watch · traffic → primary · round 3 at 14:03:07 · probe GET /models');
    expect(rowLine(frame, 'primary')).toMatch(/^► 1 primary\s+● closed\s+120 ms\s+110 ms\s+120 ms\s+100%\s+\S+\s+0$/);
    expect(rowLine(frame, 'backup')).toMatch(/^ {2}2 backup\s+● closed\s+240 ms/);
    expect(frame).toContain('q quit · p probe now · f+N force fail/restore · r reset breaker · ↑↓ select');
  });

  it('shows an open breaker with the countdown to its trial, and traffic moved to the backup while ► stays on the selected row', () => {
    const frame = frameOf({ rows: rowsWith('open', 5_000), events: EVENTS });
    expect(rowLine(frame, 'primary')).toMatch(/^► 1 primary\s+○ open\s+25 s\s+120 ms\s+110 ms\s+120 ms\s+75%\s+\S+\s+3$/);
    expect(rowLine(frame, 'backup')).toMatch(/^ {2}2 backup/);
    expect(frame).toContain('understudy watch · traffic → backup · ');
    expect(frame).toContain('› primary: gpt-4o-mini');
  });

  it('says nothing of traffic when no provider would take it', () => {
    const rows = rowsWith('open', 5_000).map((row) => ({ ...row, traffic: false }));
    expect(frameOf({ rows })).not.toContain('traffic →');
  });

  it('counts the countdown down as time passes', () => {
    expect(rowLine(frameOf({ rows: rowsWith('open', 29_100) }), 'primary')).toMatch(/○ open\s+1 s /);
    expect(rowLine(frameOf({ rows: rowsWith('open', 95_000) }), 'primary')).toMatch(/○ open\s+now /);
    expect(rowLine(frameOf({ rows: rowsWith('open', 0) }), 'primary')).toMatch(/○ open\s+30 s /);
  });

  it('shows a half-open breaker while its trial runs, with no countdown', () => {
    const line = rowLine(frameOf({ rows: rowsWith('half-open') }), 'primary');
    expect(line).toMatch(/^► 1 primary\s+◐ half-open\s+120 ms/);
  });

  it('marks a forced provider and explains it in the detail line', () => {
    const frame = frameOf({ rows: rowsWith('closed', 0, true) });
    expect(rowLine(frame, 'primary')).toMatch(/● closed\s+forced/);
    expect(frame).toContain('› primary: gpt-4o-mini · 3 probes in window · forced to fail');
  });

  it('lists the latest events with their times', () => {
    const frame = frameOf({ rows: rowsWith('open', 5_000), events: EVENTS });
    expect(frame).toContain('14:03:07 primary ● closed → ○ open (503 server error; trial in 30 s)');
    expect(frame).toContain('14:03:07 traffic → backup (was primary)');
    expect(frame).toContain('14:03:02 primary forced to fail from watch');
  });

  it('fits 80×24: no line wider than the terminal, shorter than its height', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ ...EVENTS[1]!, at: AT + i * 1000 }));
    for (const rows of [rowsWith('closed'), rowsWith('open', 5_000), rowsWith('half-open')]) {
      const lines = frameOf({ rows, events: many }).split('\n');
      expect(lines.length).toBeLessThan(24);
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    }
  });

  it('drops columns on a narrow terminal instead of wrapping, and shows the model when there is room', () => {
    const narrow = frameOf({ width: 60 }).split('\n');
    for (const line of narrow) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    expect(rowLine(narrow.join('\n'), 'primary')).toMatch(/● closed/);
    expect(rowLine(frameOf({ width: 120 }), 'primary')).toContain('gpt-4o-mini');
  });

  it('asks for the number after f', () => {
    expect(frameOf({ pendingForce: true })).toContain('force which provider to fail (or restore)? press 1–2');
  });

  it('marks the selected row with ► and describes it in the detail line', () => {
    const frame = frameOf({ selected: 1 });
    expect(rowLine(frame, 'backup')).toMatch(/^► 2 backup/);
    expect(rowLine(frame, 'primary')).toMatch(/^ {2}1 primary/);
    expect(frame).toContain('› backup: llama-3.1-70b');
  });
});
