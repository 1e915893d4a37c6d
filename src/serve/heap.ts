import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC left live, in percent.
 * Left to itself, V8 on a machine with gigabytes to spare lets it grow up to 4×: a gateway with a
 * live heap near 12 MB then carries ~40 MB of dead, promoted request state between full GCs.
 * At 50% it carries ~10 MB (V8 never grows it by less than 8 MB), which costs a few more full GCs
 * of a small heap: about 1 µs of GC per request in bench/serve.js, for ~30 MB less RSS under load.
 */
export const GATEWAY_HEAP_GROWING_PERCENT = 50;

/**
 * The young generation a gateway keeps (both semi-spaces: 8 MB each), where V8 would double it to
 * 32 MB under any steady load. A bare node:http proxy settles at this size; for the gateway it
 * means scavenges twice as often, each as cheap (what survives one is the requests in flight):
 * about 5 µs more GC per request (under 2% of its CPU) for 16 MB less RSS.
 */
export const GATEWAY_YOUNG_GENERATION_BYTES = 16 * 1024 * 1024;

const GROWING_PERCENT_FLAG = /^--heap[-_]growing[-_]percent\b/;
const YOUNG_GENERATION_FLAG = /--(max|min)[-_]semi[-_]space[-_]size\b|--semi[-_]space[-_]growth[-_]factor\b/;
/** V8's own factor, by which it doubles the young generation. */
const DEFAULT_GROWTH_FACTOR = 2;

/** The heap tuning in force, and how to end it. */
export interface HeapTuning {
  /** The old generation's growth was set (the user had not set it). */
  readonly oldGeneration: boolean;
  /** The young generation is held at GATEWAY_YOUNG_GENERATION_BYTES (the user had not sized it). */
  readonly youngGeneration: boolean;
  /** Lets both generations grow as V8 would again (a young generation held stays at its size until V8 shrinks it). */
  stop(): void;
}

/**
 * Tunes V8 for a process that is a gateway and nothing else (`understudy serve`); a library
 * embedding the gateway is not tuned, its heap is its own. V8 sizes its generations when Node
 * starts, so this works only through numbers V8 reads again each time it uses them, which are
 * safe to change while it runs (flags that change how the GC runs are not: --single-threaded-gc
 * set this way crashes V8):
 * - full GCs come before the old generation grows by half, rather than after it quadruples;
 * - the young generation grows as usual up to GATEWAY_YOUNG_GENERATION_BYTES, then its growth
 *   factor is set to 1 (V8 checks it at each growth) until it shrinks again (V8 shrinks it when
 *   the process idles), so it is watched after every GC. Node reports GCs between turns of the
 *   event loop, so a burst of long-lived state in one turn (1,000 streams opening at once) can
 *   double it once more before the check runs: that is the most it takes, V8's own default.
 * Either is left alone when the user sized it on Node's command line or in NODE_OPTIONS. Both
 * were checked on Node 20, 22 and 24 (test/serve/heap-probe.mjs; Node 24 would otherwise let the
 * young generation reach 64 MB).
 */
export function tuneHeapForGateway(): HeapTuning {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  const oldGeneration = !given.some((arg) => GROWING_PERCENT_FLAG.test(arg));
  if (oldGeneration) setFlagsFromString(`--heap-growing-percent=${GATEWAY_HEAP_GROWING_PERCENT}`);
  const youngGeneration = !given.some((arg) => YOUNG_GENERATION_FLAG.test(arg));
  const hold = youngGeneration ? holdYoungGeneration(GATEWAY_YOUNG_GENERATION_BYTES) : undefined;
  return {
    oldGeneration,
    youngGeneration,
    stop() {
      hold?.();
      // 0 is V8's own default: a factor of its choosing.
      if (oldGeneration) setFlagsFromString('--heap-growing-percent=0');
    },
  };
}

/** Keeps V8's young generation from growing past `bytes`; returns how to let it grow again. */
function holdYoungGeneration(bytes: number): () => void {
  let factor = DEFAULT_GROWTH_FACTOR;
  const setFactor = (next: number) => {
    if (next === factor) return;
    factor = next;
    setFlagsFromString(`--semi-space-growth-factor=${next}`);
  };
  const check = () => setFactor(youngGenerationBytes() >= bytes ? 1 : DEFAULT_GROWTH_FACTOR);
  // Growth happens within a GC, one doubling at a time, and only after a young generation's worth
  // of survivors: under steady load a check after each GC stops the doubling past `bytes`.
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  check();
  return () => {
    observer.disconnect();
    setFactor(DEFAULT_GROWTH_FACTOR);
  };
}

function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}
