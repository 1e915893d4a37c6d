// Run by heap.test.ts in a child `node --expose-gc`: argv[2] is dist/serve/heap.js, argv[3] `tune`
// to call tuneHeapForGateway first (`stopped`: and stop the tuning at once). Prints what became of V8's two generations, in MB:
// - old: with ~60 MB live, garbage is promoted (each batch survives two young GCs) until a full
//   GC takes some back; the live size, and the old generation's peak before that;
// - young: batches that survive a few scavenges each are allocated under load; the young
//   generation's largest size on the way.
import v8 from 'node:v8';

const { tuneHeapForGateway } = await import(process.argv[2]);
const tuning = process.argv[3] === 'tune' || process.argv[3] === 'stopped' ? tuneHeapForGateway() : undefined;
if (process.argv[3] === 'stopped') tuning.stop();
const spaceMB = (name) => v8.getHeapSpaceStatistics().find((space) => space.space_name === name).space_size / 1048576;
const usedMB = (name) => v8.getHeapSpaceStatistics().find((space) => space.space_name === name).space_used_size / 1048576;
const turn = () => new Promise((resolve) => setImmediate(resolve));

// The young generation first: the old one's test leaves much promoted behind.
let youngPeakMB = spaceMB('new_space');
const inFlight = [];
for (let batch = 0; batch < 3_000; batch++) {
  inFlight.push(Array.from({ length: 2_000 }, (_, i) => ({ batch, i, text: `item ${i}` })));
  if (inFlight.length > 8) inFlight.shift();
  // GCs are reported to observers between turns of the event loop, as in a server.
  if (batch % 10 === 0) await turn();
  youngPeakMB = Math.max(youngPeakMB, spaceMB('new_space'));
}
inFlight.length = 0;

const live = Array.from({ length: 120 }, () => Array.from({ length: 12_500 }, (_, i) => ({ i })));
gc();
const liveMB = usedMB('old_space');
let peakMB = liveMB;
let collected = false;
for (let batch = 0; batch < 200 && !collected; batch++) {
  let garbage = Array.from({ length: 20_000 }, (_, i) => ({ batch, i }));
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  garbage = undefined;
  const nowMB = usedMB('old_space');
  collected = nowMB < peakMB - 1;
  peakMB = Math.max(peakMB, nowMB);
}
tuning?.stop();
console.log(JSON.stringify({ oldGeneration: tuning?.oldGeneration ?? false, youngGeneration: tuning?.youngGeneration ?? false, youngPeakMB, liveMB, peakMB, collected, held: live.length }));
