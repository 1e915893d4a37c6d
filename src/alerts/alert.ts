import type { AlertKind } from '../config/schema.js';
import { maskSecrets } from '../config/secrets.js';
import type { FailureClass, FailureKind } from '../engine/types.js';

export type { AlertKind };

/** How loud an alert is: `critical` pages someone, `warning` is an early warning, `info` an all-clear. */
export type AlertSeverity = 'warning' | 'critical' | 'info';

/** One error seen during an incident, as a receiver needs it (never a key: messages are masked). */
export interface AlertError {
  readonly provider: string;
  readonly class: FailureClass;
  readonly kind: FailureKind;
  readonly status?: number;
  readonly message: string;
}

/** What every sink receives: the same shape as JSON (webhook, command) or rendered (Slack). */
export interface Alert {
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  /** The providers it is about: the one traffic left, the one whose breaker opened, or every one tried. */
  readonly providers: readonly string[];
  /** The most recent distinct errors of those providers. */
  readonly errors: readonly AlertError[];
  /** ISO wall time the incident began. */
  readonly startedAt: string;
  /** ISO wall time of this alert. */
  readonly at: string;
  /** Requests the incident has touched so far. */
  readonly affectedRequests: number;
  /** Alerts of this kind and provider held back by the throttle since the last one sent. */
  readonly folded: number;
  /** Set on the test alerts `understudy drill` sends: no action needed. */
  readonly drill?: boolean;
  /** One line a person can read on a phone. */
  readonly summary: string;
}

/** The severity each kind carries: failover warns early, exhaustion and a rejected key page. */
export const severityOf: Readonly<Record<AlertKind, AlertSeverity>> = {
  failover: 'warning',
  'breaker-open': 'warning',
  exhausted: 'critical',
  recovered: 'info',
  auth: 'critical',
  // This instance lost the fleet's shared health and runs on its own breakers: degraded, not down.
  fleet: 'warning',
  // A slow provider still answers: an early warning, before it becomes an outage.
  degraded: 'warning',
};

/**
 * The alert with every registered secret masked in every string. Done on the object, not on
 * its JSON, because JSON escaping (a quote or backslash in a secret) would hide a secret from
 * a mask applied to the serialized text.
 */
export function maskAlert(alert: Alert): Alert {
  return maskDeep(alert) as Alert;
}

function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskDeep(inner)]));
  }
  return value;
}
