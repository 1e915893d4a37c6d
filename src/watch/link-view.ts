import { formatCountdown } from '../report/view-model.js';
import type { ViewColour } from '../report/view-model.js';
import type { InstanceView, LinkStatus } from './health-source.js';

/** An attached source's link for the board's header: `● connected`, `○ disconnected: connection refused; retry in 3 s`. */
export function describeLink(link: LinkStatus, now: number): { readonly text: string; readonly colour: ViewColour } {
  switch (link.state) {
    case 'connecting':
      return { text: '◐ connecting…', colour: 'yellow' };
    case 'connected':
      return { text: '● connected', colour: 'green' };
    case 'disconnected': {
      const retry = link.retryAt === undefined ? '' : `; retry ${formatCountdown(link.retryAt, now)}`;
      return { text: `○ disconnected${link.detail ? `: ${link.detail}` : ''}${retry}`, colour: 'red' };
    }
  }
}

/** A fleet's instances on one line: `2 instances live: a (web-1, pid 812) · b (web-2, pid 77)`. */
export function describeInstances(instances: readonly InstanceView[]): string {
  const count = `${instances.length} instance${instances.length === 1 ? '' : 's'} live`;
  return instances.length === 0 ? count : `${count}: ${instances.map((instance) => `${instance.id} (${instance.host}, pid ${instance.pid})`).join(' · ')}`;
}
