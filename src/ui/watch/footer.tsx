import { Text } from 'ink';

/** What the footer asks for: the key list, or the number after `f`. */
export interface FooterProps {
  readonly pendingForce: boolean;
  readonly providerCount: number;
  /** A short notice for the last key pressed (`no provider 7`). */
  readonly notice?: string | undefined;
  /** Whether the source accepts the drill's keys (p, f, r). */
  readonly controls: boolean;
  /** An attached source: p, f and r act on another process's engine, so they are not offered. */
  readonly attached?: boolean;
}

/** The keys, or the prompt for `f`'s number. */
export function Footer({ pendingForce, providerCount, notice, controls, attached = false }: FooterProps) {
  if (pendingForce) {
    return (
      <Text wrap="truncate-end" color="yellow">
        force which provider to fail (or restore)? press 1{providerCount > 1 ? `–${Math.min(9, providerCount)}` : ''}, Enter for the selected one, Esc to cancel
      </Text>
    );
  }
  const keys = controls
    ? 'q quit · p probe now · f+N force fail/restore · r reset breaker · ↑↓ select'
    : attached
      ? 'q quit · ↑↓ select · p f r not available when attached'
      : 'q quit · ↑↓ select';
  return (
    <Text wrap="truncate-end">
      {notice ? <Text color="yellow">{notice} · </Text> : null}
      <Text dimColor>{keys}</Text>
    </Text>
  );
}
