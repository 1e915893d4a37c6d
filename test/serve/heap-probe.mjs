// Run by heap.test.ts in a child `node --expose-gc`: argv[2] is dist/serve/heap.js, argv[3] `tune`
// to call tuneHeapForGateway first. Holds ~60 MB live, then promotes garbage (each batch survives
// two young GCs) until a full GC takes some back; prints the live size and the old generation's
// peak before that, in MB.
import v8 from 'node:v8';

const { tuneHeapForGateway } = await import(process.argv[2]);
const tuned = process.argv[3] === 'tune' ? tuneHeapForGateway() : false;
const live = Array.from({ length: 120 }, () => Array.from({ length: 12_500 }, (_, i) => ({ i })));
gc();
const oldMB = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_used_size / 1048576;
const liveMB = oldMB();
let peakMB = liveMB;
let collected = false;
for (let batch = 0; batch < 200 && !collected; batch++) {
  let garbage = Array.from({ length: 20_000 }, (_, i) => ({ batch, i }));
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  garbage = undefined;
  const nowMB = oldMB();
  collected = nowMB < peakMB - 1;
  peakMB = Math.max(peakMB, nowMB);
}
console.log(JSON.stringify({ tuned, liveMB, peakMB, collected, held: live.length }));
