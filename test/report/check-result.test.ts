import { describe, expect, it } from 'vitest';
import { allOk, isFailedCheck, summarizeGroups, type CheckGroup } from '../../src/report/check-result.js';

describe('check results', () => {
  const groups: CheckGroup[] = [
    { name: 'a', ok: true, checks: [{ name: 'x', ok: true }, { name: 'slow', ok: false, warning: true }] },
    { name: 'b', ok: false, checks: [{ name: 'x', ok: false }, { name: 'y', ok: false, skipped: true }] },
  ];

  it('counts failures, warnings and skips apart', () => {
    expect(summarizeGroups(groups)).toEqual({ groups: 2, failedGroups: 1, checks: 4, failedChecks: 1, warnings: 1, skipped: 1 });
  });

  it('does not count a warning or a skipped check as a failure', () => {
    expect(isFailedCheck({ name: 'w', ok: false, warning: true })).toBe(false);
    expect(isFailedCheck({ name: 's', ok: false, skipped: true })).toBe(false);
    expect(isFailedCheck({ name: 'f', ok: false })).toBe(true);
  });

  it('is all ok only when every group is', () => {
    expect(allOk(groups)).toBe(false);
    expect(allOk(groups.slice(0, 1))).toBe(true);
    expect(allOk([])).toBe(true);
  });
});
