// The rule every speed target is judged by: a ratio decides only beside an A/A band within ±AA_TOLERANCE.
// Its own module, so that the report and every section share it without loading each other's clients.

/** An A/A band inside [1 − this, 1 + this] lets a run decide. */
export const AA_TOLERANCE = 0.02;

/** Whether an A/A band (a spread with `min`, `max`) is tight enough for its run to decide. */
export function isDecisive(aaBand) {
  return aaBand.min !== null && aaBand.min >= 1 - AA_TOLERANCE && aaBand.max <= 1 + AA_TOLERANCE;
}

/** "met"/"missed" for a throughput target (≥) when the A/A band is decisive, else "inconclusive"; null when there is no target. */
export function verdictOf(comparison, aaBand) {
  if (comparison.target === null) return null;
  if (!isDecisive(aaBand)) return 'inconclusive';
  return comparison.throughputRatio.median >= comparison.target ? 'met' : 'missed';
}
