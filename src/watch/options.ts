import { wholeNumberOption } from '../terminal/options.js';

/** `understudy watch` options as commander hands them over. */
export interface WatchOptions {
  config?: string;
  json?: boolean;
  color?: boolean;
  /** Milliseconds between probe rounds, as typed. */
  interval?: string;
  completion?: boolean;
  once?: boolean;
  offline?: boolean;
  /** `--attach URL`: a gateway (`http://…`) or a fleet's Redis (`redis://…`) instead of local probes. */
  attach?: string;
  /** `--prefix`: the fleet's key prefix, with `--attach redis://…`. */
  prefix?: string;
}

/** Default time between probe rounds. */
export const DEFAULT_INTERVAL_MS = 5_000;
/** The offline demo probes faster, so a forced failure turns the primary red within seconds. */
export const OFFLINE_INTERVAL_MS = 2_000;
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** `--interval`, checked: a whole number of ms in a sane range, or a UsageError naming it. */
export function parseInterval(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  return wholeNumberOption(text, '--interval', {
    min: MIN_INTERVAL_MS,
    max: MAX_INTERVAL_MS,
    unit: 'milliseconds',
    example: 'e.g. --interval 5000 for every 5 seconds',
  });
}

