import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, root } from '../support/cli.js';

// The action's script (action/drill.sh) as action.yml runs it, but with the CLI built from this
// checkout instead of the published package, the offline mock providers on 127.0.0.1, and the
// files GitHub gives a step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) in a temporary directory.
beforeAll(() => ensureBuilt(), 120_000);

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'understudy-action-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Runs action/drill.sh with these inputs (INPUT_* variables, as action.yml passes them). */
async function runScript(inputs: Record<string, string>, extraEnv: NodeJS.ProcessEnv = { UNDERSTUDY_BIN: cli }): Promise<ScriptRun> {
  const outputFile = path.join(dir, 'github-output');
  const summaryFile = path.join(dir, 'step-summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    INPUT_WORKING_DIRECTORY: dir,
    ...extraEnv,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase().replace(/-/g, '_')}`, value])),
  };
  const child = spawn('bash', [path.join(root, 'action', 'drill.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
}

/** Reads a GITHUB_OUTPUT file the way the runner does: `name=value` lines and `name<<DELIM` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/** A config whose engine settings break the server-error scenario: a 503 classified fatal is never failed over. */
async function writeFatal503Config(): Promise<string> {
  const file = path.join(dir, 'fatal-503.yaml');
  await writeFile(
    file,
    ['providers:', '  - { name: a, baseURL: "http://127.0.0.1:9/v1", model: m, apiKey: x }', '  - { name: b, baseURL: "http://127.0.0.1:9/v1", model: m, apiKey: x }', 'classify: { "503": fatal }', ''].join('\n'),
  );
  return 'fatal-503.yaml';
}

/**
 * A stand-in for npm on PATH: it logs its arguments and "installs" understudy by linking the CLI
 * built here into the prefix, so the install step runs without the registry. `FAKE_NPM_FAIL`
 * makes it fail as an unknown version would.
 */
async function fakeNpm(): Promise<{ env: NodeJS.ProcessEnv; log: string }> {
  const bin = path.join(dir, 'fake-bin');
  const log = path.join(dir, 'npm.log');
  await mkdir(bin, { recursive: true });
  const script = [
    '#!/usr/bin/env bash',
    `echo "$*" >> ${JSON.stringify(log)}`,
    '[ -z "${FAKE_NPM_FAIL:-}" ] || { echo "npm ERR! 404 No match found for version" >&2; exit 1; }',
    'while [ "$#" -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done',
    'mkdir -p "$prefix/node_modules/understudy/bin"',
    `ln -sf ${JSON.stringify(cli)} "$prefix/node_modules/understudy/bin/understudy.js"`,
    '',
  ].join('\n');
  await writeFile(path.join(bin, 'npm'), script, { mode: 0o755 });
  return { env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, UNDERSTUDY_ACTION_PATH: root }, log };
}

describe('installing understudy', () => {
  it("installs the action's own version by default, from npm, into the runner's temporary directory", async () => {
    const npm = await fakeNpm();
    const run = await runScript({ scenarios: 'bad-request', args: '--offline' }, npm.env);
    const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run.stderr).toContain(`understudy action: installing understudy@${version}`);
    expect((await readFile(npm.log, 'utf8')).trim()).toBe(`install --prefix ${dir}/understudy-cli --no-save --no-audit --no-fund --loglevel=error understudy@${version}`);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ ok: 'true', 'exit-code': '0' });
  });

  it('installs the version input instead; a version npm cannot install is exit 2 naming the input', async () => {
    const npm = await fakeNpm();
    const latest = await runScript({ version: 'latest', scenarios: 'bad-request', args: '--offline' }, npm.env);
    expect(latest.code).toBe(0);
    expect(await readFile(npm.log, 'utf8')).toMatch(/ understudy@latest\n$/);

    const missing = await runScript({ version: '9.9.9', args: '--offline' }, { ...npm.env, FAKE_NPM_FAIL: '1' });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/^::error title=understudy action::could not install understudy@9\.9\.9 from npm \(check the version input\)$/m);
  });
});

describe('the action script', () => {
  it('runs a passing drill: exit 0, every output set, a summary table, a JUnit file, no annotation, no key anywhere', async () => {
    const run = await runScript({ scenarios: 'bad-key,\nbad-request', args: '--offline', junit: 'reports/drill.xml' });

    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ ok: 'true', passed: '2', failed: '0', 'failed-scenarios': '', 'exit-code': '0' });
    expect(run.outputs['summary']).toMatch(/^drill passed: 2\/2 scenarios in /);
    const junit = path.join(dir, 'reports', 'drill.xml');
    expect(run.outputs['junit']).toBe(junit);
    expect(await readFile(junit, 'utf8')).toMatch(/<testcase classname="bad-request"/);
    expect(run.summary).toMatch(/^### understudy drill\n/);
    expect(run.summary).toMatch(/\| bad-key \| ✓ pass \| backup \|/);
    expect(run.summary).toMatch(/\| bad-request \| ✓ pass \|/);
    expect(run.stderr).not.toMatch(/^::(error|warning)/m);
    // The offline keys are announced once with ::add-mask:: and appear nowhere else.
    const keys = [...run.stderr.matchAll(/^::add-mask::(.+)$/gm)].map((match) => match[1]!);
    expect(keys.length).toBeGreaterThan(0);
    const shown = [run.stdout, run.stderr.replace(/^::add-mask::.+$/gm, ''), run.summary, JSON.stringify(run.outputs), await readFile(junit, 'utf8')];
    for (const key of keys) for (const text of shown) expect(text).not.toContain(key);
  });

  it('fails the job on a failing drill: exit 1, ok=false, the failed scenario in outputs, an ::error annotation and a FAIL row', async () => {
    const config = await writeFatal503Config();
    const run = await runScript({ scenarios: 'bad-key server-error', args: `--offline --config ${config}` });

    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ ok: 'false', passed: '1', failed: '1', 'failed-scenarios': 'server-error', 'exit-code': '1' });
    expect(run.outputs['summary']).toMatch(/^drill FAILED: 1 of 2 scenarios failed \(server-error\)/);
    expect(run.stderr).toMatch(/^::error title=understudy drill%3A server-error::.*failed over from primary to backup/m);
    expect(run.summary).toMatch(/\| server-error \| ✗ FAIL \|/);
    expect(existsSync(run.outputs['junit']!)).toBe(true);
  });

  it('with require, a failed scenario that is not required is a warning and the job passes', async () => {
    const config = await writeFatal503Config();
    const run = await runScript({ scenarios: 'bad-key server-error', require: 'bad-key', args: `--offline --config ${config}` });

    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ ok: 'true', failed: '1', 'failed-scenarios': 'server-error', 'exit-code': '0' });
    expect(run.outputs['summary']).toMatch(/failed but not required: server-error$/);
    expect(run.stderr).toMatch(/^::warning title=understudy drill%3A server-error::/m);
    expect(run.stderr).not.toMatch(/^::error/m);
  });

  it('a required scenario that fails still fails the job', async () => {
    const config = await writeFatal503Config();
    const run = await runScript({ scenarios: 'bad-key server-error', require: 'server-error', args: `--offline --config ${config}` });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ ok: 'false', 'exit-code': '1' });
    expect(run.stderr).toMatch(/^::error title=understudy drill%3A server-error::/m);
  });

  it('with history, each run appends to it and the trend goes to the step summary, a failing scenario as a warning', async () => {
    const config = await writeFatal503Config();
    const first = await runScript({ scenarios: 'bad-key server-error', args: '--offline', history: 'drills/history.jsonl' });
    expect(first.code).toBe(0);
    expect(first.summary).toMatch(/### understudy drill trend\n\n1 run from /);
    expect(first.stderr).not.toMatch(/^::warning/m);

    const second = await runScript({ scenarios: 'bad-key server-error', args: `--offline --config ${config}`, history: 'drills/history.jsonl' });
    expect(second.code).toBe(1);
    const history = await readFile(path.join(dir, 'drills', 'history.jsonl'), 'utf8');
    expect(history.trimEnd().split('\n')).toHaveLength(2);
    // The summary holds the drill's table, then the trend over both runs.
    expect(second.summary.indexOf('### understudy drill\n')).toBeLessThan(second.summary.indexOf('### understudy drill trend'));
    expect(second.summary).toMatch(/\| server-error \| 2 \| 50% \(1\/2\) \|/);
    expect(second.stderr).toMatch(/^::warning title=understudy drill trend::server-error failed 1 of its last 2 runs, the latest among them$/m);
    expect(second.outputs).toMatchObject({ ok: 'false', 'exit-code': '1' });
  });

  it('a bad input is exit 2 with a message naming it, and no drill', async () => {
    const missing = await runScript({ 'working-directory': path.join(dir, 'nowhere'), args: '--offline' });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/^::error title=understudy action::working-directory ".*nowhere" does not exist$/m);

    const unknown = await runScript({ scenarios: 'bad-kee', args: '--offline' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown scenario "bad-kee"/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect(unknown.outputs).toMatchObject({ 'exit-code': '2' });
    expect(unknown.outputs['junit']).toBeUndefined();

    const notRun = await runScript({ scenarios: 'bad-key', require: 'recovery', args: '--offline' });
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toMatch(/--require "recovery": not among the scenarios this drill runs \(bad-key\)/);
  });
});
