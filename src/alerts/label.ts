import type { AlertSinkConfig } from '../config/schema.js';

/**
 * A name for a sink that is safe to print anywhere: the scheme and host of a URL, never its
 * path or query (a webhook's token lives there), and a command's program, never its args.
 *
 *     webhook https://hooks.example.com/…   slack hooks.slack.com   command ./page-oncall.sh
 */
export function sinkLabel(sink: AlertSinkConfig): string {
  switch (sink.type) {
    case 'webhook':
      return `webhook ${originOf(sink.url)}/…`;
    case 'slack':
      return `slack ${hostOf(sink.url)}`;
    case 'command':
      return `command ${sink.run}`;
  }
}

/**
 * Labels for a list of sinks, numbered where two would otherwise read the same
 * (two webhooks on one host), so a report can tell them apart.
 */
export function sinkLabels(sinks: readonly AlertSinkConfig[]): string[] {
  const labels = sinks.map(sinkLabel);
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return labels.map((label, index) => ((counts.get(label) ?? 0) > 1 ? `${label} #${index + 1}` : label));
}

function originOf(url: string): string {
  try {
    // `origin` drops user:password@ as well as the path.
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
