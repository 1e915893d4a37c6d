/**
 * A minimal Prometheus text exposition (format 0.0.4): counters, gauges and histograms with
 * fixed buckets, labelled. Hand-written because prom-client is not a dependency; it would
 * replace this module one for one (Registry → prom-client's Registry, same metric names).
 */

type Labels = Readonly<Record<string, string>>;

/** One metric family: its samples keyed by their label values. */
abstract class Metric<Sample> {
  protected readonly samples = new Map<string, { labels: Labels; sample: Sample }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}

  protected sampleFor(labels: Labels, create: () => Sample): Sample {
    // Label order is fixed by each call site, so the values alone identify a series.
    const key = Object.values(labels).join('\u0000');
    let entry = this.samples.get(key);
    if (!entry) this.samples.set(key, (entry = { labels, sample: create() }));
    return entry.sample;
  }

  /** The family's lines, HELP and TYPE first. */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, sample } of this.samples.values()) lines.push(...this.renderSample(labels, sample));
    return lines;
  }

  protected abstract renderSample(labels: Labels, sample: Sample): string[];
}

/** A value that only goes up. */
export class Counter extends Metric<{ value: number }> {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  inc(labels: Labels = {}, by = 1): void {
    this.sampleFor(labels, () => ({ value: 0 })).value += by;
  }

  protected renderSample(labels: Labels, sample: { value: number }): string[] {
    return [`${this.name}${formatLabels(labels)} ${formatNumber(sample.value)}`];
  }
}

/** A value that is set to whatever it is now. */
export class Gauge extends Metric<{ value: number }> {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  set(labels: Labels, value: number): void {
    this.sampleFor(labels, () => ({ value: 0 })).value = value;
  }

  protected renderSample(labels: Labels, sample: { value: number }): string[] {
    return [`${this.name}${formatLabels(labels)} ${formatNumber(sample.value)}`];
  }
}

interface HistogramSample {
  /** Non-cumulative counts per bucket; cumulated when rendered, so observing stays O(buckets). */
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into fixed upper bounds (`le`), plus their sum and count. */
export class Histogram extends Metric<HistogramSample> {
  constructor(
    name: string,
    help: string,
    /** Upper bounds, ascending; `+Inf` is implied. */
    readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram');
  }

  observe(labels: Labels, value: number): void {
    const sample = this.sampleFor(labels, () => ({ counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 }));
    // A loop, not findIndex: this runs several times per request and a closure each time adds up.
    const buckets = this.buckets;
    for (let index = 0; index < buckets.length; index++) {
      if (value <= buckets[index]!) {
        sample.counts[index]!++;
        break;
      }
    }
    sample.sum += value;
    sample.count++;
  }

  protected renderSample(labels: Labels, sample: HistogramSample): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((bound, index) => {
      cumulative += sample.counts[index]!;
      lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: formatNumber(bound) })} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${sample.count}`);
    lines.push(`${this.name}_sum${formatLabels(labels)} ${formatNumber(sample.sum)}`);
    lines.push(`${this.name}_count${formatLabels(labels)} ${sample.count}`);
    return lines;
  }
}

/** The metric families one endpoint exposes, in registration order. */
export class Registry {
  private readonly metrics: Array<{ render(): string[] }> = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** The whole exposition, as `GET /metrics` answers it. */
  render(): string {
    return `${this.metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }

  private add<M extends { render(): string[] }>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
}

/** The content type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
