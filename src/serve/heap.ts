import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC left live, in percent.
 * Left to itself, V8 on a machine with gigabytes to spare lets it grow up to 4×: a gateway with a
 * live heap near 12 MB then carries ~40 MB of dead, promoted request state between full GCs.
 * At 50% it carries ~10 MB (V8 never grows it by less than 8 MB), which costs a few more full GCs
 * of a small heap: under 1% of the gateway's CPU in bench/serve.js, for ~30 MB less RSS under load.
 */
export const GATEWAY_HEAP_GROWING_PERCENT = 50;

const FLAG = /^--heap[-_]growing[-_]percent\b/;

/**
 * Tunes V8 for a process that is a gateway and nothing else (`understudy serve`): full GCs come
 * before the old generation doubles, rather than after it quadruples. Unlike the young
 * generation's size, this V8 reads at every GC, so it can be set after Node has started. A value
 * the user gave Node on its command line is left as it is (Node refuses it in NODE_OPTIONS).
 * Returns whether the flag was set. A library embedding the gateway in its own process is not
 * tuned: its heap is its own (`node --heap-growing-percent=50 app.js` does the same there).
 */
export function tuneHeapForGateway(): boolean {
  if (process.execArgv.some((arg) => FLAG.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${GATEWAY_HEAP_GROWING_PERCENT}`);
  return true;
}
