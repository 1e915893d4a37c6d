import { describe, expect, it } from 'vitest';
import { ConfigError, normalizeConfig } from '../../src/config/normalize.js';

const provider = { name: 'primary', baseURL: 'http://127.0.0.1:1/v1', model: 'm' };

function issuesOf(input: unknown): string[] {
  try {
    normalizeConfig(input as never);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('normalizeConfig', () => {
  it('fills every default and completes partial objects', () => {
    const config = normalizeConfig({ providers: [provider], retry: { maxRetries: 0 } });
    expect(config.retry).toEqual({ maxRetries: 0, baseDelayMs: 500, maxDelayMs: 8000, jitter: true, maxRetryAfterMs: 30000 });
    expect(config.breaker.failureThreshold).toBe(3);
    expect(config.timeoutMs).toBe(30000);
    expect(config.midStream).toBe('restart');
  });

  it('resolves a preset into its base URL', () => {
    const config = normalizeConfig({ providers: [{ name: 'g', preset: 'groq', model: 'llama' }] });
    expect(config.providers[0]!.baseURL).toBe('https://api.groq.com/openai/v1');
  });

  it('names the field path of every problem at once', () => {
    const issues = issuesOf({
      providers: [provider, { name: 'primary', baseURL: 'http://x/v1' }, { name: 'c', model: 'm', preset: 'nope' }],
      retyr: {},
    });
    expect(issues).toContainEqual(expect.stringMatching(/^providers\[1\]\.model: /));
    expect(issues).toContainEqual(expect.stringMatching(/^providers\[1\]\.name: duplicate provider name "primary"/));
    expect(issues).toContainEqual(expect.stringMatching(/retyr/));
  });

  it('rejects an empty provider list and a provider with neither baseURL nor preset', () => {
    expect(issuesOf({ providers: [] })).toEqual(['providers: at least one provider is required']);
    expect(issuesOf({ providers: [{ name: 'a', model: 'm' }] })).toEqual(['providers[0].baseURL: required (or give a preset)']);
  });

  it('asks for your own base URL with the azure preset, showing what it looks like', () => {
    expect(issuesOf({ providers: [{ name: 'az', preset: 'azure', model: 'my-deployment' }] })).toEqual([
      'providers[0].baseURL: required with preset azure: your own, like https://RESOURCE.openai.azure.com/openai/v1',
    ]);
  });

  it('says which dropParams entry and which tokenLimitField is wrong', () => {
    expect(issuesOf({ providers: [{ ...provider, dropParams: ['seed', 'bad name', 'messages'], tokenLimitField: 'max_output_tokens' }] })).toEqual(
      expect.arrayContaining([
        'providers[0].dropParams[1]: a request field name, like "seed" or "messages[].name"',
        'providers[0].dropParams[2]: messages, model and stream cannot be dropped',
        expect.stringMatching(/^providers\[0\]\.tokenLimitField: .*max_tokens.*max_completion_tokens/),
      ]),
    );
  });
});

describe('unknown fields', () => {
  it('suggests the field that was probably meant', () => {
    expect(issuesOf({ providers: [{ name: 'a', baseUrl: 'http://127.0.0.1:1/v1', modle: 'm' }], retyr: {} })).toEqual(
      expect.arrayContaining([
        'providers[0].baseUrl: unknown field (did you mean baseURL?)',
        'providers[0].modle: unknown field (did you mean model?)',
        'retyr: unknown field (did you mean retry?)',
      ]),
    );
  });

  it('suggests nothing for a word that is no near miss', () => {
    expect(issuesOf({ providers: [provider], colour: 'blue' })).toContain('colour: unknown field');
  });
});

describe('model aliases', () => {
  it('accepts aliases that route to known providers', () => {
    expect(issuesOf({ providers: [provider, { ...provider, name: 'backup' }], models: { fast: ['backup', 'primary'] } })).toEqual([]);
  });

  it('names an alias that routes to a provider that does not exist', () => {
    expect(issuesOf({ providers: [provider], models: { fast: ['primry'] } })).toEqual([
      'models.fast[0]: no provider named "primry" (did you mean primary?)',
    ]);
  });
});

describe('classify overrides', () => {
  it('takes `provider` as the short form of provider-only', () => {
    expect(normalizeConfig({ providers: [provider], classify: { '404': 'provider', '503': 'fatal' } }).classify).toEqual({
      '404': 'provider-only',
      '503': 'fatal',
    });
  });
});

describe('latency and hedging settings', () => {
  it('defaults to no slowMs, onSlow hedge and no hedging', () => {
    const config = normalizeConfig({ providers: [provider] });
    expect(config.slowMs).toBeUndefined();
    expect(config.onSlow).toBe('hedge');
    expect(config.hedge).toBeUndefined();
    expect(config.latency).toEqual({ windowMs: 60_000, minSamples: 10, trialEvery: 20 });
  });

  it('fills the hedge budget and takes a per-provider slowMs and onSlow', () => {
    const config = normalizeConfig({ providers: [{ ...provider, slowMs: 2_000, onSlow: 'skip' }], hedge: { afterPercentile: 95 } });
    expect(config.hedge).toEqual({ afterPercentile: 95, maxExtraPercent: 5 });
    expect(config.providers[0]).toMatchObject({ slowMs: 2_000, onSlow: 'skip' });
  });

  it('names what is wrong in a hedge block, and suggests the field for a typo', () => {
    expect(issuesOf({ providers: [provider], hedge: { maxExtraPercent: 5 } })).toEqual(['hedge: give afterMs or afterPercentile (or both)']);
    expect(issuesOf({ providers: [provider], hedge: { afterMs: 500, maxExtraPercnt: 5 } })).toEqual([
      'hedge.maxExtraPercnt: unknown field (did you mean maxExtraPercent?)',
    ]);
    expect(issuesOf({ providers: [provider], onSlow: 'wait' })).toEqual([expect.stringMatching(/^onSlow: /)]);
  });
});
