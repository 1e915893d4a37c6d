import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../support/cli.js';

// Under GitHub Actions every secret is announced with ::add-mask:: so the runner hides it in the
// job log too. That one line must carry the secret itself: masked, it would hide only "***".
beforeAll(() => ensureBuilt(), 120_000);

describe('under GitHub Actions', () => {
  it('announces each key raw with ::add-mask:: on stderr, and shows it nowhere else', async () => {
    const result = await runCli(['ping', '--offline', '--json'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '' });
    const announced = [...result.stderr.matchAll(/^::add-mask::(.+)$/gm)].map((match) => match[1]!);
    expect(announced).toHaveLength(2);
    for (const key of announced) {
      expect(key).toMatch(/^sk-offline-/);
      expect(result.stdout).not.toContain(key);
      expect(result.stderr.replace(/^::add-mask::.+$/gm, '')).not.toContain(key);
    }
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
  });
});
