import { closestMatch } from '../text/did-you-mean.js';

/**
 * The listed id nearest to a configured one that was not found, or undefined when none is a
 * plausible typo. Case and a vendor prefix such as Gemini's `models/` are ignored.
 */
export function closestModel(wanted: string, candidates: readonly string[]): string | undefined {
  return closestMatch(wanted, candidates, comparable);
}

/** True when `listed` names `model`, allowing for a `models/`-style prefix and case. */
export function isListed(model: string, listed: readonly string[]): boolean {
  const target = comparable(model);
  return listed.some((id) => id === model || comparable(id) === target);
}

function comparable(id: string): string {
  return id.toLowerCase().replace(/^models\//, '');
}
