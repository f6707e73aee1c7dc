/** What tests steer and read of token exchange: which subjects are refused, how slow it is, how often each subject exchanged. */
import { invalidArg } from '../lib/invalid-arg.js';

export class ExchangeController {
  #subjectAudiences: ReadonlySet<string>;
  readonly #refused = new Set<string>();
  readonly #counts = new Map<string, number>();
  #latencyMs = 0;

  constructor(subjectAudiences: readonly string[]) {
    this.#subjectAudiences = ExchangeController.#audiences(subjectAudiences);
  }

  static #audiences(values: readonly string[]): ReadonlySet<string> {
    if (!Array.isArray(values) || values.length === 0 || values.some((value) => typeof value !== 'string' || value === '')) {
      throw invalidArg('exchange subject audiences must be a non-empty array of non-empty strings');
    }
    return new Set(values);
  }

  /** Subject tokens must name one of these in `aud` (the services allowed to exchange their users' tokens). */
  get subjectAudiences(): ReadonlySet<string> {
    return this.#subjectAudiences;
  }

  setSubjectAudiences(values: readonly string[]): void {
    this.#subjectAudiences = ExchangeController.#audiences(values);
  }

  /** Fault switch: exchanges for this `sub` get `400 invalid_grant` (as for a revoked user) until `allow`. */
  refuse(subject: string): void {
    this.#refused.add(subject);
  }

  allow(subject: string): void {
    this.#refused.delete(subject);
  }

  isRefused(subject: string): boolean {
    return this.#refused.has(subject);
  }

  /** Fault switch: every exchange answers this many milliseconds late. 0 (the default) turns it off. */
  get latencyMs(): number {
    return this.#latencyMs;
  }

  set latencyMs(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidArg('exchange latencyMs must be a number >= 0');
    this.#latencyMs = value;
  }

  /** Counts an exchange request for a verified subject (refused ones too). */
  count(subject: string): void {
    this.#counts.set(subject, (this.#counts.get(subject) ?? 0) + 1);
  }

  /** How many exchange requests named this `sub` (with a valid subject token). */
  exchangesFor(subject: string): number {
    return this.#counts.get(subject) ?? 0;
  }

  /** Every subject's count. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Zeroes the counts, allows every subject, and turns the latency off. */
  reset(): void {
    this.#counts.clear();
    this.#refused.clear();
    this.#latencyMs = 0;
  }
}
