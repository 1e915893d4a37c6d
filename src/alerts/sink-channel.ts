import type { AlertSinkConfig } from '../config/schema.js';
import { maskSecrets } from '../config/secrets.js';
import type { Alert } from './alert.js';
import { sinkLabel } from './label.js';
import { deliver, type DeliveryOptions } from './sinks/deliver.js';

/** Counts of what happened to alerts, for `stats()` and a command's summary line. */
export interface SinkCounts {
  /** Alerts a sink accepted. */
  sent: number;
  /** Alerts that could not be delivered after every retry. */
  failed: number;
  /** Alerts dropped unsent because the sink's queue was full (a sink dead for a long while). */
  dropped: number;
}

/**
 * One sink's outbox: alerts go out one at a time, in the order they were raised (an
 * `exhausted` must not arrive after the `recovered` that ends it), each through `deliver`,
 * which never throws. The first failure is logged, later ones only counted, so a dead sink
 * costs one log line rather than a storm.
 */
export class SinkChannel {
  readonly label: string;
  readonly counts: SinkCounts = { sent: 0, failed: 0, dropped: 0 };
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private failureLogged = false;
  private dropLogged = false;

  constructor(
    private readonly sink: AlertSinkConfig,
    private readonly options: DeliveryOptions & { readonly log: (line: string) => void; readonly maxQueued: number },
  ) {
    this.label = sinkLabel(sink);
  }

  /** Queues an alert and returns at once: the caller (an engine event listener) never waits. */
  send(alert: Alert): void {
    if (this.queued >= this.options.maxQueued) {
      this.counts.dropped++;
      if (!this.dropLogged) {
        this.dropLogged = true;
        this.log(`alerts: ${this.label} is not keeping up; dropping alerts beyond ${this.options.maxQueued} queued (counted, not logged).`);
      }
      return;
    }
    this.queued++;
    this.tail = this.tail
      .then(() => deliver(this.sink, alert, this.options))
      .then((result) => {
        if (result.ok) {
          this.counts.sent++;
          return;
        }
        this.counts.failed++;
        if (this.failureLogged) return;
        this.failureLogged = true;
        this.log(
          `alerts: could not send a ${alert.kind} alert to ${this.label} (${result.tries} ${result.tries === 1 ? 'try' : 'tries'}): ${result.error}. Later failures of this sink are counted, not logged.`,
        );
      })
      // deliver never throws; this guards the log callback, which is the caller's code.
      .catch(() => {})
      .finally(() => {
        this.queued--;
      });
  }

  /** Resolves once every alert queued so far (and any queued meanwhile) has been handled. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }

  private log(line: string): void {
    this.options.log(maskSecrets(line));
  }
}
