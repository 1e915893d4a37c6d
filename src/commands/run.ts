import { Option, type Command } from 'commander';
import { OTEL_OPTION, runAction, withCommonOptions } from './action.js';
import type { RunCommandOptions } from '../run/run-service.js';

const HELP = `
One prompt (argument or stdin): the answer streams to stdout; one line on stderr says who answered
and what failed on the way. Piped, stdout gets only one provider's complete answer (a restart
mid-answer never splices two). Every provider failed: exit 3, the prompt saved in the outbox.

A batch: --input FILE.jsonl (or - for stdin), one request a line:
  {"id": "a1", "prompt": "..."}   or   {"id": "a1", "messages": [...], "temperature": 0, ...}
Other request fields (max_tokens, response_format, tools...) go to every provider unchanged;
a line without an id gets "line-<n>". Answers are appended to --output as each finishes, so
rerunning the same command resumes: every id is answered once. Requests every provider failed
go to the outbox (default: beside the output); retry them with
  understudy run --input OUTPUT.outbox.jsonl --output OUTPUT.jsonl
Bad lines go to the rejects file (beside the output) and never stop the batch.
Ctrl-C: no new requests, those in flight finish; again: abort them into the outbox.

Exit codes: 0 all answered; 1 some input lines were bad (nothing failed); 2 usage or config
error; 3 something went to the outbox (every provider failed, or a provider rejected a request);
130 interrupted.`;

/** `understudy run`: prompts through the failover engine, one or a batch, losing none. */
export function defineRun(program: Command): void {
  withCommonOptions(
    program
      .command('run')
      .description('send prompts through the failover engine, one or a whole batch, losing none')
      .argument('[prompt]', 'the prompt (default: read from stdin)')
      .option('--system <text>', 'a system message before the prompt (in a batch: before each "prompt" line)')
      .option('-i, --input <file>', 'a batch: JSONL requests, one a line (- for stdin)')
      .option('-o, --output <file>', 'a batch: JSONL answers, appended as each finishes; resumed on rerun')
      .option('--outbox <file>', 'where requests every provider failed go (default: beside --output; one prompt: ./understudy-outbox.jsonl)')
      .option('--no-outbox', 'one prompt: do not save it when every provider fails')
      .option('--rejects <file>', 'where bad input lines go (default: beside --output)')
      .option('--concurrency <n>', 'requests in flight at once, sharing one engine', '4')
      .option('--schema <file>', 'a JSON Schema every answer must match: an invalid answer is repaired once, then failed over')
      .option('--offline', 'use two built-in mock providers instead of a config (demo)')
      .option(...OTEL_OPTION)
      .addOption(new Option('--progress-interval <ms>', 'ms between progress lines when not on a terminal').default('5000').hideHelp())
      .addOption(new Option('--model <name>').hideHelp()),
  )
    .addHelpText('after', HELP)
    .action((prompt: string | undefined, options: RunCommandOptions) =>
      runAction(async () => {
        // Lazily: the engine, the SDK and (on a terminal) Ink load only when run actually runs.
        const { runCommand } = await import('../run/run-service.js');
        return runCommand(prompt, options);
      }),
    );
}
