import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { UnderstudyConfigInput } from '../../src/config/schema.js';
import { configWarnings } from '../../src/config/warnings.js';

const codes = (input: UnderstudyConfigInput) => configWarnings(normalizeConfig(input)).map((w) => `${w.code} ${w.path}`);

const good: UnderstudyConfigInput = {
  providers: [
    { name: 'primary', preset: 'openai', apiKey: 'sk-one-1234', model: 'gpt-4o-mini' },
    { name: 'backup', preset: 'groq', apiKey: 'gsk-two-5678', model: 'llama-3.1-8b-instant' },
    { name: 'last', preset: 'mistral', apiKey: 'mis-three-9012', model: 'mistral-small' },
  ],
};

describe('configWarnings', () => {
  it('says nothing about a good config', () => {
    expect(codes(good)).toEqual([]);
  });

  it('warns when two providers share a host', () => {
    expect(
      codes({
        providers: [
          { name: 'a', baseURL: 'https://llm.internal:8443/v1', model: 'x' },
          { name: 'b', baseURL: 'https://llm.internal:8443/v2', model: 'y' },
        ],
      }),
    ).toContain('shared-host providers[1].baseURL');
  });

  it('warns when two providers share a key', () => {
    expect(
      codes({
        providers: [
          { name: 'a', preset: 'openai', apiKey: 'sk-same-1234', model: 'x' },
          { name: 'b', preset: 'groq', apiKey: 'sk-same-1234', model: 'y' },
        ],
      }),
    ).toEqual(['shared-key providers[1].apiKey']);
  });

  it('recognises one vendor behind another name (a preset and its host)', () => {
    expect(
      codes({
        providers: [
          { name: 'a', preset: 'openai', model: 'gpt-4o' },
          { name: 'b', baseURL: 'https://api.openai.com/v1', apiKey: 'other', model: 'gpt-4o-mini' },
        ],
      }),
    ).toContain('shared-host providers[1].baseURL');
    expect(
      codes({
        providers: [
          { name: 'a', baseURL: 'https://myco.openai.azure.com/openai/v1', model: 'gpt-4o' },
          { name: 'b', baseURL: 'https://other.openai.azure.com/openai/v1', model: 'gpt-4o' },
        ],
      }),
    ).toContain('shared-vendor providers[1]');
  });

  it('warns when every fallback is on one vendor', () => {
    expect(
      codes({
        providers: [
          { name: 'a', preset: 'openai', model: 'x' },
          { name: 'b', preset: 'groq', model: 'y' },
          { name: 'c', baseURL: 'https://api.groq.com/openai/v1', model: 'z' },
        ],
      }),
    ).toContain('fallbacks-one-vendor providers');
  });

  it('warns about settings that defeat the pattern', () => {
    const warnings = codes({
      ...good,
      timeoutMs: 11 * 60 * 1000,
      breaker: { failureThreshold: 1, cooldownMs: 20 * 60 * 1000 },
    });
    expect(warnings).toEqual(
      expect.arrayContaining(['long-timeout timeoutMs', 'hair-trigger-breaker breaker.failureThreshold', 'long-cooldown breaker.cooldownMs']),
    );
  });

  it("warns when one provider's retries can spend the whole deadline before a fallback is tried", () => {
    // 3 attempts x 30 s + 0.5 s + 1 s of backoff = 91.5 s on the primary alone.
    expect(codes({ ...good, deadlineMs: 90_000 })).toEqual(['retries-exceed-deadline providers[0]', 'retries-exceed-deadline providers[1]']);
    expect(codes({ ...good, deadlineMs: 92_000 })).toEqual([]);
  });

  it('warns about a single provider', () => {
    expect(codes({ providers: [good.providers[0]!] })).toEqual(['single-provider providers']);
  });
});

describe('local providers', () => {
  it('does not take two local servers on different ports for one vendor', () => {
    expect(
      codes({
        providers: [
          { name: 'a', baseURL: 'http://127.0.0.1:8001/v1', model: 'x' },
          { name: 'b', baseURL: 'http://127.0.0.1:8002/v1', model: 'y' },
        ],
      }),
    ).toEqual([]);
  });
});
