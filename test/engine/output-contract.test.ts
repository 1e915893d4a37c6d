import { describe, expect, it } from 'vitest';
import { AllProvidersFailed } from '../../src/engine/errors.js';
import { harness, PROMPT } from '../support/engine-harness.js';
import { completion } from '../support/scripted-fetch.js';

const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature: { type: 'number' } },
  required: ['city', 'temperature'],
  additionalProperties: false,
};
const valid = completion('{"city":"Oslo","temperature":-3}');
const wrongShape = completion('{"city":"Oslo","temperature":"cold"}');
const notJson = completion('It is cold in Oslo.');

describe('output contract', () => {
  it('repairs a schema-breaking answer on the same provider, telling the model what broke', async () => {
    const h = harness({ primary: [wrongShape, valid], backup: [valid] }, { output: { schema } });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('primary');
    expect(h.calls('primary')).toBe(2);
    expect(h.calls('backup')).toBe(0);
    const repair = h.net.bodies('127.0.0.1:20001')[1] as { messages: Array<{ role: string; content: string }> };
    expect(repair.messages.at(-2)).toEqual({ role: 'assistant', content: '{"city":"Oslo","temperature":"cold"}' });
    expect(repair.messages.at(-1)!.content).toContain('/temperature must be number');
    expect(result.attempts[0]!.error).toMatchObject({ class: 'invalid-output', kind: 'invalid-output' });
  });

  it('fails over to a compliant provider when the repair fails too', async () => {
    const h = harness({ primary: [notJson], backup: [valid] }, { output: { schema } });
    const result = await h.clock.settle(h.engine.complete(PROMPT));
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(2);
    expect(result.attempts[0]!.error!.message).toContain('not valid JSON');
  });

  it('does not count invalid answers towards the breaker unless configured', async () => {
    const lenient = harness({ primary: [notJson], backup: [valid] }, { output: { schema }, breaker: { failureThreshold: 1 } });
    await lenient.clock.settle(lenient.engine.complete(PROMPT));
    expect(lenient.engine.state()[0]!.breaker).toBe('closed');
    const strict = harness(
      { primary: [notJson], backup: [valid] },
      { output: { schema, countsTowardsBreaker: true }, breaker: { failureThreshold: 1 } },
    );
    await strict.clock.settle(strict.engine.complete(PROMPT));
    expect(strict.engine.state()[0]!.breaker).toBe('open');
  });

  it('takes a per-request contract and a validate function', async () => {
    const h = harness({ primary: [completion('maybe')], backup: [completion('yes')] });
    const result = await h.clock.settle(
      h.engine.complete(PROMPT, {
        output: { validate: (content) => (/^(yes|no)$/.test(content) ? undefined : 'answer yes or no'), repairAttempts: 0 },
      }),
    );
    expect(result.provider).toBe('backup');
    expect(h.calls('primary')).toBe(1);
  });

  it('accepts JSON wrapped in a Markdown fence', async () => {
    const h = harness({ primary: [completion('```json\n{"city":"Oslo","temperature":1}\n```')], backup: [valid] }, { output: { schema } });
    expect((await h.clock.settle(h.engine.complete(PROMPT))).provider).toBe('primary');
  });

  it('throws AllProvidersFailed when no provider can comply', async () => {
    const h = harness({ primary: [notJson], backup: [wrongShape] }, { output: { schema } });
    await expect(h.clock.settle(h.engine.complete(PROMPT))).rejects.toBeInstanceOf(AllProvidersFailed);
    expect(h.calls('primary') + h.calls('backup')).toBe(4);
  });
});
