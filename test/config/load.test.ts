import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/normalize.js';
import { clearSecrets, maskSecrets } from '../../src/config/secrets.js';
import { makeTempProject, thrown, type TempProject } from './temp-project.js';

const fixtures = fileURLToPath(new URL('../../fixtures/configs/', import.meta.url));
const fixture = (name: string) => path.join(fixtures, name);

let project: TempProject | undefined;
beforeEach(() => clearSecrets());
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

/** The issues of the ConfigError that `action` throws, as `path: message` lines. */
async function issuesOf(action: () => Promise<unknown>): Promise<string[]> {
  const error = await thrown(action);
  if (!(error instanceof ConfigError)) throw error;
  return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe('loadConfig with --config', () => {
  it('loads a YAML config with two providers, interpolating keys and defaults', async () => {
    const env = { OPENAI_API_KEY: 'sk-openai-test-0001', FALLBACK_API_KEY: 'sk-fallback-test-0002' };
    const loaded = await loadConfig({ configPath: fixture('two-providers.yaml'), env });
    expect(loaded.filepath).toBe(fixture('two-providers.yaml'));
    expect(loaded.config.providers).toMatchObject([
      { name: 'primary', apiKey: 'sk-openai-test-0001', baseURL: 'https://api.openai.com/v1' },
      { name: 'fallback', apiKey: 'sk-fallback-test-0002', baseURL: 'http://127.0.0.1:11434/v1' },
    ]);
    expect(loaded.config.retry.maxRetries).toBe(1);
    expect(loaded.keySources).toEqual({ primary: { env: 'OPENAI_API_KEY' }, fallback: { env: 'FALLBACK_API_KEY' } });
  });

  it('loads a JSON config; a provider without a key has no key source', async () => {
    const loaded = await loadConfig({ configPath: fixture('basic.json'), env: { GROQ_API_KEY: 'gsk-test-0003' } });
    expect(loaded.config.providers.map((provider) => provider.apiKey)).toEqual(['gsk-test-0003', undefined]);
    expect(loaded.config.breaker.failureThreshold).toBe(5);
    expect(loaded.keySources).toEqual({ primary: { env: 'GROQ_API_KEY' }, local: undefined });
  });

  it('loads a TypeScript config that imports defineConfig, without a build step', async () => {
    const loaded = await loadConfig({ configPath: fixture('typed.ts'), env: { MISTRAL_API_KEY: 'mk-test-0004' } });
    expect(loaded.config.timeoutMs).toBe(20_000);
    expect(loaded.config.providers[0]).toMatchObject({ apiKey: 'mk-test-0004', baseURL: 'https://api.mistral.ai/v1' });
  });

  it('resolves a relative --config against cwd', async () => {
    const loaded = await loadConfig({ configPath: 'configs/basic.json', cwd: path.dirname(fixtures), env: { GROQ_API_KEY: 'x' } });
    expect(loaded.filepath).toBe(fixture('basic.json'));
  });

  it('names the missing file', async () => {
    const error = await thrown(() => loadConfig({ configPath: '/nowhere/understudy.yaml', env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('config file not found: /nowhere/understudy.yaml; check the --config path');
  });

  it('loads the literal ${ written as $${', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'c.yaml',
      'providers:\n  - name: p\n    baseURL: http://127.0.0.1:1/v1\n    model: "tmpl-$${name}"\n',
    );
    const loaded = await loadConfig({ configPath: file, env: {} });
    expect(loaded.config.providers[0]!.model).toBe('tmpl-${name}');
  });
});

describe('apiKeyFile', () => {
  it('reads the key from a file relative to the config, trimming the newline', async () => {
    const loaded = await loadConfig({ configPath: fixture('key-file.yaml'), cwd: '/', env: {} });
    const provider = loaded.config.providers[0]!;
    expect(provider.apiKey).toBe('sk-fixture-fallback-key-0001');
    expect(provider.apiKeyFile).toBeUndefined();
    expect(loaded.keySources).toEqual({ fallback: { file: fixture('keys/fallback.key') } });
  });

  it('reports an unreadable key file at providers[i].apiKeyFile, naming the path', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'understudy.config.yaml',
      'providers:\n  - name: p\n    preset: ollama\n    model: m\n    apiKeyFile: ${KEY_DIR}/missing.key\n',
    );
    const issues = await issuesOf(() => loadConfig({ configPath: file, env: { KEY_DIR: 'keys' } }));
    expect(issues).toEqual([
      `providers[0].apiKeyFile: cannot read key file ${path.join(project.root, 'keys/missing.key')} (no such file)`,
    ]);
  });

  it('does not try to read a key file whose path has an unset variable', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'c.yaml',
      'providers:\n  - name: p\n    preset: ollama\n    model: m\n    apiKeyFile: ${KEY_DIR}/missing.key\n',
    );
    expect(await issuesOf(() => loadConfig({ configPath: file, env: {} }))).toEqual([
      'providers[0].apiKeyFile: environment variable KEY_DIR is not set',
    ]);
  });

  it('leaves apiKey together with apiKeyFile for validation to reject', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'c.yaml',
      'providers:\n  - name: p\n    preset: ollama\n    model: m\n    apiKey: k\n    apiKeyFile: k.key\n',
    );
    expect(await issuesOf(() => loadConfig({ configPath: file, env: {} }))).toEqual([
      'providers[0].apiKeyFile: give apiKey or apiKeyFile, not both',
    ]);
  });
});

describe('config problems', () => {
  it('reports every problem at once, with the file and each field path', async () => {
    const error = await thrown(() => loadConfig({ configPath: fixture('broken.yaml'), env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).source).toBe(fixture('broken.yaml'));
    expect(error.message).toContain(`invalid config in ${fixture('broken.yaml')}:`);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
      'providers[0].apiKey',
      'providers[1].model',
      'providers[2].timeoutMs',
      'retyr',
      'providers[1].preset',
    ]);
    expect(error.message).toContain('providers[0].apiKey: environment variable BROKEN_UNSET_KEY is not set');
    expect(error.message).toContain('providers[1].preset: unknown preset "not-a-vendor"');
    expect(error.message).toContain('retyr: unknown field');
  });

  it('reports each unset variable with its field, and the :? message', async () => {
    const issues = await issuesOf(() => loadConfig({ configPath: fixture('two-providers.yaml'), env: {} }));
    expect(issues).toEqual([
      'providers[0].apiKey: environment variable OPENAI_API_KEY is not set',
      "providers[1].apiKey: environment variable FALLBACK_API_KEY is not set: set FALLBACK_API_KEY to the fallback provider's key",
    ]);
  });

  it('reports interpolation and schema problems together, without a second complaint about the same field', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'c.yaml',
      'providers:\n  - name: p\n    preset: ollama\n    model: ${MODEL_NAME}\n    modle: typo\n',
    );
    expect(await issuesOf(() => loadConfig({ configPath: file, env: {} }))).toEqual([
      'providers[0].model: environment variable MODEL_NAME is not set',
      'providers[0].modle: unknown field (did you mean model?)',
    ]);
  });

  it('reports a key taken from an empty variable (an unconfigured CI secret)', async () => {
    const issues = await issuesOf(() =>
      loadConfig({ configPath: fixture('two-providers.yaml'), env: { OPENAI_API_KEY: '', FALLBACK_API_KEY: 'sk-x-0005' } }),
    );
    expect(issues).toEqual(['providers[0].apiKey: environment variable OPENAI_API_KEY is empty']);
  });

  it('names the file, line and column of a bad YAML indent and shows the lines there with a caret, the key beside it masked', async () => {
    const error = await thrown(() => loadConfig({ configPath: fixture('syntax-error.yaml'), env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      [
        `cannot parse ${fixture('syntax-error.yaml')}: bad indentation of a mapping entry (line 4, column 11)`,
        '  3 |     apiKey: ***',
        '  4 |      model: gpt-4o-mini',
        '    |           ^',
      ].join('\n'),
    );
    expect(error.message).not.toContain('sk-secret');
  });

  it('points an unclosed [ at the line where it opened, not where the parser gave up', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'understudy.config.yaml',
      ['providers:', '  - name: primary', '    model: gpt-4o-mini', '    tags: [x', '  - name: backup', '    model: m', ''].join('\n'),
    );
    const error = await thrown(() => loadConfig({ configPath: file, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      [
        `cannot parse ${file}: a list opened with [ is never closed with ] (line 4, column 11)`,
        '  3 |     model: gpt-4o-mini',
        '  4 |     tags: [x',
        '    |           ^',
      ].join('\n'),
    );
  });

  it('points an unclosed { or quote where it opened, and masks secrets in flow style, URLs and key-shaped values', async () => {
    project = await makeTempProject();
    const flow = await project.write(
      'a.yaml',
      'alerts:\n  - { type: webhook, url: https://hooks.example/T0/abc, headers: { Authorization: Bearer xyz }\nstate: { redis: "redis://u:pw@127.0.0.1:6379" }\n',
    );
    const flowError = await thrown(() => loadConfig({ configPath: flow, env: {} }));
    expect(flowError.message).toBe(
      [
        `cannot parse ${flow}: a mapping opened with { is never closed with } (line 2, column 5)`,
        '  1 | alerts:',
        '  2 |   - { type: webhook, url: ***, headers: { Authorization: *** }',
        '    |     ^',
      ].join('\n'),
    );
    const quote = await project.write('b.yaml', 'providers:\n  - { name: p, model: "m, token-ish: abcdefghij0123456789xyz }\n');
    const quoteError = await thrown(() => loadConfig({ configPath: quote, env: {} }));
    expect(quoteError.message).toContain(`cannot parse ${quote}: a string opened with " is never closed with " (line 2, column 23)`);
    expect(quoteError.message).not.toContain('abcdefghij0123456789xyz');
    expect(quoteError.message).toMatch(/\n {4}\| {23}\^$/);
  });

  it('names the file, line and column of a JSON syntax error', async () => {
    project = await makeTempProject();
    const file = await project.write('understudy.config.json', '{\n  "providers": [],\n}\n');
    const error = await thrown(() => loadConfig({ cwd: project!.nested, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      [`cannot parse ${file}: Expected double-quoted property name (line 3, column 1)`, '  2 |   "providers": [],', '  3 | }', '    | ^'].join('\n'),
    );
  });

  it('names the file and location of a TypeScript syntax error', async () => {
    project = await makeTempProject();
    const file = await project.write('understudy.config.ts', 'const n: number = ;\nexport default {};\n');
    const error = await thrown(() => loadConfig({ cwd: project!.root, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(new RegExp(`^cannot load ${file}: .+ \\(line 1, column \\d+\\)$`));
  });
});

describe('secrets', () => {
  const key = 'sk-live-very-secret-0006';

  it('registers keys from the environment, from files and header values for masking', async () => {
    project = await makeTempProject();
    await project.write('key.txt', 'sk-from-file-secret-0007\n');
    const file = await project.write(
      'understudy.config.yaml',
      [
        'providers:',
        '  - name: a',
        '    preset: openai',
        '    model: m',
        '    apiKey: ${OPENAI_API_KEY}',
        '    headers: { X-Org-Token: "org-header-secret-0008" }',
        '  - name: b',
        '    preset: groq',
        '    model: m',
        '    apiKeyFile: key.txt',
        '  - name: c',
        '    preset: ollama',
        '    model: m',
        '    apiKey: literal-key-in-file-0009',
        '',
      ].join('\n'),
    );
    await loadConfig({ configPath: file, env: { OPENAI_API_KEY: key } });
    expect(maskSecrets(`a=${key} b=sk-from-file-secret-0007 c=literal-key-in-file-0009 h=org-header-secret-0008`)).toBe(
      'a=*** b=*** c=*** h=***',
    );
  });

  it('does not register public values such as a base URL or a timeout', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'c.yaml',
      'providers:\n  - name: p\n    baseURL: ${BASE}\n    model: m\n    firstTokenTimeoutMs: 1000\n',
    );
    await loadConfig({ configPath: file, env: { BASE: 'http://127.0.0.1:4000/v1' } });
    expect(maskSecrets('http://127.0.0.1:4000/v1')).toBe('http://127.0.0.1:4000/v1');
  });

  it('never echoes a key in an error message', async () => {
    project = await makeTempProject();
    const file = await project.write(
      'c.yaml',
      'providers:\n  - name: p\n    model: m\n    apiKey: ${OPENAI_API_KEY}\n    headers: { Authorization: 12345678901 }\n  - name: q\n    model: m\n    apiKey: 98765432101\n',
    );
    const error = await thrown(() => loadConfig({ configPath: file, env: { OPENAI_API_KEY: key } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('providers[1].apiKey');
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain('12345678901');
    expect(error.message).not.toContain('98765432101');
  });

  it('never quotes a key next to a syntax error', async () => {
    project = await makeTempProject();
    const yamlError = await thrown(() => loadConfig({ configPath: fixture('syntax-error.yaml'), env: {} }));
    expect(yamlError.message).not.toContain('sk-secret-next-to-a-syntax-error');

    const json = await project.write('c.json', '{"providers": [{"apiKey": sk-unquoted-json-secret}]}');
    const jsonError = await thrown(() => loadConfig({ configPath: json, env: {} }));
    expect(jsonError).toBeInstanceOf(ConfigError);
    expect(jsonError.message).not.toContain('unquoted-json');

    const ts = await project.write('c.ts', "const key = 'sk-ts-secret-0010' +;\nexport default { key };\n");
    const tsError = await thrown(() => loadConfig({ configPath: ts, env: {} }));
    expect(tsError).toBeInstanceOf(ConfigError);
    expect(tsError.message).not.toContain('sk-ts-secret-0010');
  });
});
