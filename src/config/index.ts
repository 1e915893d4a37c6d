/** The config module's public surface: find, load, validate, and keep secrets out of output. */
export { loadConfig, type LoadedConfig, type LoadConfigOptions } from './load.js';
export { normalizeConfig, ConfigError, formatPath, type ConfigIssue } from './normalize.js';
export { ConfigFileError } from './errors.js';
export { searchPlaces } from './find.js';
export { interpolateString, type InterpolatedString } from './interpolate.js';
export type { KeySource, KeySources } from './key-sources.js';
export {
  defineConfig,
  configSchema,
  providerSchema,
  retrySchema,
  breakerSchema,
  failureClassSchema,
  type UnderstudyConfig,
  type UnderstudyConfigInput,
  type ProviderConfig,
  type ProviderConfigInput,
  type RetryConfig,
  type RetryInput,
  type BreakerConfig,
  type BreakerInput,
  type FailureClass,
} from './schema.js';
export { presets, presetNames, type Preset, type PresetRequests, type TokenLimitField } from './presets.js';
export { registerSecret, maskSecrets, keyHint, clearSecrets } from './secrets.js';
export { configWarnings, type ConfigWarning } from './warnings.js';
