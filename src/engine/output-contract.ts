import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InvalidOutputError } from './classify.js';
import type { CompletionRequest, OutputContract } from './types.js';

type SchemaCheck = (value: unknown) => string | undefined;

// One compiled validator per schema object: compiling is the expensive part of JSON Schema.
const compiled = new WeakMap<object, Promise<SchemaCheck>>();

/** Throws InvalidOutputError when the completion breaks the contract. */
export async function enforceContract(contract: OutputContract, completion: ChatCompletion): Promise<void> {
  const content = completion.choices[0]?.message?.content ?? '';
  if (contract.schema) {
    const problem = await checkJson(contract.schema, content);
    if (problem) throw new InvalidOutputError(problem, content);
  }
  if (contract.validate) {
    const problem = await contract.validate(content, completion);
    if (problem) throw new InvalidOutputError(problem, content);
  }
}

/**
 * The request again, with the invalid answer and what was wrong with it: models fix a broken
 * answer far more often when told what broke than when simply asked again.
 */
export function repairRequest(request: CompletionRequest, invalid: InvalidOutputError): CompletionRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: invalid.content },
      {
        role: 'user',
        content: `Your answer was not valid: ${invalid.problem}. Reply again with only the corrected answer.`,
      },
    ],
  };
}

async function checkJson(schema: Record<string, unknown>, content: string): Promise<string | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(stripFence(content));
  } catch {
    return 'the answer is not valid JSON';
  }
  let check = compiled.get(schema);
  if (!check) {
    check = compile(schema);
    compiled.set(schema, check);
  }
  return (await check)(value);
}

// Loaded on first use: most engines never validate, and ajv is not small.
async function compile(schema: Record<string, unknown>): Promise<SchemaCheck> {
  const { Ajv } = await import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate: ValidateFunction = ajv.compile(schema);
  return (value) => (validate(value) ? undefined : describeErrors(validate.errors ?? []));
}

function describeErrors(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}

/** Models often wrap JSON in a Markdown fence even when asked not to. */
function stripFence(content: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(content);
  return fenced ? fenced[1]! : content;
}
