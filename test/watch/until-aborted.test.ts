import { describe, expect, it } from 'vitest';
import { untilAborted } from '../../src/watch/until-aborted.js';

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('untilAborted', () => {
  it('holds the process open with a ref’d timer until the signal aborts, then lets go', async () => {
    const before = timers();
    const controller = new AbortController();
    const waiting = untilAborted(controller.signal);
    expect(timers()).toBe(before + 1);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    expect(timers()).toBe(before);
  });
});
