import { access } from 'node:fs/promises';
import path from 'node:path';
import { cosmiconfig, getDefaultSearchPlaces } from 'cosmiconfig';
import { ConfigFileError } from './errors.js';
import { configLoaders } from './loaders.js';

/** The raw, not yet interpolated or validated, content of a config file. */
export interface FoundConfig {
  readonly config: unknown;
  readonly filepath: string;
}

const MODULE_NAME = 'understudy';

/**
 * cosmiconfig's defaults (`package.json#understudy`, `.understudyrc*`, `understudy.config.{js,ts,
 * cjs,mjs}`) plus the names it leaves out: JSON and YAML `understudy.config.*`, and `.mts`.
 */
export const searchPlaces: readonly string[] = [
  ...getDefaultSearchPlaces(MODULE_NAME),
  `${MODULE_NAME}.config.mts`,
  `${MODULE_NAME}.config.json`,
  `${MODULE_NAME}.config.yaml`,
  `${MODULE_NAME}.config.yml`,
];

function explorer() {
  return cosmiconfig(MODULE_NAME, {
    searchPlaces: [...searchPlaces],
    loaders: configLoaders,
    // Stop at the nearest package.json: a config above the project belongs to someone else.
    searchStrategy: 'project',
    // An empty config file is found and reported, not silently skipped for one further up.
    ignoreEmptySearchPlaces: false,
    // Fresh every time, so `watch` and tests see edits.
    cache: false,
  });
}

/** Searches from `cwd` up to the project root; throws a ConfigFileError with a next step if none. */
export async function searchConfig(cwd: string): Promise<FoundConfig> {
  const result = await explorer().search(cwd);
  if (result === null) {
    const root = await projectRoot(cwd);
    const where = root === cwd ? `in ${cwd}` : `from ${cwd} up to ${root}`;
    throw new ConfigFileError(
      `no understudy config found ${where}; create understudy.config.yaml with a providers list (see README), pass --config PATH, or try --offline for the built-in mock providers`,
    );
  }
  return checkNotEmpty(result.config, result.filepath);
}

/** Loads exactly `filepath` (already absolute). */
export async function loadConfigFile(filepath: string): Promise<FoundConfig> {
  let result;
  try {
    result = await explorer().load(filepath);
  } catch (error) {
    throw fileError(error, filepath);
  }
  if (result === null) {
    // cosmiconfig returns null for a package.json without the property, and for YAML that is all comments.
    const message =
      path.basename(filepath) === 'package.json'
        ? `${filepath} has no "${MODULE_NAME}" property; add one or pass another file with --config`
        : `${filepath} is empty; add a providers list (see README)`;
    throw new ConfigFileError(message, filepath);
  }
  return checkNotEmpty(result.config, result.filepath);
}

function checkNotEmpty(config: unknown, filepath: string): FoundConfig {
  if (config === undefined || config === null) {
    throw new ConfigFileError(`${filepath} is empty; add a providers list (see README)`, filepath);
  }
  return { config, filepath };
}

/** Turns a read failure into a message a user can act on. */
function fileError(error: unknown, filepath: string): Error {
  if (error instanceof ConfigFileError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return new ConfigFileError(`config file not found: ${filepath}; check the --config path`, filepath);
  if (code === 'EISDIR') return new ConfigFileError(`${filepath} is a directory; --config takes a file`, filepath);
  if (code === 'EACCES') return new ConfigFileError(`cannot read ${filepath}: permission denied`, filepath);
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('No loader specified')) {
    return new ConfigFileError(
      `cannot load ${filepath}: unsupported file type; use .yaml, .yml, .json, .js, .mjs, .cjs, .ts or .mts`,
      filepath,
    );
  }
  return error instanceof Error ? error : new Error(message);
}

/** The directory cosmiconfig's 'project' strategy stops at: the nearest with a package file. */
async function projectRoot(from: string): Promise<string> {
  let dir = from;
  for (;;) {
    for (const name of ['package.json', 'package.yaml']) {
      if (await exists(path.join(dir, name))) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return dir;
    dir = parent;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
