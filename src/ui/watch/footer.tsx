import { Text } from 'ink';

/** What the footer asks for: the key list, or the number after `f`. */
export interface FooterProps {
  readonly pendingForce: boolean;
  readonly providerCount: number;
  /** A short notice for the last key pressed (`no provider 7`). */
  readonly notice?: string | undefined;
  /** Whether the source accepts the drill's keys (p, f, r). */
  readonly controls: boolean;
}

/** The keys, or the prompt for `f`'s number. */
export function Footer({ pendingForce, providerCount, notice, controls }: FooterProps) {
  if (pendingForce) {
    return (
      <Text wrap="truncate-end" color="yellow">
        force which provider to fail (or restore)? press 1{providerCount > 1 ? `–${Math.min(9, providerCount)}` : ''}, Enter for the selected one, Esc to cancel
      </Text>
    );
  }
  const keys = controls ? 'q quit · p probe now · f+N force fail/restore · r reset breaker · ↑↓ select' : 'q quit · ↑↓ select';
  return (
    <Text wrap="truncate-end">
      {notice ? <Text color="yellow">{notice} · </Text> : null}
      <Text dimColor>{keys}</Text>
    </Text>
  );
}
