import type { KeySource } from '../config/key-sources.js';
import { presets } from '../config/presets.js';
import type { ProviderConfig } from '../config/schema.js';
import { keyHint } from '../config/secrets.js';
import type { AttemptError } from '../engine/types.js';
import { formatMs } from '../report/format.js';
import { formatTarget, type ReachPhase, type ReachTarget } from '../net/reach.js';
import { closestModel } from './suggest.js';

/**
 * One actionable sentence per failure: what is wrong, where, and what to try. A hint may name
 * the environment variable or file a key came from and the key's last four characters, never
 * more of it.
 */

/** What a hint may draw on besides the error itself. */
export interface HintContext {
  readonly provider: ProviderConfig;
  /** Where the provider's key came from; undefined for a key written in the config, or none. */
  readonly keySource: KeySource | undefined;
  readonly target: ReachTarget;
  /** The timeout the failed check had. */
  readonly timeoutMs: number;
  /** Model ids the provider listed, when the auth check got that far. */
  readonly listedModels?: readonly string[];
}

/** Extra facts about a failure that the failure class does not carry. */
export interface FailureFacts {
  /** Which check failed. */
  readonly check: string;
  /** For the reach check: the step that failed and Node's error code. */
  readonly phase?: ReachPhase;
  readonly code?: string;
  /** The error body was an HTML page (a gateway or proxy answered, not the API). */
  readonly html?: boolean;
  /** For the key check: the call that failed, the model list or the 1-token completion after it. */
  readonly via?: 'models' | 'completion';
}

/** The hint for `error`, found by `facts.check`, in the context of one provider. */
export function hintFor(error: AttemptError, facts: FailureFacts, context: HintContext): string {
  if (facts.phase) return reachHint(error, facts.phase, facts.code, context);
  switch (error.kind) {
    case 'auth':
      return authHint(error.status ?? 401, context);
    case 'not-found':
      if (facts.check !== 'auth') return modelHint(context);
      return facts.via === 'completion' ? noListNotFoundHint(error.message, context) : baseUrlHint(context);
    case 'timeout':
      return `${facts.check === 'stream' && error.timeout === 'first-token' ? 'no first token' : 'no answer'} within ${formatMs(context.timeoutMs)} (the ping timeout) — the provider may be overloaded; try again, or raise --timeout`;
    case 'rate-limit': {
      const wait = error.retryAfterMs !== undefined ? ` (it asks to wait ${formatMs(error.retryAfterMs)})` : '';
      return `429: rate limited${wait} — it is retryable, so try again later; if it persists, check the account's rate limits`;
    }
    case 'quota':
      return `${error.status ?? 429}: out of credit / billing (${error.message}) — add credit or raise the spend limit for ${describeKey(context)}; retrying will not help`;
    case 'content-filter':
      return `${error.status ?? 400}: the provider's content filter blocked the 1-token test prompt (${error.message}) — check the deployment's content filter settings`;
    case 'server':
      return facts.html
        ? `${error.status ?? '5xx'}: an HTML error page came back instead of JSON — a gateway in front of the provider is failing; it is retryable, try again shortly`
        : `${error.status ?? '5xx'}: the provider is having trouble — it is retryable: try again shortly, or check its status page`;
    case 'malformed':
      return `the answer is not an OpenAI-compatible response (${error.message}) — does the base URL ${context.provider.baseURL ?? ''} point at the API, not a website or proxy page?`;
    case 'connection':
      return `${error.message} at ${formatTarget(context.target)} during the request — a proxy or the provider dropped it; it is retryable, try again`;
    case 'context-length':
    case 'bad-request':
      return `${error.status ?? 400}: the provider rejected a 1-token test request (${error.message}) — check the model name and any custom headers`;
    case 'aborted':
      return 'the ping was interrupted';
    default:
      // A kind added to the engine later: still say something true rather than nothing.
      return `${error.message} — see the provider's documentation`;
  }
}

/** "the key in OPENAI_API_KEY", "the key in file ./key.txt", "the apiKey in the config". */
export function describeKey(context: Pick<HintContext, 'provider' | 'keySource'>): string {
  const source = context.keySource;
  if (source?.env) return `the key in ${source.env}`;
  if (source?.file) return `the key in file ${source.file}`;
  return 'the apiKey in the config';
}

function authHint(status: number, context: HintContext): string {
  const { provider } = context;
  if (!provider.apiKey) {
    const variable = provider.preset ? presets[provider.preset]?.keyEnv : undefined;
    const example = variable ? ` (e.g. apiKey: "\${${variable}}")` : '';
    return `${status}: no API key is configured for ${provider.name} — set apiKey or apiKeyFile${example}`;
  }
  const key = describeKey(context);
  const ends = `(ends ${keyHint(provider.apiKey)})`;
  if (status === 403) return `403: ${key} was accepted but lacks access ${ends} — check its permissions, project or region`;
  return `${status}: ${key} was rejected ${ends} — check it is current and belongs to ${context.target.host}`;
}

function baseUrlHint(context: HintContext): string {
  const baseURL = context.provider.baseURL ?? '';
  return `GET ${baseURL.replace(/\/$/, '')}/models returned 404 — the base URL is probably wrong${versionHint(baseURL)}`;
}

function versionHint(baseURL: string): string {
  const versioned = /\/v\d[\w.]*\/?$/.test(new URL(baseURL).pathname) || /\/openai\/?$/.test(baseURL);
  return versioned ? '' : ' (most end in /v1)';
}

/** Neither the model list nor the completion tried for want of one was found. */
function noListNotFoundHint(message: string, context: HintContext): string {
  const baseURL = (context.provider.baseURL ?? '').replace(/\/$/, '');
  return `POST ${baseURL}/chat/completions returned 404 (${message}) and GET /models did too — check the base URL${versionHint(baseURL)} and the model ${context.provider.model}`;
}

function modelHint(context: HintContext): string {
  const model = context.provider.model;
  const listed = context.listedModels ?? [];
  const suggestion = closestModel(model, listed);
  if (suggestion) return `model ${model} not found; did you mean ${suggestion}?`;
  if (listed.length === 0) return `model ${model} not found at ${context.target.host} — check the model name`;
  const some = listed.slice(0, 3).join(', ');
  return `model ${model} not found — it lists ${listed.length} model${listed.length === 1 ? '' : 's'}, e.g. ${some}`;
}

function reachHint(error: AttemptError, phase: ReachPhase, code: string | undefined, context: HintContext): string {
  const where = formatTarget(context.target);
  const host = context.target.host;
  const proxy = context.target.proxy?.display;
  if (error.kind === 'timeout') {
    const what =
      phase === 'dns' ? `no DNS answer for ${host}` : phase === 'tcp' ? `no TCP connection to ${where}` : phase === 'proxy' ? `no tunnel to ${where} from the proxy ${proxy ?? ''}` : `no TLS handshake with ${where}`;
    return `${what} within ${formatMs(context.timeoutMs)} — a firewall, VPN or proxy may be in the way, or the host is down`;
  }
  // Behind a proxy, these steps were the proxy's: its message names it.
  if (proxy && (phase === 'tcp' || phase === 'dns')) {
    return `${error.message} — check HTTPS_PROXY / HTTP_PROXY, or add ${host} to NO_PROXY if it can be reached directly`;
  }
  if (phase === 'dns') {
    if (code === 'ENOTFOUND') return `host ${host} does not resolve (ENOTFOUND) — check the host name in the base URL`;
    return `DNS lookup of ${host} failed${code ? ` (${code})` : ''} — check this machine's network and DNS settings`;
  }
  if (phase === 'proxy') {
    const fix = code === '407' ? 'check the user and password in the proxy URL (HTTPS_PROXY)' : 'the proxy may not allow this host; or, if it can be reached directly, add it to NO_PROXY';
    return `the proxy ${proxy ?? ''} refused a tunnel to ${where}${code ? ` (${code})` : ''} — ${fix}`;
  }
  if (phase === 'tcp') {
    if (code === 'ECONNREFUSED') return `connection refused at ${where} — is the base URL right?`;
    if (code === 'ECONNRESET') return `connection reset by ${where} — a firewall or proxy may be cutting it`;
    return `cannot connect to ${where}${code ? ` (${code})` : ''} — check the network, firewall or VPN`;
  }
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(error.message)) {
    return `${where} does not speak TLS — should the base URL start with http:// instead of https://?`;
  }
  if (code && /CERT|SELF_SIGNED|ALTNAME/.test(code)) {
    return `the TLS certificate of ${host} was not accepted (${code}) — if your own CA or an intercepting proxy signs it, set the provider's \`ca\` to that CA's PEM file (or NODE_EXTRA_CA_CERTS for every connection)`;
  }
  return `TLS handshake with ${where} failed${code ? ` (${code})` : ''} — check the URL scheme and port`;
}
