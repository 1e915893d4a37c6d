import { useEffect, useState } from 'react';
import type { HealthSnapshot, HealthSource } from '../../watch/health-source.js';

/** How often countdowns refresh while a breaker is open. */
const COUNTDOWN_TICK_MS = 1_000;

/**
 * The source's latest snapshot, refreshed on each of its updates. While a breaker is open (or an
 * attached source's link is down) a one-second tick keeps its countdown moving; with every breaker closed there is no timer at
 * all, so an idle board costs nothing between probe rounds.
 */
export function useHealth(source: HealthSource): HealthSnapshot {
  const [snapshot, setSnapshot] = useState(() => source.snapshot());
  useEffect(() => {
    setSnapshot(source.snapshot());
    return source.subscribe(() => setSnapshot(source.snapshot()));
  }, [source]);
  // A lost link counts down to its next try as well.
  const counting = snapshot.rows.some((row) => row.trialIn !== undefined) || snapshot.link?.state === 'disconnected';
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(() => setSnapshot(source.snapshot()), COUNTDOWN_TICK_MS);
    return () => clearInterval(timer);
  }, [source, counting]);
  return snapshot;
}
