import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../src/config/secrets.js';
import type { ProviderConfigInput } from '../../src/config/schema.js';
import { pingProviders, type PingOptions } from '../../src/health/ping.js';
import { UnknownProviderError } from '../../src/health/select.js';
import type { ProviderReport } from '../../src/health/types.js';
import { closeAll, closedPort, configOf, mockWithKey, secretKey } from './mock-setup.js';

afterEach(async () => {
  await closeAll();
  clearSecrets();
});

/** Pings one provider (the mock's default model unless given) and returns its report. */
async function pingOne(provider: Omit<ProviderConfigInput, 'name'> & { name?: string }, options: PingOptions = {}, timeoutMs = 2_000): Promise<ProviderReport> {
  const config = configOf({ timeoutMs, providers: [{ name: 'p', ...provider }] });
  const report = await pingProviders(config, { p: { env: 'P_API_KEY' } }, options);
  return report.providers[0]!;
}

function statuses(report: ProviderReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.name, check.skipped ? 'skipped' : check.warning ? 'warning' : check.ok ? 'ok' : 'failed']));
}

describe('pingProviders against the mock provider', () => {
  it('passes a healthy provider on every check, with a latency', async () => {
    const key = secretKey('good');
    const mock = await mockWithKey('good', key);
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' });
    expect(report.ok).toBe(true);
    expect(report.error).toBeNull();
    expect(statuses(report)).toEqual({ reach: 'ok', auth: 'ok', model: 'ok', completion: 'ok' });
    expect(report.latencyMs).toBeTypeOf('number');
  });

  it('calls the provider directly: one GET /models and one completion, no retries', async () => {
    const key = secretKey('direct');
    const mock = await mockWithKey('direct', key);
    mock.setFault({ type: 'status', status: 503 }, { paths: 'completions' });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini', retry: { maxRetries: 5 } });
    expect(report.ok).toBe(false);
    expect(mock.counters.models).toBe(1);
    expect(mock.counters.completions).toBe(1);
  });

  it('names the env variable and the last 4 characters of a rejected key (401, provider-only)', async () => {
    const key = secretKey('rejected');
    const mock = await mockWithKey('rejected', 'sk-the-right-key-000000000000');
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'provider-only', status: 401 });
    expect(report.error!.hint).toMatch(/^401: the key in P_API_KEY was rejected \(ends …x7Qa\)/);
    expect(report.error!.hint).not.toContain(key);
    expect(statuses(report)).toEqual({ reach: 'ok', auth: 'failed', model: 'skipped', completion: 'skipped' });
  });

  it('tells a closed port apart: connection refused at host:port, later checks skipped', async () => {
    const port = await closedPort();
    const report = await pingOne({ baseURL: `http://127.0.0.1:${port}/v1`, model: 'm' });
    expect(report.error).toMatchObject({ class: 'retryable', status: null });
    expect(report.error!.hint).toBe(`connection refused at 127.0.0.1:${port} — is the base URL right?`);
    expect(statuses(report)).toEqual({ reach: 'failed', auth: 'skipped', model: 'skipped', completion: 'skipped' });
    expect(report.checks.find((check) => check.name === 'auth')!.detail).toBe('skipped: reach failed');
  });

  it('times out a provider that hangs, naming the timeout', async () => {
    const key = secretKey('hang');
    const mock = await mockWithKey('hang', key);
    mock.setFault({ type: 'hang' });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' }, { timeoutMs: 200 });
    expect(report.error).toMatchObject({ class: 'retryable', status: null });
    expect(report.error!.hint).toMatch(/^no answer within 200 ms \(the ping timeout\)/);
    expect(statuses(report)).toMatchObject({ reach: 'ok', auth: 'failed' });
  });

  it('uses the configured timeout when --timeout is not given', async () => {
    const key = secretKey('hang2');
    const mock = await mockWithKey('hang2', key);
    mock.setFault({ type: 'hang' }, { paths: 'completions' });
    // Long enough for a first GET /models on a busy machine (a client's first call builds it).
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini', timeoutMs: 600 });
    expect(report.error!.hint).toMatch(/^no answer within 600 ms/);
    expect(statuses(report)).toMatchObject({ auth: 'ok', completion: 'failed' });
  });

  it('words an account out of credit as billing (provider-only), not as a rate limit to wait out', async () => {
    const key = secretKey('broke');
    const mock = await mockWithKey('broke', key);
    const quota = { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } };
    mock.setFault({ type: 'status', status: 429, body: quota }, { paths: 'completions' });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'provider-only', status: 429 });
    expect(report.error!.hint).toBe(
      '429: out of credit / billing (You exceeded your current quota, please check your plan and billing details.) — add credit or raise the spend limit for the key in P_API_KEY; retrying will not help',
    );
  });

  it("says a provider's content filter blocked the test prompt (fatal), pointing at its settings", async () => {
    const key = secretKey('filter');
    const mock = await mockWithKey('filter', key);
    const filtered = { error: { message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", type: null, param: 'prompt', code: 'content_filter', status: 400 } };
    mock.setFault({ type: 'status', status: 400, body: filtered }, { paths: 'completions' });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'fatal', status: 400 });
    expect(report.error!.hint).toMatch(/^400: the provider's content filter blocked the 1-token test prompt \(The response was filtered.*\) — check the deployment's content filter settings$/);
  });

  it('calls a 503 retryable and says the provider is having trouble', async () => {
    const key = secretKey('sick');
    const mock = await mockWithKey('sick', key);
    mock.setFault({ type: 'status', status: 503 });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'retryable', status: 503 });
    expect(report.error!.hint).toMatch(/^503: the provider is having trouble — it is retryable/);
  });

  it('suggests the nearest listed model for an unknown one (404, provider-only)', async () => {
    const key = secretKey('typo');
    const mock = await mockWithKey('typo', key);
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mni' });
    expect(report.error).toMatchObject({ class: 'provider-only', status: 404 });
    expect(report.error!.hint).toBe('model gpt-4o-mni not found; did you mean gpt-4o-mini?');
    // "Not listed" only warns: the completion's 404 is what fails the provider.
    expect(statuses(report)).toEqual({ reach: 'ok', auth: 'ok', model: 'warning', completion: 'failed' });
  });

  it('fails an unlisted model on the list alone with --no-completion, and spends nothing', async () => {
    const key = secretKey('cheap');
    const mock = await mockWithKey('cheap', key);
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mni' }, { completion: false });
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual({ reach: 'ok', auth: 'ok', model: 'failed' });
    expect(report.error).toMatchObject({ class: 'provider-only', hint: 'model gpt-4o-mni not found; did you mean gpt-4o-mini?' });
    expect(mock.counters.completions).toBe(0);
  });

  it('says an HTML 502 page came from a gateway, retryable', async () => {
    const key = secretKey('html');
    const mock = await mockWithKey('html', key);
    mock.setFault({ type: 'html', status: 502 });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'retryable', status: 502 });
    expect(report.error!.hint).toMatch(/^502: an HTML error page came back instead of JSON/);
  });

  it('says quota or rate limit for a 429', async () => {
    const key = secretKey('limited');
    const mock = await mockWithKey('limited', key);
    mock.setFault({ type: 'status', status: 429, headers: { 'retry-after': '2' } }, { paths: 'completions' });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'retryable', status: 429 });
    expect(report.error!.hint).toMatch(/^429: rate limited \(it asks to wait 2\.0 s\)/);
  });

  it('says the base URL is probably wrong when GET /models is a 404 and so is the completion tried instead', async () => {
    const key = secretKey('nov1');
    const mock = await mockWithKey('nov1', key);
    const report = await pingOne({ baseURL: mock.baseURL.replace(/\/v1$/, ''), apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'provider-only', status: 404 });
    expect(report.error!.hint).toMatch(/\/chat\/completions returned 404 \(.*\) and GET \/models did too — check the base URL \(most end in \/v1\) and the model gpt-4o-mini$/);
    const frugal = await pingOne({ baseURL: mock.baseURL.replace(/\/v1$/, ''), apiKey: key, model: 'gpt-4o-mini' }, { completion: false });
    expect(frugal.error!.hint).toMatch(/\/models returned 404 — the base URL is probably wrong \(most end in \/v1\)$/);
  });

  it('tells a TLS failure apart: https to a plain-HTTP port', async () => {
    const key = secretKey('tls');
    const mock = await mockWithKey('tls', key);
    const report = await pingOne({ baseURL: mock.baseURL.replace('http:', 'https:'), apiKey: key, model: 'gpt-4o-mini' });
    expect(report.error).toMatchObject({ class: 'retryable', status: null });
    expect(report.error!.message).toMatch(/^TLS handshake/);
    expect(report.error!.hint).toMatch(/does not speak TLS — should the base URL start with http:\/\//);
  });

  it('tells a DNS failure apart (ENOTFOUND vs EAI_AGAIN), without a real resolver', async () => {
    const failing = (code: string) => async () => {
      throw Object.assign(new Error(`getaddrinfo ${code}`), { code });
    };
    const notFound = await pingOne({ baseURL: 'https://api.exmaple.test/v1', model: 'm' }, { lookup: failing('ENOTFOUND') });
    expect(notFound.error!.hint).toBe('host api.exmaple.test does not resolve (ENOTFOUND) — check the host name in the base URL');
    const flaky = await pingOne({ baseURL: 'https://api.example.test/v1', model: 'm' }, { lookup: failing('EAI_AGAIN') });
    expect(flaky.error!.hint).toMatch(/^DNS lookup of api.example.test failed \(EAI_AGAIN\)/);
  });

  it('names the step a reach timeout cut short', async () => {
    const never = () => new Promise<{ address: string }>(() => {});
    const report = await pingOne({ baseURL: 'https://slow-dns.test/v1', model: 'm' }, { lookup: never, timeoutMs: 50 });
    expect(report.error).toMatchObject({ class: 'retryable', status: null });
    expect(report.error!.hint).toMatch(/^no DNS answer for slow-dns.test within 50 ms/);
  });

  it('streams with --stream and reports the time to first token', async () => {
    const key = secretKey('stream');
    const mock = await mockWithKey('stream', key);
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' }, { stream: true });
    const stream = report.checks.find((check) => check.name === 'stream')!;
    expect(stream).toMatchObject({ ok: true });
    expect(stream.firstTokenMs).toBeTypeOf('number');
    expect(stream.detail).toMatch(/^first token in \d+ ms$/);
    expect(mock.counters.streams).toBe(1);
  });

  it('fails a stream whose first token never comes, as a first-token timeout', async () => {
    const key = secretKey('slow');
    const mock = await mockWithKey('slow', key);
    mock.setFault({ type: 'slow-first-token', delayMs: 5_000 }, { paths: 'completions' });
    // Only the stream is slow here: the plain completion's whole answer is late too, so skip it.
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini' }, { stream: true, completion: false, timeoutMs: 200 });
    expect(statuses(report)).toMatchObject({ stream: 'failed' });
    expect(report.error!.hint).toMatch(/^no first token within 200 ms/);
  });
});

describe('pingProviders over a list', () => {
  it('pings every provider in parallel and fails when any fails', async () => {
    const key = secretKey('list');
    const good = await mockWithKey('good', key);
    const hung = await mockWithKey('hung', key);
    hung.setFault({ type: 'hang' });
    const config = configOf({
      providers: [
        { name: 'hung', baseURL: hung.baseURL, apiKey: key, model: 'gpt-4o-mini' },
        { name: 'good', baseURL: good.baseURL, apiKey: key, model: 'gpt-4o-mini' },
      ],
    });
    const finished: string[] = [];
    const report = await pingProviders(config, {}, { timeoutMs: 250, onProvider: (provider) => finished.push(provider.name) });
    // In parallel: the good one finishes first although it comes second.
    expect(finished).toEqual(['good', 'hung']);
    expect(report.providers.map((provider) => provider.name)).toEqual(['hung', 'good']);
    expect(report).toMatchObject({ ok: false, healthy: 1, required: 2 });
  });

  it('passes with --require N when N providers are healthy', async () => {
    const key = secretKey('require');
    const good = await mockWithKey('good', key);
    const port = await closedPort();
    const config = configOf({
      providers: [
        { name: 'dead', baseURL: `http://127.0.0.1:${port}/v1`, model: 'm' },
        { name: 'good', baseURL: good.baseURL, apiKey: key, model: 'gpt-4o-mini' },
      ],
    });
    expect(await pingProviders(config, {}, { require: 1 })).toMatchObject({ ok: true, healthy: 1, required: 1 });
    expect(await pingProviders(config, {}, { require: 2 })).toMatchObject({ ok: false });
  });

  it('pings only the providers named, and rejects an unknown name listing the known ones', async () => {
    const key = secretKey('subset');
    const good = await mockWithKey('good', key);
    const config = configOf({
      providers: [
        { name: 'a', baseURL: good.baseURL, apiKey: key, model: 'gpt-4o-mini' },
        { name: 'b', baseURL: good.baseURL, apiKey: key, model: 'gpt-4o-mini' },
      ],
    });
    const report = await pingProviders(config, {}, { providers: ['b'] });
    expect(report.providers.map((provider) => provider.name)).toEqual(['b']);
    const error = await pingProviders(config, {}, { providers: ['c'] }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnknownProviderError);
    expect((error as Error).message).toBe('unknown provider "c"; the config has a, b');
  });
});

describe('ping and slowMs', () => {
  it('flags a provider whose answer took longer than its slowMs as degraded, without failing it', async () => {
    const key = secretKey('slow');
    const mock = await mockWithKey('slow', key);
    mock.setFault({ type: 'slow-first-token', delayMs: 300 }, { paths: 'completions' });
    const report = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini', slowMs: 100 });
    expect(report.ok).toBe(true);
    expect(report.degraded).toEqual({ latencyMs: report.latencyMs, slowMs: 100 });
    expect(report.latencyMs).toBeGreaterThanOrEqual(300);
    const fast = await pingOne({ baseURL: mock.baseURL, apiKey: key, model: 'gpt-4o-mini', slowMs: 60_000 });
    expect(fast.degraded).toBeUndefined();
  });
});
