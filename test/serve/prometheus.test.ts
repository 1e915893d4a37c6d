import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/serve/prometheus.js';

describe('Prometheus text exposition', () => {
  it('renders counters and gauges with HELP, TYPE and escaped labels', () => {
    const registry = new Registry();
    const counter = registry.counter('x_total', 'Things.');
    counter.inc({ provider: 'a"b\\c\nd' });
    counter.inc({ provider: 'a"b\\c\nd' }, 2);
    registry.gauge('y', 'Level.').set({}, 1.5);
    expect(registry.render()).toBe(
      ['# HELP x_total Things.', '# TYPE x_total counter', 'x_total{provider="a\\"b\\\\c\\nd"} 3', '# HELP y Level.', '# TYPE y gauge', 'y 1.5', ''].join('\n'),
    );
  });

  it('renders histogram buckets cumulatively, with +Inf, sum and count', () => {
    const registry = new Registry();
    const histogram = registry.histogram('h_seconds', 'Time.', [0.1, 1]);
    for (const value of [0.05, 0.5, 0.7, 3]) histogram.observe({ route: 'r' }, value);
    expect(registry.render().split('\n').slice(2, 7)).toEqual([
      'h_seconds_bucket{route="r",le="0.1"} 1',
      'h_seconds_bucket{route="r",le="1"} 3',
      'h_seconds_bucket{route="r",le="+Inf"} 4',
      'h_seconds_sum{route="r"} 4.25',
      'h_seconds_count{route="r"} 4',
    ]);
  });
});
