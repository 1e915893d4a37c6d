import { describe, expect, it } from 'vitest';
import { interpolateString, interpolateTree } from '../../src/config/interpolate.js';

const env = { KEY: 'sk-123', EMPTY: '', HOST: 'example.test' };

describe('interpolateString', () => {
  it('replaces ${VAR} with the variable and records which variable was used', () => {
    const result = interpolateString('Bearer ${KEY}', env);
    expect(result).toEqual({ value: 'Bearer sk-123', variables: [{ name: 'KEY', value: 'sk-123' }], problems: [] });
  });

  it('reports an unset ${VAR} by name', () => {
    expect(interpolateString('${MISSING}', env).problems).toEqual(['environment variable MISSING is not set']);
  });

  it('keeps an empty ${VAR} as empty (only :? rejects empty)', () => {
    expect(interpolateString('a${EMPTY}b', env)).toMatchObject({ value: 'ab', problems: [] });
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty, and the variable otherwise', () => {
    expect(interpolateString('https://${MISSING:-localhost:8080}/v1', env)).toEqual({
      value: 'https://localhost:8080/v1',
      variables: [],
      problems: [],
    });
    expect(interpolateString('${EMPTY:-fallback}', env).value).toBe('fallback');
    expect(interpolateString('${HOST:-localhost}', env).value).toBe('example.test');
    expect(interpolateString('${MISSING:-}', env)).toMatchObject({ value: '', problems: [] });
  });

  it("reports ${VAR:?message} when unset or empty, with the user's message", () => {
    expect(interpolateString('${MISSING:?ask ops for the key}', env).problems).toEqual([
      'environment variable MISSING is not set: ask ops for the key',
    ]);
    expect(interpolateString('${EMPTY:?ask ops}', env).problems).toEqual(['environment variable EMPTY is empty: ask ops']);
    expect(interpolateString('${MISSING:?}', env).problems).toEqual(['environment variable MISSING is not set']);
    expect(interpolateString('${KEY:?never shown}', env)).toMatchObject({ value: 'sk-123', problems: [] });
  });

  it('turns $${ into a literal ${ without reading the environment', () => {
    expect(interpolateString('price: $${KEY} and ${KEY}', env)).toMatchObject({
      value: 'price: ${KEY} and sk-123',
      problems: [],
    });
  });

  it('leaves a lone $ alone, so keys and passwords may contain one', () => {
    expect(interpolateString('pa$$w$rd$', env)).toMatchObject({ value: 'pa$$w$rd$', problems: [] });
  });

  it('collects every problem in one string', () => {
    expect(interpolateString('${A}-${B:?need B}-${KEY}', env).problems).toEqual([
      'environment variable A is not set',
      'environment variable B is not set: need B',
    ]);
  });

  it('rejects malformed references instead of passing them through', () => {
    expect(interpolateString('${KEY', env).problems).toEqual([expect.stringMatching(/^unclosed "\$\{"/)]);
    expect(interpolateString('${KEY-default}', env).problems).toEqual([expect.stringMatching(/not a valid reference; use \$\{NAME\}/)]);
    expect(interpolateString('${}', env).problems).toHaveLength(1);
    expect(interpolateString('${A:-${KEY}}', env).problems).toEqual([expect.stringMatching(/nested references are not supported/)]);
  });
});

describe('interpolateTree', () => {
  it('interpolates strings at any depth, copying rather than mutating the input', () => {
    const input = { providers: [{ apiKey: '${KEY}', headers: { 'X-Host': '${HOST}' } }], timeoutMs: 5, on: true };
    const result = interpolateTree(input, env);
    expect(result.value).toEqual({ providers: [{ apiKey: 'sk-123', headers: { 'X-Host': 'example.test' } }], timeoutMs: 5, on: true });
    expect(input.providers[0]!.apiKey).toBe('${KEY}');
    expect(result.fields.map((field) => field.path)).toEqual([
      ['providers', 0, 'apiKey'],
      ['providers', 0, 'headers', 'X-Host'],
    ]);
  });

  it('names the field path of every problem', () => {
    const result = interpolateTree({ providers: [{ model: 'm' }, { apiKey: '${NOPE}', baseURL: '${ALSO_NOPE:?set it}' }] }, env);
    expect(result.issues).toEqual([
      { path: 'providers[1].apiKey', message: 'environment variable NOPE is not set' },
      { path: 'providers[1].baseURL', message: 'environment variable ALSO_NOPE is not set: set it' },
    ]);
  });

  it('does not interpolate keys', () => {
    expect(interpolateTree({ '${KEY}': 'x' }, env).value).toEqual({ '${KEY}': 'x' });
  });
});
