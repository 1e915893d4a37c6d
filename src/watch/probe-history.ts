import { RingBuffer } from './ring-buffer.js';

/** One probe of one provider, as the board's window remembers it. */
export interface ProbeSample {
  readonly ok: boolean;
  /** How long the probe took (a failure's latency is kept but not used for percentiles). */
  readonly ms: number;
  /** Engine clock time the probe finished. */
  readonly at: number;
}

/** How many probes per provider the window keeps: 60 × the default 5 s interval = 5 minutes. */
export const DEFAULT_HISTORY_SIZE = 60;

/** The last N probes of every provider, bounded so memory stays flat however long watch runs. */
export class ProbeHistory {
  private readonly buffers = new Map<string, RingBuffer<ProbeSample>>();

  constructor(private readonly size = DEFAULT_HISTORY_SIZE) {}

  record(provider: string, sample: ProbeSample): void {
    let buffer = this.buffers.get(provider);
    if (!buffer) {
      buffer = new RingBuffer<ProbeSample>(this.size);
      this.buffers.set(provider, buffer);
    }
    buffer.push(sample);
  }

  /** The provider's samples, oldest first. */
  samples(provider: string): readonly ProbeSample[] {
    return this.buffers.get(provider)?.toArray() ?? [];
  }

  /** Every provider's samples by name, for the view model. */
  all(): ReadonlyMap<string, readonly ProbeSample[]> {
    return new Map([...this.buffers].map(([name, buffer]) => [name, buffer.toArray()]));
  }
}
