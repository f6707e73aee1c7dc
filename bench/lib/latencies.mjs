// Latencies in milliseconds, kept in a growable Float64Array (no per-sample object), and the
// percentiles of them. Sorting a copy once per report is cheaper than a histogram at these sizes.

export class Latencies {
  #values = new Float64Array(1 << 14);
  #count = 0;

  add(ms) {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  /** Appends every sample of `other`. */
  addAll(other) {
    for (const ms of other.values()) this.add(ms);
  }

  get count() {
    return this.#count;
  }

  values() {
    return this.#values.subarray(0, this.#count);
  }

  /** `{ p50, p99, p999, max }` in ms (nearest rank), or nulls when empty. */
  summary() {
    if (this.#count === 0) return { p50: null, p99: null, p999: null, max: null };
    const sorted = Float64Array.from(this.values()).sort();
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)];
    return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1] };
  }
}
