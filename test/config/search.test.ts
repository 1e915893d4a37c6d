import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/normalize.js';
import { clearSecrets } from '../../src/config/secrets.js';
import { makeTempProject, thrown, type TempProject } from './temp-project.js';

const yaml = 'providers:\n  - name: found\n    preset: ollama\n    model: "${MODEL:-llama3.1}"\n';
const json = JSON.stringify({ providers: [{ name: 'found', preset: 'ollama', model: '${MODEL:-llama3.1}' }] });
const object = "{ providers: [{ name: 'found', preset: 'ollama', model: '${MODEL:-llama3.1}' }] }";
const esm = `export default ${object};\n`;
const cjs = `module.exports = ${object};\n`;
// Type annotations prove the file is compiled as TypeScript, not just evaluated.
const ts = `const model: string = '\${MODEL:-llama3.1}';\nexport default { providers: [{ name: 'found' as const, preset: 'ollama', model }] };\n`;

const formats: Array<[file: string, content: string]> = [
  ['.understudyrc', yaml],
  ['.understudyrc.json', json],
  ['.understudyrc.yaml', yaml],
  ['.understudyrc.yml', yaml],
  ['.understudyrc.js', esm],
  ['.understudyrc.mjs', esm],
  ['.understudyrc.cjs', cjs],
  ['.understudyrc.ts', ts],
  ['understudy.config.js', esm],
  ['understudy.config.mjs', esm],
  ['understudy.config.cjs', cjs],
  ['understudy.config.ts', ts],
  ['understudy.config.mts', ts],
  ['understudy.config.json', json],
  ['understudy.config.yaml', yaml],
  ['understudy.config.yml', yaml],
];

let project: TempProject;
beforeEach(() => clearSecrets());
afterEach(() => project?.remove());

describe('config search', () => {
  it.each(formats)('finds %s at the project root from a nested directory', async (file, content) => {
    project = await makeTempProject();
    const written = await project.write(file, content);
    const loaded = await loadConfig({ cwd: project.nested, env: {} });
    expect(loaded.filepath).toBe(written);
    expect(loaded.config.providers[0]).toMatchObject({ name: 'found', model: 'llama3.1', baseURL: 'http://127.0.0.1:11434/v1' });
  });

  it('finds package.json#understudy', async () => {
    project = await makeTempProject({ name: 'app', understudy: { providers: [{ name: 'found', preset: 'ollama', model: 'm' }] } });
    const loaded = await loadConfig({ cwd: project.nested, env: {} });
    expect(loaded.filepath).toBe(path.join(project.root, 'package.json'));
    expect(loaded.config.providers[0]!.name).toBe('found');
  });

  it('prefers the nearest config to the search start', async () => {
    project = await makeTempProject();
    await project.write('understudy.config.yaml', yaml.replace('found', 'root'));
    const near = await project.write('src/understudy.config.yaml', yaml.replace('found', 'near'));
    const loaded = await loadConfig({ cwd: project.nested, env: {} });
    expect(loaded.filepath).toBe(near);
    expect(loaded.config.providers[0]!.name).toBe('near');
  });

  it('stops at the project root, and says where it looked and what to do', async () => {
    project = await makeTempProject();
    // Above the package.json: another project's config, which must not be picked up.
    await project.write('../understudy.config.yaml', yaml);
    const error = await thrown(() => loadConfig({ cwd: project.nested, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `no understudy config found from ${project.nested} up to ${project.root}; ` +
        'create understudy.config.yaml with a providers list (see README), pass --config PATH, or try --offline for the built-in mock providers',
    );
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('reports an empty config file instead of skipping it', async () => {
    project = await makeTempProject();
    const file = await project.write('understudy.config.yaml', '\n');
    const error = await thrown(() => loadConfig({ cwd: project.root, env: {} }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`${file} is empty; add a providers list (see README)`);
  });
});
