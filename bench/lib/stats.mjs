// Summaries of repeated measurements: the median, and the spread as min–max, rounded for reading.

export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `{ median, min, max, n }` of `values`, each rounded to `digits` decimals. */
export function spread(values, digits = 3) {
  const round = (x) => (x === null ? null : Number(x.toFixed(digits)));
  return {
    median: round(median(values)),
    min: round(values.length ? Math.min(...values) : null),
    max: round(values.length ? Math.max(...values) : null),
    n: values.length,
  };
}

/** `a / b` rounded, or null when either is missing. */
export function ratio(a, b, digits = 3) {
  return a === null || b === null || a === undefined || b === undefined || b === 0 ? null : Number((a / b).toFixed(digits));
}

export const round = (x, digits = 2) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));
