import type { FaultScenario } from '../types.js';
import { check, describeOutcome, eventsOf, requestAt } from '../checks.js';

/** Enough events to be past the first content (a role-only chunk may come first), few enough to cut the answer. */
const CHUNKS_BEFORE_DROP = 3;

/** The primary's stream is cut after a few chunks: restart on the fallback, partial output discarded. */
export const midStreamDrop: FaultScenario = {
  name: 'mid-stream-drop',
  summary: "the primary's stream is cut mid-answer: restart on the fallback, the partial output discarded",
  streams: true,
  injection: {
    via: 'proxy',
    fault: { type: 'drop-mid-stream', afterChunks: CHUNKS_BEFORE_DROP },
    describe: `the primary's streams are cut after ${CHUNKS_BEFORE_DROP} chunks`,
  },
  async exercise(context) {
    await context.stream('stream 1');
  },
  verify(observations) {
    const { primary, fallback } = observations;
    const request = requestAt(observations, 0);
    const restart = eventsOf(request.events, 'restart').find((event) => event.from === primary && event.to === fallback);
    return [
      check(
        `a restart event (${primary} → ${fallback}) came before the new text`,
        restart !== undefined && request.restarts > 0,
        restart ? `restart after ${restart.error.kind}: ${restart.error.message}` : `no restart event; ${describeOutcome(request)}`,
      ),
      check(
        'the partial output was discarded',
        request.discarded.length > 0,
        request.discarded.length > 0 ? `discarded ${JSON.stringify(request.discarded)}` : 'nothing was received before the cut',
      ),
      check(
        "the final text is the fallback's whole answer",
        request.answeredBy === fallback && request.finished && request.text.length > 0,
        `${request.label}: ${describeOutcome(request)}, ${request.finished ? 'finished' : 'not finished'}: ${JSON.stringify(request.text)}`,
      ),
    ];
  },
};
