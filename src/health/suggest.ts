/**
 * "Did you mean": the listed model id closest to a configured one that was not found.
 */

/**
 * The id in `candidates` nearest to `wanted` by edit distance (a swap of two neighbouring
 * letters counts as one edit), or undefined when none is close enough to be a plausible typo.
 * Case and a vendor prefix such as Gemini's `models/` are ignored for the comparison.
 */
export function closestModel(wanted: string, candidates: readonly string[]): string | undefined {
  const target = comparable(wanted);
  // A typo is a few edits; beyond a third of the name it is a different model, not a typo.
  const limit = Math.max(2, Math.floor(target.length / 3));
  let best: { id: string; distance: number } | undefined;
  for (const id of candidates) {
    const distance = editDistance(target, comparable(id));
    if (distance <= limit && (!best || distance < best.distance)) best = { id, distance };
  }
  return best?.id;
}

/** True when `listed` names `model`, allowing for a `models/`-style prefix and case. */
export function isListed(model: string, listed: readonly string[]): boolean {
  const target = comparable(model);
  return listed.some((id) => id === model || comparable(id) === target);
}

function comparable(id: string): string {
  return id.toLowerCase().replace(/^models\//, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i]![j] = value;
    }
  }
  return at(rows - 1, cols - 1);
}
