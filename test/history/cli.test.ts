import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../support/cli.js';

beforeAll(() => ensureBuilt('dist/history/report-command.js'), 120_000);

describe('understudy report (the built CLI)', () => {
  it('a missing history file: exit 2, one line saying what to do, no stack', async () => {
    const result = await runCli(['report', '/nonexistent/understudy-history.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'understudy: no history file at /nonexistent/understudy-history.jsonl\n  try: understudy drill --history /nonexistent/understudy-history.jsonl (adds one line per drill run)\n',
    );
    expect(result.stdout).toBe('');
  });

  it('a bad --last: exit 2, naming the option', async () => {
    const result = await runCli(['report', 'history.jsonl', '--last', 'many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^understudy: --last must be a whole number of runs from 1 to 1000000, not "many"$/m);
  });
});
