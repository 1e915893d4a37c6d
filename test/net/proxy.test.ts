import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/normalize.js';
import { maskSecrets } from '../../src/config/secrets.js';
import { proxyFor } from '../../src/net/proxy.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];

beforeEach(() => {
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, '');
  return () => vi.unstubAllEnvs();
});

const via = (baseURL: string) => proxyFor(baseURL)?.display;

describe('proxyFor', () => {
  it('takes HTTPS_PROXY for https base URLs and HTTP_PROXY for http ones', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://secure-proxy.corp:3128');
    vi.stubEnv('HTTP_PROXY', 'http://plain-proxy.corp:3128');
    expect(via('https://api.openai.com/v1')).toBe('http://secure-proxy.corp:3128');
    expect(via('http://models.internal:8000/v1')).toBe('http://plain-proxy.corp:3128');
  });

  it('prefers the lower-case variable, and falls back to ALL_PROXY', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://upper:1');
    vi.stubEnv('https_proxy', 'http://lower:2');
    vi.stubEnv('ALL_PROXY', 'http://all:3');
    expect(via('https://api.openai.com/v1')).toBe('http://lower:2');
    expect(via('http://models.internal/v1')).toBe('http://all:3');
  });

  it('connects directly when no variable is set', () => {
    expect(proxyFor('https://api.openai.com/v1')).toBeUndefined();
  });

  it.each([
    ['the exact host', 'api.groq.com', 'https://api.groq.com/openai/v1', undefined],
    ['another host', 'api.groq.com', 'https://api.openai.com/v1', 'http://proxy:3128'],
    ['a .suffix', '.internal.corp', 'https://llm.internal.corp/v1', undefined],
    ['a *.suffix', '*.internal.corp', 'https://llm.internal.corp/v1', undefined],
    ['host:port on that port', 'llm.corp:8443', 'https://llm.corp:8443/v1', undefined],
    ['host:port on another port', 'llm.corp:8443', 'https://llm.corp/v1', 'http://proxy:3128'],
    ['a list with spaces and commas', 'a.corp, llm.corp ,b.corp', 'https://llm.corp/v1', undefined],
    ['*', '*', 'https://api.openai.com/v1', undefined],
  ])('honours NO_PROXY: %s', (_name, noProxy, baseURL, expected) => {
    vi.stubEnv('HTTPS_PROXY', 'http://proxy:3128');
    vi.stubEnv('NO_PROXY', noProxy);
    expect(via(baseURL)).toBe(expected);
  });

  it.each(['http://127.0.0.1:11434/v1', 'http://127.8.0.1/v1', 'http://localhost:8080/v1', 'http://ollama.localhost/v1', 'http://[::1]:8080/v1'])(
    'never proxies the loopback host of %s (a local model server, the offline mock)',
    (baseURL) => {
      vi.stubEnv('HTTP_PROXY', 'http://proxy:3128');
      expect(proxyFor(baseURL)).toBeUndefined();
    },
  );

  it('keeps credentials out of the display, sends them as Proxy-Authorization, and masks the password', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://me%40corp:s3cr%3At-pw@proxy.corp:3128');
    const route = proxyFor('https://api.openai.com/v1')!;
    expect(route.display).toBe('http://proxy.corp:3128');
    expect(route.authorization).toBe(`Basic ${Buffer.from('me@corp:s3cr:t-pw').toString('base64')}`);
    expect(maskSecrets('password s3cr:t-pw, as written s3cr%3At-pw')).toBe('password ***, as written ***');
  });

  it('rejects a value that is not a URL, naming the variable and quoting nothing of it', () => {
    vi.stubEnv('https_proxy', 'proxy corp 3128 hunter2');
    const error = catchError(() => proxyFor('https://api.openai.com/v1'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('https_proxy (environment): not a URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects a SOCKS proxy, naming the variable, without its password', () => {
    vi.stubEnv('ALL_PROXY', 'socks5://me:sockspw1@proxy.corp:1080');
    const error = catchError(() => proxyFor('https://api.openai.com/v1'));
    expect(error.message).toContain('ALL_PROXY (environment): socks5 proxies are not supported (http:// or https:// only)');
    expect(error.message).not.toContain('sockspw1');
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}
