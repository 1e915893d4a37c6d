/** `a, a, b` → `a ×2`, `b`: repeated neighbours folded, for short report cells and progress lines. */
export function foldRuns(items: readonly string[]): string[] {
  const runs: { item: string; count: number }[] = [];
  for (const item of items) {
    const last = runs.at(-1);
    if (last?.item === item) last.count++;
    else runs.push({ item, count: 1 });
  }
  return runs.map(({ item, count }) => (count > 1 ? `${item} ×${count}` : item));
}
