import { formatPath, type ConfigIssue } from './normalize.js';

/**
 * `${VAR}`, `${VAR:-default}` and `${VAR:?message}` in config strings, read from the
 * environment; `$${` is a literal `${`. Shell-like on purpose, so people can guess it, but
 * without nesting: a nested reference is reported rather than half-expanded.
 */

/** One environment variable whose value went into a string. */
export interface VariableUse {
  readonly name: string;
  readonly value: string;
}

/** The outcome of interpolating one string. `problems` are messages without a field path. */
export interface InterpolatedString {
  readonly value: string;
  /** Variables that were set and used (not those that fell back to a default). */
  readonly variables: readonly VariableUse[];
  readonly problems: readonly string[];
}

/** A string field of the config that contained at least one `${...}` reference. */
export interface InterpolatedField {
  readonly path: readonly PropertyKey[];
  /** The field's value after interpolation. */
  readonly value: string;
  readonly variables: readonly VariableUse[];
  /** True when some reference could not be resolved (the field's value is then partial). */
  readonly failed: boolean;
}

/** The outcome of interpolating a whole loaded config. */
export interface InterpolatedTree {
  /** A copy of the input with every string interpolated; the input is left untouched. */
  readonly value: unknown;
  readonly issues: readonly ConfigIssue[];
  readonly fields: readonly InterpolatedField[];
}

type Env = NodeJS.ProcessEnv;

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([\s\S]*))?$/;
const FORMS = 'use ${NAME}, ${NAME:-default} or ${NAME:?message} (write $${ for a literal ${)';

/** Interpolates one string against `env`, collecting every problem rather than stopping. */
export function interpolateString(text: string, env: Env): InterpolatedString {
  const variables: VariableUse[] = [];
  const problems: string[] = [];
  let out = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      out += text.slice(index);
      break;
    }
    out += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      out += '${';
      index = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      // A lone `$` is literal: keys and passwords may contain one.
      out += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      problems.push(`unclosed "\${"; ${FORMS}`);
      out += text.slice(dollar);
      break;
    }
    out += resolveReference(text.slice(dollar + 2, close), env, variables, problems);
    index = close + 1;
  }
  return { value: out, variables, problems };
}

/** Resolves the inside of one `${...}`; returns its replacement text ('' when it failed). */
function resolveReference(expression: string, env: Env, variables: VariableUse[], problems: string[]): string {
  const match = REFERENCE.exec(expression);
  if (!match) {
    // Only the variable-name part is echoed: the rest could be anything the user typed.
    problems.push(`"\${${expression.split(/[^A-Za-z0-9_]/)[0] ?? ''}...}" is not a valid reference; ${FORMS}`);
    return '';
  }
  const [, name = '', operator, argument = ''] = match;
  if (argument.includes('${')) {
    problems.push(`nested references are not supported in \${${name}${operator ?? ''}...}`);
    return '';
  }
  const value = env[name];
  if (operator === ':-') {
    if (value === undefined || value === '') return argument;
  } else if (operator === ':?') {
    if (value === undefined || value === '') {
      const state = value === undefined ? 'not set' : 'empty';
      problems.push(`environment variable ${name} is ${state}${argument ? `: ${argument}` : ''}`);
      return '';
    }
  } else if (value === undefined) {
    problems.push(`environment variable ${name} is not set`);
    return '';
  }
  variables.push({ name, value: value ?? '' });
  return value ?? '';
}

/**
 * Interpolates every string value (not keys) in a loaded config, copying plain objects and
 * arrays. Each problem is located by its field path, and every problem is collected.
 */
export function interpolateTree(input: unknown, env: Env): InterpolatedTree {
  const issues: ConfigIssue[] = [];
  const fields: InterpolatedField[] = [];
  const visit = (value: unknown, path: PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      const result = interpolateString(value, env);
      for (const message of result.problems) issues.push({ path: formatPath(path), message });
      if (result.value !== value || result.problems.length > 0) {
        fields.push({
          path,
          value: result.value,
          variables: result.variables,
          failed: result.problems.length > 0,
        });
      }
      return result.value;
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, index]));
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key])]));
    }
    return value;
  };
  return { value: visit(input, []), issues, fields };
}

/** Objects written as literals (YAML, JSON, `{}` in JS); class instances are left alone. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
