import { describe, expect, it } from 'vitest';
import { sinkLabel } from '../../src/alerts/label.js';
import { sink } from './support/sinks.js';

describe('sinkLabel', () => {
  it('names a sink by scheme and host or by program, never by path, query, password or args', () => {
    expect(sinkLabel(sink({ type: 'webhook', url: 'https://user:pw@hooks.example.com/alerts/abc123?token=zzz' }))).toBe(
      'webhook https://hooks.example.com/…',
    );
    expect(sinkLabel(sink({ type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/XXXX' }))).toBe('slack hooks.slack.com');
    expect(sinkLabel(sink({ type: 'command', run: './page-oncall.sh', args: ['--token', 'abc'] }))).toBe('command ./page-oncall.sh');
  });
});
