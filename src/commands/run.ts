import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';
import { UsageError } from './exit-codes.js';

export function defineRun(program: Command): void {
  withCommonOptions(program.command('run').description('send prompts through the failover engine, one or a batch (not built yet)')).action(() =>
    runAction(async () => {
      throw new UsageError('`understudy run` is not built yet');
    }),
  );
}
