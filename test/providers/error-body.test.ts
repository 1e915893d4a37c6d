import { describe, expect, it } from 'vitest';
import { readErrorBody, statusOfErrorObject } from '../../src/providers/error-body.js';

// The provider's message must be readable from every shape vendors use (fixtures/wire replays
// them on the wire; this pins the reading itself, shape by shape).
describe('readErrorBody', () => {
  it.each([
    ['OpenAI: a nested object', { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }, 'Incorrect API key provided'],
    ['Anthropic: nested under type error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'Overloaded'],
    ['Gemini: a list of error objects', [{ error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }], 'Resource has been exhausted'],
    ['a string under error (Ollama native, proxies)', { error: 'model "x" not found, try pulling it first' }, 'model "x" not found, try pulling it first'],
    ['Mistral/vLLM: top-level fields', { object: 'error', message: 'Unauthorized', type: 'invalid_request_error', code: null }, 'Unauthorized'],
    ['FastAPI: detail as a string', { detail: 'Unauthorized' }, 'Unauthorized'],
    ['FastAPI: detail as a validation list', { detail: [{ loc: ['body', 'stop'], msg: 'Extra inputs are not permitted' }, { msg: 'second' }] }, 'Extra inputs are not permitted; second'],
    ['a message that is an object', { object: 'error', message: { detail: 'nested' } }, '{"detail":"nested"}'],
  ])('%s', (_what, body, message) => {
    const detail = readErrorBody(body);
    expect(detail?.message).toBe(message);
    // The object an APIError carries always has the message, so SDK users read it as usual.
    expect(detail?.object.message).toBe(message);
  });

  it('finds no error in a completion, a model list, text or nothing', () => {
    const completion = { id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' } }] };
    for (const body of [completion, { ...completion, error: null }, { ...completion, error: '' }, { object: 'list', data: [] }, '<html>502</html>', undefined, null, [], { error: null }]) {
      expect(readErrorBody(body)).toBeUndefined();
    }
  });

  it('keeps the fields that decide the class: codes, Google status, nested codes, retry delay, moderation', () => {
    expect(readErrorBody({ error: { code: 'content_filter', innererror: { code: 'ResponsibleAIPolicyViolation' } } })).toMatchObject({
      code: 'content_filter',
      innerCodes: ['ResponsibleAIPolicyViolation'],
    });
    expect(readErrorBody({ error: { type: 'rate_limit_error', details: { error_code: 'enforced_spend_limit_reached' } } })?.innerCodes).toEqual(['enforced_spend_limit_reached']);
    const gemini = readErrorBody([
      { error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }, { reason: 'API_KEY_INVALID' }] } },
    ]);
    expect(gemini).toMatchObject({ code: 429, rpcStatus: 'RESOURCE_EXHAUSTED', retryDelayMs: 37_000, innerCodes: ['API_KEY_INVALID'] });
    expect(readErrorBody({ error: { code: 403, message: 'flagged', metadata: { reasons: ['harassment'], flagged_input: '...' } } })?.flagged).toBe(true);
  });
});

describe('statusOfErrorObject', () => {
  it('is the HTTP-like code, a numeric string, or the Google status name', () => {
    const status = (error: object) => statusOfErrorObject(readErrorBody({ error })!);
    expect(status({ code: 502, message: 'Provider returned error' })).toBe(502);
    expect(status({ code: '429', message: 'Azure' })).toBe(429);
    expect(status({ status: 'UNAVAILABLE' })).toBe(503);
    expect(status({ code: 'server_error' })).toBeUndefined();
    expect(status({ code: 9999 })).toBeUndefined();
  });
});
