import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, runCli } from '../support/cli.js';
import { startProviders, tempDir, type Providers } from '../run/helpers.js';

// The built CLI (`npm run build`), as a user runs it, exporting to a receiver in this test.
beforeAll(() => ensureBuilt('dist/setup/telemetry.js'), 120_000);

interface Export {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: OtlpDocument;
}

/** The parts of an OTLP/HTTP JSON export these tests read. */
interface OtlpDocument {
  resourceSpans?: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
  resourceMetrics?: { resource: { attributes: KeyValue[] }; scopeMetrics: { metrics: { name: string }[] }[] }[];
}
interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean };
}
interface OtlpSpan {
  name: string;
  spanId: string;
  parentSpanId?: string;
  attributes: KeyValue[];
  events?: { name: string }[];
}

let receiver: Server | undefined;
let gateway: ChildProcess | undefined;
let providers: Providers | undefined;
let files: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  if (gateway?.exitCode === null) gateway.kill('SIGKILL');
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  receiver = undefined;
  await providers?.close();
  files?.cleanup();
});

/** An OTLP/HTTP receiver on loopback: records every export and accepts it. */
async function startReceiver(status = 200): Promise<{ url: string; exports: Export[] }> {
  const exports: Export[] = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      exports.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body) as OtlpDocument });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, exports };
}

/** A config whose primary is dead (every call refused) and whose backup answers. */
async function deadPrimaryConfig(): Promise<string> {
  providers = await startProviders();
  await providers.primary.setFault({ type: 'refuse' });
  files = tempDir();
  const config = files.path('understudy.config.json');
  writeFileSync(config, JSON.stringify(providers.config));
  return config;
}

const spansOf = (exports: Export[]) =>
  exports.filter((e) => e.path === '/v1/traces').flatMap((e) => e.body.resourceSpans!.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
const attribute = (attributes: KeyValue[], key: string) => {
  const value = attributes.find((candidate) => candidate.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? value?.boolValue : Number(value.intValue));
};

describe('understudy run --otel', () => {
  it('exports the failover as spans and metrics (OTLP/HTTP JSON), with the standard OTEL_* settings and no token in any output', async () => {
    const config = await deadPrimaryConfig();
    const { url, exports } = await startReceiver();
    const token = 'otlp-token-5f1e9c2a77';
    const result = await runCli(['run', '--config', config, '--otel', 'Say hello'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: url,
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${token},x-team=agents`,
      OTEL_SERVICE_NAME: 'nightly-agent',
    });
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);

    const traces = exports.filter((e) => e.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]!.headers['content-type']).toContain('application/json');
    expect(traces[0]!.headers['authorization']).toBe(`Bearer ${token}`);
    expect(attribute(traces[0]!.body.resourceSpans![0]!.resource.attributes, 'service.name')).toBe('nightly-agent');

    const spans = spansOf(exports);
    const root = spans.find((span) => span.name === 'chat')!;
    expect(root).toBeDefined();
    expect(attribute(root.attributes, 'gen_ai.operation.name')).toBe('chat');
    expect(attribute(root.attributes, 'gen_ai.provider.name')).toBe('backup');
    expect(attribute(root.attributes, 'understudy.failover')).toBe(true);
    expect(root.events?.map((event) => event.name)).toContain('understudy.failover');
    const calls = spans.filter((span) => span.parentSpanId === root.spanId);
    expect(calls.map((span) => [span.name, attribute(span.attributes, 'error.type')])).toEqual([
      ['chat primary-model', 'connection'],
      ['chat backup-model', undefined],
    ]);

    const metrics = exports
      .filter((e) => e.path === '/v1/metrics')
      .flatMap((e) => e.body.resourceMetrics!.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((metric) => metric.name))));
    expect(metrics).toEqual(expect.arrayContaining(['gen_ai.client.operation.duration', 'understudy.failovers', 'understudy.breaker.state']));

    for (const text of [result.stdout, result.stderr, JSON.stringify(exports.map((e) => e.body))]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('sk-test-primary-0001');
    }
  });

  it('OTEL_SDK_DISABLED=true exports nothing, even with an endpoint set', async () => {
    const config = await deadPrimaryConfig();
    const { url, exports } = await startReceiver();
    const result = await runCli(['run', '--config', config, 'Say hello'], { OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_SDK_DISABLED: 'true' });
    expect(result.code).toBe(0);
    expect(exports).toEqual([]);
  });

  it('a collector that refuses the export is told on stderr, once, without failing the command', async () => {
    const { url } = await startReceiver(401);
    const result = await runCli(['run', '--offline', '--otel', 'hi'], { OTEL_EXPORTER_OTLP_ENDPOINT: url });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('understudy: OpenTelemetry: traces export failed: Unauthorized');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed OTEL_* setting is a usage error naming the variable, without echoing a header value', async () => {
    const bad = await runCli(['run', '--offline', '--otel', 'hi'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost 4318' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT is not a URL');
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const header = await runCli(['run', '--offline', '--otel', 'hi'], { OTEL_EXPORTER_OTLP_HEADERS: 'Bearer-secret-value-9931' });
    expect(header.code).toBe(2);
    expect(header.stderr).toContain('OTEL_EXPORTER_OTLP_HEADERS: entry 1 is not key=value');
    expect(header.stderr).not.toContain('Bearer-secret-value-9931');
  });
});

describe('serve and drill --otel', () => {
  it('serve: the gateway (in its own Node) exports each request, and sends the last spans on Ctrl-C', async () => {
    const { url, exports } = await startReceiver();
    gateway = spawn(process.execPath, [cli, 'serve', '--offline', '--otel', '--port', '0', '--json'], {
      env: { ...process.env, CI: '1', NO_COLOR: '1', OTEL_EXPORTER_OTLP_ENDPOINT: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [line] = (await once(gateway.stdout!, 'data')) as [Buffer];
    const { baseURL } = JSON.parse(line.toString()) as { baseURL: string };
    const answer = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(answer.status).toBe(200);
    // Batched spans wait for the schedule (5 s) or the exit; Ctrl-C must send them.
    expect(spansOf(exports)).toEqual([]);
    gateway.kill('SIGINT');
    const [code] = (await once(gateway, 'exit')) as [number | null];
    expect(code).toBe(130);
    const root = spansOf(exports).find((span) => span.name === 'chat');
    expect(root && attribute(root.attributes, 'gen_ai.provider.name')).toBe(answer.headers.get('x-understudy-provider'));
  });

  it('drill: the failovers of its scenarios are exported', async () => {
    const { url, exports } = await startReceiver();
    const result = await runCli(['drill', '--offline', '--otel', '--scenario', 'server-error', '--json'], { OTEL_EXPORTER_OTLP_ENDPOINT: url });
    expect(result.code).toBe(0);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    const failedOver = spansOf(exports).filter((span) => span.name === 'chat' && attribute(span.attributes, 'understudy.failover') === true);
    expect(failedOver.length).toBeGreaterThan(0);
  });
});
