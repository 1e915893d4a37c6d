import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { InFlightAnswers } from '../../src/serve/in-flight.js';

const answer = (name: string) => ({ name }) as unknown as ServerResponse;

describe('InFlightAnswers', () => {
  it('lists the answers still in flight, whichever left first, middle or last', () => {
    const inFlight = new InFlightAnswers();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(answer) as [ServerResponse, ServerResponse, ServerResponse, ServerResponse];
    const leaveA = inFlight.add(a);
    const leaveB = inFlight.add(b);
    inFlight.add(c);
    const leaveD = inFlight.add(d);
    expect(inFlight.size).toBe(4);

    expect(leaveB()).toBe(true);
    expect(new Set(inFlight)).toEqual(new Set([a, c, d]));
    expect(leaveD()).toBe(true);
    expect(leaveA()).toBe(true);
    expect([...inFlight]).toEqual([c]);
    expect(inFlight.size).toBe(1);
  });

  it('takes an answer out once: a second call changes nothing and says so', () => {
    const inFlight = new InFlightAnswers();
    const a = answer('a');
    const b = answer('b');
    const leaveA = inFlight.add(a);
    inFlight.add(b);
    expect(leaveA()).toBe(true);
    expect(leaveA()).toBe(false);
    expect(inFlight.size).toBe(1);
    expect([...inFlight]).toEqual([b]);
  });
});
