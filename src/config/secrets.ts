/**
 * Every secret that config resolution reads is registered here once, and every output path
 * (stdout, stderr, JSON, JUnit, alerts, files) passes its text through `maskSecrets`.
 */
const secrets = new Set<string>();

// Taken when this module loads, before the CLI routes stderr through `maskSecrets`.
const writeStderrUnmasked = process.stderr.write.bind(process.stderr);
let pattern: RegExp | undefined;

/** Secrets shorter than this are not masked: masking "a" would mangle every output. */
const MIN_SECRET_LENGTH = 4;

export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  pattern = undefined;
  // Under GitHub Actions the runner masks it in the job log too.
  // stderr, so a --json stdout stays one document; the runner reads commands from both. Written
  // past the masking of process output, which would otherwise turn this very line into `***`.
  if (process.env['GITHUB_ACTIONS'] === 'true') writeStderrUnmasked(`::add-mask::${value}\n`);
}

export function maskSecrets(text: string): string {
  if (secrets.size === 0) return text;
  pattern ??= new RegExp(
    [...secrets]
      .sort((a, b) => b.length - a.length)
      .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  );
  return text.replace(pattern, '***');
}

/** The last four characters, enough to tell keys apart in a hint and useless to an attacker. */
export function keyHint(key: string | undefined): string {
  if (!key) return '(no key)';
  return key.length > 8 ? `…${key.slice(-4)}` : '…';
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
  pattern = undefined;
}
