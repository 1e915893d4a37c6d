import { writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli as understudy } from '../support/cli.js';
import { promptLines, readLines, startProviders, tempDir, writeLines, type Providers } from './helpers.js';

// `run --schema`: every answer checked against a JSON Schema, whichever provider gave it.
beforeAll(() => ensureBuilt('dist/run/run-service.js'), 120_000);

let providers: Providers | undefined;
let files: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await providers?.close();
  files?.cleanup();
});

const runCli = (args: string[]) => understudy(['run', ...args]);

async function setUp(primaryReply: string, backupReply: string) {
  providers = await startProviders({ primary: { reply: primaryReply }, backup: { reply: backupReply } });
  files = tempDir();
  const config = files.path('understudy.config.json');
  writeFileSync(config, JSON.stringify(providers.config));
  const schema = files.path('answer.schema.json');
  writeFileSync(schema, JSON.stringify({ type: 'object', required: ['answer'], properties: { answer: { type: 'number' } } }));
  return { config, schema, files };
}

describe('understudy run --schema', () => {
  it('fails a batch over to the provider whose answers match, after one repair attempt on the primary', async () => {
    const { config, schema, files } = await setUp('The answer is 42.', '{"answer": 42}');
    writeLines(files.path('in.jsonl'), promptLines(3));
    const result = await runCli(['--config', config, '--schema', schema, '--input', files.path('in.jsonl'), '--output', files.path('out.jsonl')]);
    expect(result.code).toBe(0);
    const lines = readLines<{ provider: string; content: string; attempts: Array<{ provider: string; error?: { kind: string } }> }>(files.path('out.jsonl'));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.provider).toBe('backup');
      expect(JSON.parse(line.content)).toEqual({ answer: 42 });
      expect(line.attempts.filter((a) => a.provider === 'primary').map((a) => a.error?.kind)).toEqual(['invalid-output', 'invalid-output']);
    }
    expect(providers!.primary.counters.completions).toBe(6);
  });

  it('prints one prompt only once its answer passed, and says who gave it', async () => {
    const { config, schema } = await setUp('not json', '{"answer": 7}');
    const result = await runCli(['--config', config, '--schema', schema, 'what is 3+4?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"answer": 7}\n');
    expect(result.stderr).toMatch(/answered by backup/);
  });

  it('rejects a schema file that is not JSON, naming it', async () => {
    const { config, files } = await setUp('x', 'y');
    writeFileSync(files.path('bad.json'), '{ not json');
    const result = await runCli(['--config', config, '--schema', files.path('bad.json'), 'hi']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--schema: ${files.path('bad.json')} is not JSON`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
