import { describe, expect, it } from 'vitest';
import { PROMPT, startSetup } from './helpers.js';

// `models:` in the config: a client's model names an alias routed to its own provider list.
describe('model aliases', () => {
  it('routes an alias to its providers, in its order, and any other model to every provider', async () => {
    const { client, primary, backup } = await startSetup({ models: { cheap: ['backup'], careful: ['primary', 'backup'] } });

    const cheap = await client.chat.completions.create({ ...PROMPT, model: 'cheap' }).withResponse();
    expect(cheap.response.headers.get('x-understudy-provider')).toBe('backup');
    expect(primary.counters.completions).toBe(0);

    const other = await client.chat.completions.create({ ...PROMPT, model: 'gpt-4o' }).withResponse();
    expect(other.response.headers.get('x-understudy-provider')).toBe('primary');
    expect(backup.counters.completions).toBe(1);
  });

  it('fails an alias over only within its own list', async () => {
    const { client, primary, backup } = await startSetup({ models: { careful: ['primary'] } });
    await primary.setFault({ type: 'status', status: 503 });
    await expect(client.chat.completions.create({ ...PROMPT, model: 'careful' })).rejects.toMatchObject({ status: 503 });
    expect(backup.counters.completions).toBe(0);
  });

  it('streams through an alias too', async () => {
    const { client, primary } = await startSetup({ models: { cheap: ['backup'] } });
    let text = '';
    for await (const chunk of await client.chat.completions.create({ ...PROMPT, model: 'cheap', stream: true })) {
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(text).toMatch(/backup/);
    expect(primary.counters.completions).toBe(0);
  });

  it('lists the aliases with the providers\u2019 models', async () => {
    const { client } = await startSetup({ models: { cheap: ['backup'] } });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['cheap', 'p-model', 'b-model']);
  });
});
