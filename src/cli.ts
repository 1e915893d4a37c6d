import { Command } from 'commander';
import { decideColour } from './terminal/colour.js';
import { exitCodeHelp } from './terminal/exit-codes.js';
import { maskProcessOutput } from './report/mask-streams.js';
import { defineDrill } from './commands/drill.js';
import { defineMock } from './commands/mock.js';
import { definePing } from './commands/ping.js';
import { defineReport } from './commands/report.js';
import { defineRun } from './commands/run.js';
import { defineServe } from './commands/serve.js';
import { defineWatch } from './commands/watch.js';
import { routeUsageErrors } from './commands/usage-errors.js';

// Before anything loads chalk: it reads FORCE_COLOR once, at import, and ignores NO_COLOR.
if (!decideColour(process.argv, process.env, Boolean(process.stdout.isTTY))) process.env['FORCE_COLOR'] = '0';
maskProcessOutput();

const program = new Command('understudy')
  .description('Keeps LLM agents answering when their model provider fails.')
  .version(process.env['npm_package_version'] ?? '0.1.0', '-V, --version')
  .addHelpText('after', exitCodeHelp)
  .showSuggestionAfterError();

for (const define of [definePing, defineDrill, defineWatch, defineRun, defineMock, defineServe, defineReport]) define(program);
// After the commands exist: each one's errors name its own --help.
routeUsageErrors(program);

// Every command's body ends the process itself with its exit code.
await program.parseAsync(process.argv);
