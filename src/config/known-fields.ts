import {
  alertSinkSchema,
  breakerSchema,
  configSchema,
  drillTaskSchema,
  latencySchema,
  providerSchema,
  retrySchema,
  serveSchema,
  sharedStateSchema,
} from './schema.js';

/**
 * Every field name the config knows, anywhere in it: what "did you mean" picks from when a
 * strict object meets an unknown key (`modle` → `model`, `baseUrl` → `baseURL`).
 */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  ...Object.keys(configSchema.shape),
  ...Object.keys(providerSchema.shape),
  ...Object.keys(retrySchema.shape),
  ...Object.keys(breakerSchema.shape),
  ...Object.keys(serveSchema.shape),
  ...Object.keys(sharedStateSchema.shape),
  ...Object.keys(drillTaskSchema.shape),
  ...Object.keys(drillTaskSchema.shape.expect.unwrap().shape),
  ...Object.keys(configSchema.shape.probe.unwrap().shape),
  ...Object.keys(latencySchema.shape),
  'afterMs',
  'afterPercentile',
  'maxExtraPercent',
  ...Object.keys(configSchema.shape.output.unwrap().shape),
  ...Object.keys(configSchema.shape.drill.unwrap().shape),
  ...alertSinkSchema.options.flatMap((option) => Object.keys(option.shape)),
]);
