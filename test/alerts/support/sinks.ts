import { alertSinkSchema, type AlertSinkConfig } from '../../../src/config/schema.js';

/** A sink config with the schema's defaults filled in, as loadConfig would give it. */
export function sink(input: Record<string, unknown>): AlertSinkConfig {
  return alertSinkSchema.parse(input);
}
