import { describe, expect, it } from 'vitest';
import { Availability } from '../../src/shared/availability.js';

describe('availability of the shared store', () => {
  it('tells each change once, however often it is reported, and logs it once', () => {
    const logs: string[] = [];
    const heard: boolean[] = [];
    const availability = new Availability((line) => logs.push(line));
    availability.onChange((available) => heard.push(available));
    expect(availability.up('fine')).toBe(false);
    for (let i = 0; i < 5; i++) availability.down(`error ${i}`);
    availability.up('back');
    availability.up('back again');
    expect(heard).toEqual([false, true]);
    expect(logs).toEqual(['error 0', 'back']);
  });

  it('tells a listener that arrives while the store is down, so an engine created after a failed start hears it', async () => {
    const availability = new Availability(() => {});
    availability.down('refused');
    const heard: [boolean, string][] = [];
    availability.onChange((available, detail) => heard.push([available, detail]));
    await Promise.resolve();
    expect(heard).toEqual([[false, 'refused']]);
  });

  it('a listener that throws does not stop the others', () => {
    const availability = new Availability(() => {});
    const heard: boolean[] = [];
    availability.onChange(() => {
      throw new Error('bug');
    });
    availability.onChange((available) => heard.push(available));
    availability.down('gone');
    expect(heard).toEqual([false]);
  });
});
