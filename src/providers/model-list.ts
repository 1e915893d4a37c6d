import { APIError } from 'openai/error';
import { MalformedResponseError } from '../engine/classify.js';

/**
 * A `GET /models` answer in a shape no model ids can be read from. Ping takes it as "this
 * provider has no usable list" and checks the key with a completion instead.
 */
export class ModelListShapeError extends MalformedResponseError {}

/**
 * The model ids in a `GET /models` answer, read the same way by both transports: OpenAI's page
 * (`{"object": "list", "data": [{"id": ...}]}`, which Gemini's, Ollama's and most others follow),
 * Together's bare array of models, and Google's and Ollama's native `{"models": [{"name": ...}]}`.
 * One page only: some providers list hundreds, and a health check must stay cheap.
 */
export function modelIdsOf(body: unknown): string[] {
  const entries = Array.isArray(body) ? body : isObject(body) ? (Array.isArray(body.data) ? body.data : Array.isArray(body.models) ? body.models : undefined) : undefined;
  if (entries === undefined) throw new ModelListShapeError(`GET /models answered ${describe(body)}, not a model list`);
  const ids: string[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const id = typeof entry.id === 'string' ? entry.id : typeof entry.name === 'string' ? entry.name : undefined;
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/**
 * Why a failed `GET /models` says nothing about the provider's health or key — none served
 * (404, 405, 501) or a body with no list — or undefined when it may (401, a timeout, a 5xx).
 */
export function listUnavailable(error: unknown): string | undefined {
  if (error instanceof ModelListShapeError) return error.message;
  if (error instanceof APIError && (error.status === 404 || error.status === 405 || error.status === 501)) return `GET /models: ${error.status}`;
  return undefined;
}

function describe(body: unknown): string {
  if (body === null || body === undefined || body === '') return 'nothing';
  if (typeof body === 'string') return /<html|<!doctype/i.test(body) ? 'an HTML page' : 'text';
  return 'JSON of another shape';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
