import type { Command } from 'commander';
import { registerSecret } from '../config/secrets.js';
import { FAULT_SPEC_HELP, parseFaultSpec } from '../mock/fault-spec.js';
import type { ScopedFault } from '../mock/faults.js';
import { runAction, withCommonOptions } from './action.js';
import type { CommonOptions } from './action.js';
import { ExitCode, UsageError } from '../terminal/exit-codes.js';
import { handleInterrupts } from '../terminal/interrupt.js';
import { wholeNumberOption } from '../terminal/options.js';

interface MockOptions extends CommonOptions {
  port?: string;
  key?: string;
  model?: string[];
  fault?: string[];
  name: string;
  chunkDelay: string;
}

/** Commander's reducer for a repeatable option (no default array, so help shows none). */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `understudy mock`: one mock OpenAI-compatible provider on 127.0.0.1, until Ctrl-C. */
export function defineMock(program: Command): void {
  withCommonOptions(
    program
      .command('mock')
      .description('run a mock OpenAI-compatible provider on 127.0.0.1, with scriptable faults, until Ctrl-C')
      .option('-p, --port <n>', 'port to listen on (default: a free one the OS picks)')
      .option('--key <key>', 'require this API key (Authorization: Bearer <key>); default: no key needed')
      .option('--model <name>', 'a model it serves; repeatable (default: mock-model)', collect)
      .option('--fault <spec>', 'a fault to play; repeatable, played in order (grammar below)', collect)
      .option('--name <name>', 'its name, used in its replies', 'mock')
      .option('--chunk-delay <ms>', 'pause between streamed chunks, in ms', '0'),
  )
    .addHelpText('after', `${FAULT_SPEC_HELP}\n\nPrints its base URL on stdout (a JSON document with --json), then serves until Ctrl-C (exit 130).\n`)
    .action((options: MockOptions) => runAction(() => serveMock(options)));
}

async function serveMock(options: MockOptions): Promise<number> {
  const port = wholeNumberOption(options.port ?? '0', '--port', { min: 0, max: 65_535 });
  const chunkDelayMs = wholeNumberOption(options.chunkDelay, '--chunk-delay', { min: 0, max: 600_000 });
  const specs = options.fault ?? [];
  const faults = specs.map(parseSpec);
  checkFaultOrder(specs, faults);
  registerSecret(options.key);

  const interrupt = handleInterrupts();
  const { startMockProvider } = await import('../mock/server.js');
  const mock = await startMockProvider({
    name: options.name,
    port,
    ...(options.key !== undefined ? { key: options.key } : {}),
    ...(options.model ? { models: options.model } : {}),
    chunkDelayMs,
  }).catch((error: unknown) => {
    interrupt.dispose();
    throw listenError(error, port);
  });
  await mock.setFaults(faults);

  if (options.json) {
    const document = { name: mock.name, baseURL: mock.baseURL, port: mock.port, models: mock.models, keyRequired: options.key !== undefined, faults: specs };
    process.stdout.write(`${JSON.stringify(document)}\n`);
  } else {
    process.stdout.write(`${mock.baseURL}\n`);
    const faultText = specs.length > 0 ? specs.join(', then ') : 'none';
    process.stderr.write(
      `mock provider "${mock.name}" listening at ${mock.baseURL}\n` +
        `  models: ${mock.models.join(', ')}; key: ${options.key !== undefined ? 'required' : 'not required'}; faults: ${faultText}\n` +
        '  Ctrl-C to stop\n',
    );
  }

  await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
  await mock.close();
  interrupt.dispose();
  return ExitCode.interrupted;
}

function parseSpec(spec: string): ScopedFault {
  try {
    return parseFaultSpec(spec);
  } catch (error) {
    throw new UsageError(`--fault: ${(error as Error).message}`, 'see `understudy mock --help` for the fault grammar');
  }
}

/** A fault with no count or duration lasts until the mock stops, so any fault after it would never play. */
function checkFaultOrder(specs: readonly string[], faults: readonly ScopedFault[]): void {
  const endless = faults.findIndex((fault) => fault.count === undefined && fault.forMs === undefined);
  if (endless >= 0 && endless < faults.length - 1) {
    throw new UsageError(
      `--fault ${JSON.stringify(specs[endless])} never ends, so the faults after it would never play`,
      `give it a count or a duration, e.g. --fault ${specs[endless]}x3 or --fault ${specs[endless]}@10s`,
    );
  }
}

/** A port we cannot listen on is the user's to fix; anything else is a bug. */
function listenError(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`port ${port} on 127.0.0.1 is already in use`, 'pick another --port, or leave it out for a free one');
  if (code === 'EACCES') return new UsageError(`not allowed to listen on port ${port}`, 'use a port above 1023, or leave --port out');
  return error;
}
