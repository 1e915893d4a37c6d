import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { DrillTask } from '../../config/schema.js';
import { InvalidOutputError } from '../../engine/classify.js';
import { enforceContract } from '../../engine/output-contract.js';
import { formatMs } from '../../report/view-model.js';
import { DrillSetupError } from '../setup-error.js';

/** A task's `expect`, ready to judge answers with (the regular expression compiled once). */
export interface Expectations {
  readonly schema?: Record<string, unknown>;
  readonly matches?: RegExp;
  readonly contains: readonly string[];
  readonly maxLatencyMs?: number;
}

/**
 * The task's expectations, compiled. An invalid regular expression is the config's mistake,
 * not a provider's, so it is a setup error naming the field (exit 2), found before any call.
 */
export function compileExpectations(task: DrillTask, index: number): Expectations {
  const { schema, matches, contains, maxLatencyMs } = task.expect;
  let pattern: RegExp | undefined;
  if (matches !== undefined) {
    try {
      pattern = new RegExp(matches);
    } catch (error) {
      throw new DrillSetupError(
        `drill.tasks[${index}].expect.matches (task ${task.name}) is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`,
        'fix the pattern (JavaScript syntax, no slashes or flags)',
      );
    }
  }
  return {
    ...(schema ? { schema } : {}),
    ...(pattern ? { matches: pattern } : {}),
    contains: contains ?? [],
    ...(maxLatencyMs !== undefined ? { maxLatencyMs } : {}),
  };
}

/**
 * Everything wrong with one answer, in words a person can act on (empty: a good answer). The
 * JSON Schema is checked by the engine's own output-contract validator, so a task passes here
 * exactly when the same schema would pass as a `complete({ contract })` in production.
 */
export async function judgeAnswer(expect: Expectations, completion: ChatCompletion, ms: number): Promise<string[]> {
  const text = completion.choices[0]?.message?.content ?? '';
  const problems: string[] = [];
  if (expect.schema) {
    try {
      await enforceContract({ schema: expect.schema }, completion);
    } catch (error) {
      if (!(error instanceof InvalidOutputError)) throw error;
      problems.push(`schema: ${error.problem}`);
    }
  }
  if (expect.matches && !expect.matches.test(text)) problems.push(`does not match /${expect.matches.source}/`);
  const lower = text.toLowerCase();
  const missing = expect.contains.filter((word) => !lower.includes(word.toLowerCase()));
  if (missing.length > 0) problems.push(`missing words: ${missing.map((word) => `'${word}'`).join(', ')}`);
  if (expect.maxLatencyMs !== undefined && ms > expect.maxLatencyMs) {
    problems.push(`too slow: ${formatMs(ms)} (max ${formatMs(expect.maxLatencyMs)})`);
  }
  return problems;
}

/** The start of an answer, on one line, to show beside what was wrong with it. */
export function excerpt(completion: ChatCompletion, max = 60): string {
  const text = (completion.choices[0]?.message?.content ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
