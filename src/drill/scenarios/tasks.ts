import { createProviderClient } from '../../providers/openai-compatible.js';
import type { CheckOutcome } from '../../report/check-result.js';
import { describeError, formatMs } from '../../report/view-model.js';
import { describeCost } from '../cost.js';
import { compileExpectations, excerpt, judgeAnswer } from '../tasks/expectations.js';
import { sendTask, taskRequest } from '../tasks/send-task.js';
import type { DirectScenario, DirectOutcome } from '../types.js';

/**
 * The team's own prompts (`drill.tasks`) to every provider directly, each answer checked against
 * what a good one must satisfy: a fallback that answers but cannot do the work is no fallback.
 * Not through failover, so every provider answers every task, and one check per (task, provider)
 * says which task failed on which provider, and why.
 */
export const tasks: DirectScenario = {
  kind: 'direct',
  name: 'tasks',
  summary: "each of the team's drill.tasks sent to every provider directly: every answer must satisfy the task's expect",
  note: 'runs only when drill.tasks is configured',
  appliesTo: (config) => config.drill.tasks.length > 0,
  validate(config) {
    config.drill.tasks.forEach((task, index) => compileExpectations(task, index));
  },
  async run({ config, signal, step }): Promise<DirectOutcome> {
    const names = config.providers.map((provider) => provider.name);
    const requests = Object.fromEntries(names.map((name) => [name, 0]));
    const tokens = Object.fromEntries(names.map((name) => [name, 0]));
    if (config.drill.tasks.length === 0) {
      // Asked for by name with nothing to send: say so plainly, and neither pass nor fail.
      const detail = 'no drill.tasks in the config: nothing to send (add a few real prompts and what their answers must satisfy)';
      return { checks: [{ name: 'drill.tasks configured', ok: true, skipped: true, detail }], answeredBy: [], requests, tokens };
    }
    const clients = config.providers.map((provider) => createProviderClient(provider));
    const checks: CheckOutcome[] = [];
    // Per provider, then in task order: the calls ran side by side, so the report's "answered by"
    // reads `main ×3 → spare ×3` rather than interleaving providers as if one followed the other.
    const answered = new Map<string, (string | null)[]>(names.map((name) => [name, []]));
    for (const [index, task] of config.drill.tasks.entries()) {
      const expect = compileExpectations(task, index);
      const request = taskRequest(task);
      // Providers in parallel: one provider's latency does not depend on another's.
      const calls = await Promise.all(clients.map((client) => sendTask(client, config, request, signal)));
      if (signal.aborted) throw signal.reason ?? new Error('interrupted');
      const verdicts: string[] = [];
      for (const [position, call] of calls.entries()) {
        const provider = names[position]!;
        requests[provider] = (requests[provider] ?? 0) + 1;
        const name = `${task.name} on ${provider}`;
        if (!call.ok) {
          answered.get(provider)!.push(null);
          checks.push({ name, ok: false, ms: call.ms, detail: `no answer: ${describeError(call.error)}: ${call.error.message}` });
          verdicts.push(`${provider} ✗ no answer`);
          continue;
        }
        answered.get(provider)!.push(provider);
        const used = call.completion.usage?.total_tokens ?? 0;
        tokens[provider] = (tokens[provider] ?? 0) + used;
        const problems = await judgeAnswer(expect, call.completion, call.ms);
        const detail =
          problems.length === 0
            ? `answered in ${formatMs(call.ms)}, ${used} tokens`
            : `${problems.join('; ')} (answer: "${excerpt(call.completion)}")`;
        checks.push({ name, ok: problems.length === 0, ms: call.ms, detail });
        verdicts.push(`${provider} ${problems.length === 0 ? '✓' : '✗'} ${formatMs(call.ms)}`);
      }
      step(`task ${task.name}: ${verdicts.join(' · ')}`);
    }
    step(`cost: ${describeCost({ requests, tokens })}`);
    return { checks, answeredBy: [...answered.values()].flat(), requests, tokens };
  },
};

