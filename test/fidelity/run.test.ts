import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/run/batch.js';
import { besideOutput } from '../../src/run/paths.js';
import type { ProviderTransport } from '../../src/providers/openai-compatible.js';
import { readLines, startProviders, tempDir, writeLines, type Providers } from '../run/helpers.js';
import { completionBodies, directCompletion, expectedBody, fieldTexts, SCHEMA_REQUEST, TOOL_ANSWER, TOOL_REQUEST } from '../support/rich-request.js';

// `understudy run --input`: a batch line's request fields reach whichever provider answers
// unchanged, and the answer line carries the fallback's tool calls and every one of its choices.

let providers: Providers | undefined;
let files: ReturnType<typeof tempDir>;
beforeEach(() => {
  files = tempDir();
});
afterEach(async () => {
  await providers?.close();
  providers = undefined;
  files.cleanup();
});

const STRUCTURED = '{"severity":"high","summary":"disk full on db-1"}';

describe.each(['sdk', 'http'] as ProviderTransport[])('run --input: request fidelity over failover (%s transport)', (transport) => {
  it('sends each line as written to both providers, and writes the fallback tool calls and choices', async () => {
    const reply = (request: { tools?: unknown }) => (request.tools ? TOOL_ANSWER : STRUCTURED);
    providers = await startProviders({ primary: { record: true, reply }, backup: { record: true, reply } });
    const expected = await directCompletion(providers.backup.baseURL, { ...TOOL_REQUEST, model: 'backup-model' });
    providers.backup.resetCounters();
    await providers.primary.setFault({ type: 'status', status: 503 });
    writeLines(files.path('in.jsonl'), [{ id: 'tools', ...TOOL_REQUEST }, { id: 'schema', ...SCHEMA_REQUEST }]);

    const output = files.path('out.jsonl');
    await runBatch({
      engine: providers.engine({}, { transport }),
      input: files.path('in.jsonl'),
      output,
      outbox: besideOutput(output, 'outbox'),
      rejects: besideOutput(output, 'rejects'),
      concurrency: 1,
      onNotice: () => {},
    });

    // The batch reader puts `messages` last; every field's bytes are what the line said.
    for (const [mock, model] of [[providers.primary, 'primary-model'], [providers.backup, 'backup-model']] as const) {
      expect(completionBodies(mock.received).map(fieldTexts)).toEqual([TOOL_REQUEST, SCHEMA_REQUEST].map((request) => fieldTexts(expectedBody(request, model, false))));
    }
    const [tools, schema] = readLines(output);
    expect(tools).toMatchObject({ id: 'tools', provider: 'backup', content: null, finish_reason: 'tool_calls', tool_calls: TOOL_ANSWER.tool_calls, choices: expected['choices'] });
    expect(schema).toMatchObject({ id: 'schema', provider: 'backup', content: STRUCTURED, finish_reason: 'stop' });
    expect(schema).not.toHaveProperty('choices');
  });
});
