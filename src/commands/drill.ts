import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';
import { UsageError } from './exit-codes.js';

export function defineDrill(program: Command): void {
  withCommonOptions(program.command('drill').description('break the primary on purpose and prove failover and recovery (not built yet)')).action(() =>
    runAction(async () => {
      throw new UsageError('`understudy drill` is not built yet');
    }),
  );
}
