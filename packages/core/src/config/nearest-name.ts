/** The known option name a mistyped one most likely meant, for "did you mean" hints. */

/** Letter case, `_` and `-` are the commonest slips (`timeoutMS`, `token_endpoint`): they cost nothing here. */
function folded(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/**
 * Edit distance where swapping two neighbouring letters is one edit, as a typist makes it
 * (Damerau-Levenshtein in its "optimal string alignment" form).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < columns; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[rows - 1]![columns - 1]!;
}

/**
 * The known name equal to `name` but for case, `_` and `-`; else the closest one within a third of its length
 * (at least 2 edits, so `scopes` finds `scope`); else `undefined`, rather than a far-fetched guess.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const target = folded(name);
  const exact = known.find((candidate) => folded(candidate) === target);
  if (exact !== undefined) return exact;
  const limit = Math.max(2, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(target, folded(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
