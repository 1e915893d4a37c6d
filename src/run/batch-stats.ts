/**
 * The live counts of a batch, updated by the batch as it goes and read by the progress
 * reporters (plain lines or the Ink bar) and the summary. Plain data, no I/O.
 */
export class BatchStats {
  /** Lines in the input, when known (a file: counted first; stdin: unknown). */
  totalLines: number | undefined;
  /** Ids already in the output when the run started. */
  doneAtStart = 0;
  linesRead = 0;
  /** Input lines whose id was already answered: not sent again. */
  skipped = 0;
  /** Input lines that could not be sent (to the rejects file). */
  badLines = 0;
  inFlight = 0;
  /** Read, waiting for a worker. */
  queued = 0;
  answered = 0;
  /** Answered by a provider after an earlier one failed or was skipped. */
  failedOver = 0;
  readonly answeredBy = new Map<string, number>();
  outboxed = { exhausted: 0, rejected: 0, interrupted: 0 };
  /** Engine events over the run. */
  retries = 0;
  failovers = 0;
  restarts = 0;
  breakerOpenings = 0;
  /** Read but never started because the run was stopped. */
  notStarted = 0;
  /** Input lines a stopped run never read (undefined when the input's size is unknown). */
  unreadLines: number | undefined;
  /** Clock time of the first send and now, for the rate. */
  startedAt: number;

  constructor(now: number) {
    this.startedAt = now;
  }

  /** Requests finished this run, answered or not. */
  get finished(): number {
    return this.answered + this.outboxedTotal;
  }

  get outboxedTotal(): number {
    return this.outboxed.exhausted + this.outboxed.rejected + this.outboxed.interrupted;
  }

  /**
   * Requests still to send, when the input's size is known: unread lines (less those already
   * answered, which will be skipped) plus those waiting and in flight.
   */
  get remaining(): number | undefined {
    if (this.totalLines === undefined) return undefined;
    const unreadToSkip = Math.max(0, this.doneAtStart - this.skipped);
    return Math.max(0, this.totalLines - this.linesRead - unreadToSkip) + this.queued + this.inFlight;
  }

  recordAnswer(provider: string, failedOver: boolean): void {
    this.answered++;
    if (failedOver) this.failedOver++;
    this.answeredBy.set(provider, (this.answeredBy.get(provider) ?? 0) + 1);
  }
}
