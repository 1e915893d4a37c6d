/** Alerts on engine events: webhook, Slack and command sinks, a drill of them, and a reachability check. */
export type { Alert, AlertError, AlertKind, AlertSeverity } from './alert.js';
export { attachAlerts, type AlertsHandle, type AlertStats, type AttachAlertsOptions } from './dispatcher.js';
export { AlertTracker, type AlertTrackerOptions } from './from-events.js';
export { sendTestAlerts, drillAlert, type TestAlertResult, type TestAlertOptions } from './drill-alert.js';
export { checkSinkReachable, type SinkReachability, type ReachabilityOptions } from './reachability.js';
export { sinkLabel, sinkLabels } from './label.js';
export { slackPayload } from './sinks/slack.js';
