/**
 * Counts requests per client address in a sliding window, in this process's memory: `take` says
 * whether one more is allowed now and, if not, how long until it is. Bounded: past `maxAddresses`
 * the address seen least recently is forgotten. Several web nodes each keep their own count.
 */
export class AddressRateLimit {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxAddresses: number;
  readonly #seen = new Map<string, number[]>();

  constructor(options: {
    readonly limit: number;
    readonly windowMs: number;
    readonly maxAddresses?: number;
  }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Records a request from `address` at `now` when allowed; else returns how long to wait. */
  take(
    address: string,
    now: number,
  ): { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number } {
    const recent = (this.#seen.get(address) ?? []).filter((at) => at > now - this.#windowMs);
    this.#seen.delete(address);
    if (recent.length >= this.#limit) {
      this.#seen.set(address, recent);
      return { allowed: false, retryAfterMs: (recent[0] as number) + this.#windowMs - now };
    }
    recent.push(now);
    this.#seen.set(address, recent);
    if (this.#seen.size > this.#maxAddresses) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return { allowed: true };
  }
}
