import type { Command } from 'commander';
import { runAction, withCommonOptions } from './action.js';
import { UsageError } from './exit-codes.js';

export function definePing(program: Command): void {
  withCommonOptions(program.command('ping').description('smoke-test every provider\'s key, URL and model (not built yet)')).action(() =>
    runAction(async () => {
      throw new UsageError('`understudy ping` is not built yet');
    }),
  );
}
