/**
 * "Did you mean": the candidate nearest to what was typed, by edit distance (a swap of two
 * neighbouring letters counts as one edit), or undefined when none is close enough to be a
 * plausible typo. `comparable` normalises both sides first (case, vendor prefixes).
 */
export function closestMatch(
  wanted: string,
  candidates: Iterable<string>,
  comparable: (text: string) => string = (text) => text.toLowerCase(),
): string | undefined {
  const target = comparable(wanted);
  // A typo is a few edits; beyond a third of the word it is a different word, not a typo.
  const limit = Math.max(2, Math.floor(target.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(target, comparable(candidate));
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
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
