import type { AlertSinkConfig } from '../config/schema.js';
import { sinkLabels } from '../alerts/label.js';
import { checkSinkReachable } from '../alerts/reachability.js';
import type { HostLookup } from '../net/reach.js';
import type { SinkReport } from './types.js';

/**
 * The alert-sink half of `ping`: can every sink take an alert? Found without sending one (DNS
 * and a connection for a URL, an executable program for a command), so a ping never pages
 * anyone.
 */

/** How the sinks are checked. */
export interface SinkCheckOptions {
  /** Each sink's whole check (DNS, connect, TLS); default: the sink's own `timeoutMs` (5 s unless set). */
  readonly timeoutMs?: number;
  /** Where a command sink's relative program is found: the config file's directory. */
  readonly cwd: string;
  /** Aborting it (Ctrl-C) stops waiting; the sinks not yet checked are reported as interrupted. */
  readonly signal?: AbortSignal;
  readonly lookup?: HostLookup;
  /** Told as each sink's check finishes, for progress output. */
  readonly onSink?: (report: SinkReport) => void;
}

/** Checks every sink in parallel, in config order; never throws. */
export async function checkSinks(sinks: readonly AlertSinkConfig[], options: SinkCheckOptions): Promise<SinkReport[]> {
  // Numbered labels ("webhook https://hooks.example.com/… #2"), so two sinks on one host read apart.
  const labels = sinkLabels(sinks);
  return Promise.all(
    sinks.map(async (sink, index) => {
      const report = await checkOne(sink, labels[index]!, options);
      options.onSink?.(report);
      return report;
    }),
  );
}

async function checkOne(sink: AlertSinkConfig, label: string, options: SinkCheckOptions): Promise<SinkReport> {
  const startedAt = performance.now();
  const checked = checkSinkReachable(sink, options.timeoutMs ?? sink.timeoutMs, { cwd: options.cwd, ...(options.lookup ? { lookup: options.lookup } : {}) });
  // checkSinkReachable takes no signal: on Ctrl-C stop waiting for it rather than sit out its timeout.
  const result = await untilAborted<{ ok: boolean; detail: string }>(checked, options.signal, { ok: false, detail: 'interrupted' });
  return { sink: label, ok: result.ok, detail: result.detail, ms: Math.round(performance.now() - startedAt) };
}

/** `work`, or `instead` as soon as `signal` aborts, whichever comes first. */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, instead: T): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return instead;
  let onAbort = (): void => {};
  const aborted = new Promise<T>((resolve) => {
    onAbort = () => resolve(instead);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
