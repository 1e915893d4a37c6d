import type { AlertSinkConfig } from '../../config/schema.js';
import type { Alert, AlertSeverity } from '../alert.js';
import { postJson } from './post-json.js';

type SlackSink = Extract<AlertSinkConfig, { type: 'slack' }>;

const ICON: Readonly<Record<AlertSeverity, string>> = {
  critical: ':rotating_light:',
  warning: ':warning:',
  info: ':white_check_mark:',
};

/** A Slack payload: blocks hold at most 3000 characters of text each; leave room. */
const MAX_FIELD = 2_800;

/** The Slack incoming-webhook payload for an alert: `text` for notifications, `blocks` for the message. */
export function slackPayload(alert: Alert): { text: string; blocks: object[] } {
  const drill = alert.drill ? '[DRILL] ' : '';
  const text = `${ICON[alert.severity]} ${drill}understudy ${alert.kind} (${alert.severity}): ${alert.summary}`;
  const errors = alert.errors.map(
    (error) => `• *${error.provider}* ${error.status ?? ''} ${error.kind} (${error.class}): ${error.message}`.replace(/ {2,}/g, ' '),
  );
  const blocks: object[] = [
    { type: 'section', text: { type: 'mrkdwn', text: cut(text) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: cut(
            [
              `providers: ${alert.providers.join(', ') || '—'}`,
              `since ${alert.startedAt}`,
              `${alert.affectedRequests} requests affected`,
              ...(alert.folded > 0 ? [`${alert.folded} folded in`] : []),
            ].join(' · '),
          ),
        },
      ],
    },
  ];
  if (errors.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(errors.join('\n')) } });
  return { text: cut(text), blocks };
}

/** Sends one alert to a Slack incoming webhook. */
export function sendSlack(sink: SlackSink, alert: Alert, fetchImpl?: typeof fetch): Promise<void> {
  return postJson(sink.url, slackPayload(alert), { timeoutMs: sink.timeoutMs, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

function cut(text: string): string {
  return text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD - 1)}…` : text;
}
