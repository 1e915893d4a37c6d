import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';
import { UsageError } from './exit-codes.js';

export function defineWatch(program: Command): void {
  withCommonOptions(program.command('watch').description('a live board of provider health and breaker states (not built yet)')).action(() =>
    runAction(async () => {
      throw new UsageError('`understudy watch` is not built yet');
    }),
  );
}
