import { ConfigError } from './normalize.js';

/**
 * A ConfigError about the config file as a whole (not found, unreadable, not parseable) rather
 * than about its fields, so its message is one sentence with a next step instead of a list.
 * It is still a ConfigError: the CLI reports it the same way, with exit code 2.
 */
export class ConfigFileError extends ConfigError {
  constructor(message: string, filepath?: string) {
    super([{ path: '', message }], filepath);
    this.message = message;
  }
}
