import { Box, Static, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { BatchStats } from '../../run/batch-stats.js';
import { formatRate, progressView, type ProgressView } from '../../run/progress-view.js';
import type { ProviderState } from '../../engine/types.js';
import { formatMs } from '../../report/view-model.js';

const BAR_WIDTH = 30;

export interface BatchProgressProps {
  readonly stats: BatchStats;
  /** The engine's breaker states, read at every redraw. */
  readonly providers: () => readonly ProviderState[];
  /** Lines printed above the bar (bad lines, outbox entries), oldest first; only ever appended to. */
  readonly notices: () => readonly string[];
  readonly now?: () => number;
  /** Redraw interval. */
  readonly everyMs?: number;
}

/**
 * The live batch progress on a terminal: notices scroll above; below, a bar, the counts
 * (done / failed over / outbox / in flight / queued), rate, ETA and every breaker's state.
 * It only shows what `progressView` computes; the plain periodic lines show the same.
 */
export function BatchProgress({ stats, providers, notices, now = () => performance.now(), everyMs = 250 }: BatchProgressProps) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  const view = progressView(stats, providers(), now());
  return (
    <>
      <Static items={[...notices()]}>{(line, index) => <Text key={index}>{line}</Text>}</Static>
      <Box flexDirection="column">
        <Bar view={view} />
        <Counts view={view} />
        <Breakers view={view} />
      </Box>
    </>
  );
}

function Bar({ view }: { view: ProgressView }) {
  const total = view.queued === undefined ? undefined : view.done + view.queued;
  const filled = view.fraction === undefined ? 0 : Math.round(view.fraction * BAR_WIDTH);
  return (
    <Text>
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(BAR_WIDTH - filled)}</Text>
      {`  ${view.done}${total === undefined ? '' : `/${total}`}`}
      {view.fraction === undefined ? '' : `  ${Math.floor(view.fraction * 100)}%`}
    </Text>
  );
}

function Counts({ view }: { view: ProgressView }) {
  const waiting = view.queued === undefined ? undefined : Math.max(0, view.queued - view.inFlight);
  return (
    <Text>
      {`done ${view.done} · `}
      <Text color={view.failedOver > 0 ? 'yellow' : undefined}>{`failed over ${view.failedOver}`}</Text>
      {' · '}
      <Text color={view.outboxed > 0 ? 'red' : undefined}>{`outbox ${view.outboxed}`}</Text>
      {` · in flight ${view.inFlight}${waiting === undefined ? '' : ` · queued ${waiting}`} · ${formatRate(view.ratePerSecond)}`}
      {view.etaMs === undefined ? '' : ` · ETA ${formatMs(view.etaMs)}`}
      {view.skipped > 0 ? ` · skipped ${view.skipped}` : ''}
      {view.badLines > 0 ? ` · bad lines ${view.badLines}` : ''}
    </Text>
  );
}

function Breakers({ view }: { view: ProgressView }) {
  return (
    <Box gap={2}>
      {view.breakers.map((breaker) => (
        <Text key={breaker.name}>
          {`${breaker.name} `}
          <Text color={breaker.view.colour}>{`${breaker.view.glyph} ${breaker.view.word}`}</Text>
        </Text>
      ))}
    </Box>
  );
}
