import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';
import { UsageError } from './exit-codes.js';

export function defineMock(program: Command): void {
  withCommonOptions(program.command('mock').description('start mock OpenAI-compatible providers with scriptable faults (not built yet)')).action(() =>
    runAction(async () => {
      throw new UsageError('`understudy mock` is not built yet');
    }),
  );
}
