import { createJiti } from 'jiti';
import { defaultLoaders, type Loader, type LoaderSync } from 'cosmiconfig';
import { ConfigFileError } from './errors.js';
import { sourceExcerpt, type SourcePosition } from './source-excerpt.js';

/**
 * cosmiconfig loaders whose errors are safe to show: they name the file and the line and
 * column; JSON and YAML show the lines there with every secret-looking value masked (a file
 * may hold a key written in by hand), scripts none of their text.
 */

// One loader for every JS and TS flavour: jiti compiles TypeScript without the user
// installing anything, handles ESM and CJS alike, and its errors carry file:line:column
// (Node's own import() reports a syntax error without a location).
// No module cache, so a long-running command can reload an edited config.
const jiti = createJiti(import.meta.url, { moduleCache: false });

/** Loads `.js/.mjs/.cjs/.ts/.mts/.cts` configs and returns their default export. */
export const loadScript: Loader = async (filepath) => {
  try {
    return await jiti.import(filepath, { default: true });
  } catch (error) {
    throw new ConfigFileError(`cannot load ${filepath}: ${scriptErrorMessage(error, filepath)}`, filepath);
  }
};

/** jiti's "ParseError: Unexpected token\n /path:1:18" → "ParseError: Unexpected token (line 1, column 18)". */
function scriptErrorMessage(error: unknown, filepath: string): string {
  const message = error instanceof Error ? error.message : String(error);
  let location = '';
  const lines: string[] = [];
  for (const line of message.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const at = /^(.*):(\d+):(\d+)$/.exec(trimmed);
    if (at && at[1] === filepath) location = ` (line ${at[2]}, column ${at[3]})`;
    // Code frames ("> 3 | apiKey: ...") quote the source: drop them.
    else if (!/^>?\s*\d+\s*\|/.test(trimmed) && !/^\|?\s*\^/.test(trimmed)) lines.push(trimmed);
  }
  return `${lines.join(' ') || 'failed to load'}${location}`;
}

/** JSON, reported without V8's quote of the text around the error. */
export const loadJson: LoaderSync = (filepath, content) => {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    // V8 appends `, "…text…" is not valid JSON` or ` in JSON at position N (line L column C)`.
    const reason = raw.split(/,? "|,? \.\.\."| in JSON at position/)[0]?.trim() || 'invalid JSON';
    const position = /at position (\d+)/.exec(raw)?.[1];
    throw syntaxError(filepath, content, reason, position === undefined ? undefined : positionOf(content, Number(position)));
  }
};

/**
 * YAML (also `.understudyrc` without extension), read by js-yaml as cosmiconfig does; an error
 * points where the unclosed construct opened when there is one, with a masked excerpt.
 */
export const loadYaml: Loader = async (filepath, content) => {
  try {
    return (defaultLoaders['.yaml'] as LoaderSync)(filepath, content);
  } catch (error) {
    const { describeYamlError } = await import('./yaml-errors.js');
    const problem = await describeYamlError(content, error);
    throw syntaxError(filepath, content, problem.reason, problem.at);
  }
};

/** `cannot parse FILE: reason (line L, column C)`, then the lines there with a caret, secrets masked. */
function syntaxError(filepath: string, content: string, reason: string, at: SourcePosition | undefined): ConfigFileError {
  if (!at) return new ConfigFileError(`cannot parse ${filepath}: ${reason}`, filepath);
  return new ConfigFileError(`cannot parse ${filepath}: ${reason} (line ${at.line}, column ${at.column})\n${sourceExcerpt(content, at)}`, filepath);
}

function positionOf(text: string, offset: number): SourcePosition {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Every extension understudy reads, by loader. */
export const configLoaders: Record<string, Loader> = {
  '.js': loadScript,
  '.mjs': loadScript,
  '.cjs': loadScript,
  '.ts': loadScript,
  '.mts': loadScript,
  '.cts': loadScript,
  '.json': loadJson,
  '.yaml': loadYaml,
  '.yml': loadYaml,
  noExt: loadYaml,
};
