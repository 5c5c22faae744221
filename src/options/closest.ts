/**
 * Levenshtein edit distance between a and b (insertions, deletions and substitutions cost 1), by the
 * two-row dynamic programme d[i][j] = min(d[i−1][j] + 1, d[i][j−1] + 1, d[i−1][j−1] + [aᵢ ≠ bⱼ]).
 * Written here rather than taken from a package: dist/ imports no package by name (see src/vendor).
 */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `name`: the smallest edit distance, case-insensitive first (`maxtimeODE`
 * → `maxtimeOde`), ties to the earlier candidate; null when nothing is within half the name's length
 * (a suggestion that shares almost nothing with the name would mislead).
 */
export function closestName(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const within = Math.max(1, Math.ceil(name.length / 2));
  for (const c of candidates) {
    // the distance is at least the difference in length: a far longer name (a 10 MB key) costs nothing
    if (Math.abs(name.length - c.length) > within) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase()) + editDistance(name, c) / 1000;
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= within ? best : null;
}
