import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import type { ProviderConfigInput } from '../../src/config/schema.js';
import type { CompletionRequest } from '../../src/engine/types.js';
import { RequestShape } from '../../src/providers/request-shape.js';

/** What a provider configured like `provider` is sent for `request`. */
async function sentFor(provider: Partial<ProviderConfigInput>, request: object): Promise<Record<string, unknown>> {
  const config = normalizeConfig({ providers: [{ name: 'p', baseURL: 'http://127.0.0.1:1/v1', model: 'm', ...provider }] }).providers[0]!;
  return new RequestShape(config).send(request as CompletionRequest, async (shaped) => shaped as unknown as Record<string, unknown>);
}

const messages = [
  { role: 'system', content: 'be terse', name: 'ops' },
  { role: 'user', content: 'hi', name: 'alice' },
];

describe('RequestShape: each provider gets the request as its vendor wants it', () => {
  it('sends a request unchanged, the very same object, when the provider has nothing to drop', async () => {
    const request = { messages, seed: 1, n: 2, max_tokens: 5 };
    expect(await sentFor({}, request)).toBe(request);
  });

  it('leaves out the fields in dropParams, top-level and inside every message, without touching the caller request', async () => {
    const request = { messages, seed: 1, user: 'u-1', temperature: 0 };
    const before = structuredClone(request);
    const sent = await sentFor({ dropParams: ['seed', 'user', 'messages[].name'] }, request);
    expect(sent).toEqual({ messages: [{ role: 'system', content: 'be terse' }, { role: 'user', content: 'hi' }], temperature: 0 });
    expect(request).toEqual(before);
  });

  it('reaches into an object field', async () => {
    const sent = await sentFor({ dropParams: ['stream_options.include_usage'] }, { messages, stream_options: { include_usage: true, other: 1 } });
    expect(sent['stream_options']).toEqual({ other: 1 });
  });

  it.each([
    ['groq', { logprobs: true, top_logprobs: 2, logit_bias: { '1': 1 }, n: 2 }, ['logprobs', 'top_logprobs', 'logit_bias', 'n']],
    ['mistral', { seed: 3, user: 'u', stream_options: { include_usage: true }, metadata: { a: 'b' } }, ['seed', 'user', 'stream_options', 'metadata']],
    ['anthropic', { n: 3 }, ['n']],
    ['gemini', { user: 'u', logit_bias: { '1': 1 } }, ['user', 'logit_bias']],
  ])('preset %s leaves out what the vendor documents refusing', async (preset, fields, dropped) => {
    const sent = await sentFor({ preset }, { messages: [{ role: 'user', content: 'hi' }], temperature: 0.5, ...fields });
    for (const name of dropped) expect(sent).not.toHaveProperty(name);
    expect(sent).toMatchObject({ temperature: 0.5, messages: [{ role: 'user', content: 'hi' }] });
  });

  it("groq: a message's name is left out, the rest of the message kept", async () => {
    const sent = await sentFor({ preset: 'groq' }, { messages });
    expect(sent['messages']).toEqual([{ role: 'system', content: 'be terse' }, { role: 'user', content: 'hi' }]);
  });

  it("a provider's own dropParams replace the preset's: [] sends everything", async () => {
    const request = { messages, n: 2, logprobs: true };
    expect(await sentFor({ preset: 'groq', dropParams: [] }, request)).toBe(request);
    expect(await sentFor({ preset: 'groq', dropParams: ['logprobs'] }, request)).toEqual({ messages, n: 2 });
  });

  it.each([
    ['openai', 'max_completion_tokens'],
    ['azure', 'max_completion_tokens'],
    ['mistral', 'max_tokens'],
    ['gemini', 'max_tokens'],
    ['deepseek', 'max_tokens'],
  ])('preset %s sends the token limit as %s, whichever name the caller used', async (preset, field) => {
    const other = field === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
    const extra = preset === 'azure' ? { baseURL: 'http://127.0.0.1:1/openai/v1' } : {};
    const sent = await sentFor({ preset, ...extra }, { messages, [other]: 64 });
    expect(sent[field]).toBe(64);
    expect(sent).not.toHaveProperty(other);
  });

  it('tokenLimitField overrides the preset', async () => {
    const sent = await sentFor({ preset: 'openai', tokenLimitField: 'max_tokens' }, { messages, max_completion_tokens: 9 });
    expect(sent).toMatchObject({ max_tokens: 9 });
    expect(sent).not.toHaveProperty('max_completion_tokens');
  });

  it('without a preset or tokenLimitField the token limit goes as the caller wrote it', async () => {
    expect(await sentFor({}, { messages, max_completion_tokens: 7 })).toMatchObject({ max_completion_tokens: 7 });
    expect(await sentFor({}, { messages, max_tokens: 7 })).toMatchObject({ max_tokens: 7 });
  });
});
