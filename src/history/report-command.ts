import { existsSync, statSync } from 'node:fs';
import { appendStepSummary, githubAnnotations, isGitHubActions } from '../report/github.js';
import { printJson } from '../report/json.js';
import { log, out } from '../report/output.js';
import { paint } from '../report/style.js';
import { renderTable } from '../report/table.js';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { wholeNumberOption } from '../terminal/options.js';
import { readHistory } from './file.js';
import { problemLine, trendJson, trendMarkdown, trendNotes, trendRows, TREND_HEADERS, windowLine } from './render.js';
import { historyTrend } from './trend.js';

/** `understudy report`'s options, as commander parsed them. */
export interface ReportCommandOptions {
  json?: boolean;
  last?: string;
  /** GitHub Actions step summary and warning annotations (automatic when GITHUB_ACTIONS=true). */
  github?: boolean;
}

/** The window when `--last` is not given: about three weeks of nightly drills. */
export const DEFAULT_LAST = 20;

/**
 * `understudy report FILE.jsonl`: the trend per scenario over the last runs of a drill history.
 * Exit 0 when every line was read, 1 when some lines were left out (each named with its line
 * number), 2 when the file is missing or holds no run, or an option is wrong.
 */
export async function reportCommand(file: string, options: ReportCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const last = options.last === undefined ? DEFAULT_LAST : wholeNumberOption(options.last, '--last', { min: 1, max: 1_000_000, unit: 'runs' });
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(`no history file at ${file}`, `understudy drill --history ${file} (adds one line per drill run)`);
  }
  const { records, problems } = await readHistory(file);
  for (const problem of problems) log(paint('yellow', problemLine(file, problem)));
  if (records.length === 0) {
    const unread = problems.length > 0 ? ` (${problems.length} line${problems.length === 1 ? '' : 's'} could not be read)` : '';
    throw new UsageError(`${file} holds no drill run${unread}`, `understudy drill --history ${file} (adds one line per drill run)`);
  }

  const trend = historyTrend(records, last);
  if (options.json) printJson(trendJson(file, records.length, last, trend, problems));
  else {
    out(renderTable(TREND_HEADERS, trendRows(trend), { maxWidth: process.stdout.columns || undefined, flexible: [0, 7] }));
    out('');
    out(`${windowLine(trend, records.length)} · ${file}`);
    for (const note of trendNotes(trend)) out(paint('yellow', note));
  }
  if (options.github || isGitHubActions(env)) {
    // A worsening trend is a warning, not a failure: the drill's own exit code says whether it failed.
    process.stderr.write(githubAnnotations(trendNotes(trend).map((note) => ({ title: 'understudy drill trend', message: note, level: 'warning' }))));
    appendStepSummary(trendMarkdown(trend, records.length), env);
  }
  return problems.length > 0 ? ExitCode.problem : ExitCode.ok;
}
