import { UsageError } from './exit-codes.js';

/**
 * A whole-number option (`--timeout 500`, `--port 0`) checked against its range, or a usage
 * error naming the option, the range and what was given: one rule and one wording for every
 * command.
 */
export function wholeNumberOption(
  text: string,
  flag: string,
  range: { readonly min: number; readonly max: number; readonly unit?: string; readonly example?: string },
): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value < range.min || value > range.max) {
    throw new UsageError(
      `${flag} must be a whole number${range.unit ? ` of ${range.unit}` : ''} from ${range.min} to ${range.max}, not "${text}"`,
      ...(range.example ? [range.example] : []),
    );
  }
  return value;
}
