import { beforeAll, describe, expect, it } from 'vitest';
import { describeCommanderError } from '../../src/commands/usage-errors.js';
import { ensureBuilt, runCli } from '../support/cli.js';

beforeAll(() => ensureBuilt(), 120_000);

describe("commander's own usage errors", () => {
  it.each([
    [['ping', '--bogus'], "understudy: unknown option '--bogus'\n  try: see understudy ping --help\n"],
    [['ping', '--jsn'], "understudy: unknown option '--jsn' (did you mean --json?)\n  try: see understudy ping --help\n"],
    [['pnig'], "understudy: unknown command 'pnig' (did you mean ping?)\n  try: see understudy --help\n"],
    [['run', '--input'], "understudy: option '-i, --input <file>' argument missing\n  try: see understudy run --help\n"],
    [['report'], "understudy: missing required argument 'file'\n  try: see understudy report --help\n"],
  ])('understudy %j: the writer every usage error uses, a next step, exit 2, nothing on stdout', async (args, stderr) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(stderr);
    expect(result.stdout).toBe('');
  });

  it('leaves --help and --version alone: exit 0, on stdout', async () => {
    const help = await runCli(['ping', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: understudy ping');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('folds the suggestion into the message', () => {
    expect(describeCommanderError("error: unknown option '--jsn'\n(Did you mean --json?)")).toBe("unknown option '--jsn' (did you mean --json?)");
    expect(describeCommanderError("error: unknown command 'x'")).toBe("unknown command 'x'");
  });
});
