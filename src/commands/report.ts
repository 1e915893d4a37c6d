import type { Command } from 'commander';
import { runAction } from './action.js';
import type { ReportCommandOptions } from '../history/report-command.js';

/** `understudy report FILE.jsonl`: the trend of a drill history, per scenario. */
export function defineReport(program: Command): void {
  program
    .command('report')
    .description('the trend of a drill history (drill --history FILE): pass rate and failover/recovery p50/p95 per scenario')
    .argument('<file>', 'the history file drill --history appends to (JSON lines)')
    .option('--last <n>', 'the last N runs (default 20)')
    .option('--github', 'GitHub Actions step summary and a warning per worsening scenario (automatic when GITHUB_ACTIONS=true)')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--color', 'colour even when stdout is not a terminal')
    .option('--no-color', 'no colour (also NO_COLOR, TERM=dumb, or when stdout is not a terminal)')
    .addHelpText(
      'after',
      '\nA line that is not a drill run is named (file:line) on stderr and left out; the rest still count.\n' +
        'Exit 0 when every line was read, 1 when some were left out, 2 when the file is missing or holds no run, or on a usage error.\n',
    )
    .action((file: string, options: ReportCommandOptions) =>
      runAction(async () => {
        const { reportCommand } = await import('../history/report-command.js');
        return reportCommand(file, options);
      }),
    );
}
