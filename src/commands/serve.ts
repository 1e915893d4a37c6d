import type { Command } from 'commander';
import { OTEL_OPTION, runAction, withCommonOptions } from './action.js';
import type { ServeCommandOptions } from '../serve/serve-service.js';

const HELP = `
Any OpenAI-compatible client gets failover with one environment variable:
  OPENAI_BASE_URL=http://127.0.0.1:4141/v1
The client's "model" is an alias: each provider is sent its own model. Every answer carries
x-understudy-provider, x-understudy-attempts and x-understudy-failover headers. A stream is held
until its first chunk, so a failover before it is invisible; a provider failing after it ends the
stream with an SSE error event, never a clean close of a cut answer. Every provider failed: 503
with Retry-After and each provider's reason; a request the provider rejects (400) passes through.

Also: GET /v1/models, /healthz (up), /readyz (a provider is usable), /metrics (Prometheus),
/events (engine events as server-sent events).

Listens on 127.0.0.1 (serve.host, serve.port in the config). Beyond loopback, client tokens are
required: serve: { tokens: ["\${GATEWAY_TOKEN}"] }, sent as "Authorization: Bearer <token>".

Stops on SIGTERM (exit 0) or Ctrl-C (exit 130) once the requests in flight have finished; a second
signal stops at once. Exit 2: usage or config error (also: a non-loopback --host without tokens).`;

/** `understudy serve`: the engine as a local OpenAI-compatible gateway. */
export function defineServe(program: Command): void {
  withCommonOptions(
    program
      .command('serve')
      .description('serve the failover engine as an OpenAI-compatible endpoint (OPENAI_BASE_URL=http://127.0.0.1:4141/v1)')
      .option('--host <address>', 'address to listen on (default: serve.host, 127.0.0.1); beyond loopback, serve.tokens are required')
      .option('-p, --port <n>', 'port to listen on (default: serve.port, 4141; 0 for a free one)')
      .option('--offline', 'serve two built-in mock providers instead of a config (demo)')
      .option(...OTEL_OPTION),
  )
    .addHelpText('after', HELP)
    .action((options: ServeCommandOptions) =>
      runAction(async () => {
        // Lazily: the engine, the SDK and the HTTP server load only when serve actually runs.
        const { serveCommand } = await import('../serve/serve-service.js');
        return serveCommand(options);
      }),
    );
}
