/**
 * The simulation's only source of randomness: mulberry32, a small 32-bit generator with a good
 * spread for this purpose (not for cryptography). Every random choice a run makes — its
 * schedule, the fault proxy's per-request decisions, the tills' and the server's backoff
 * jitter — comes from a `Prng` derived from the run's seed, so a seed names one run.
 *
 * Streams are forked by label (`prng.fork('proxy')`), not drawn from one sequence, so that
 * adding a draw in one place (say, the proxy) never shifts what another (the schedule) sees.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** One of `entries`, each chosen in proportion to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** An independent stream named `label`, derived from this one's current state. */
  fork(label: string): Prng {
    return new Prng(deriveSeed(this.#state, label));
  }

  /** A plain `() => number`, for APIs that take `Math.random`'s shape. */
  asFunction(): () => number {
    return () => this.next();
  }
}

/** A seed for the stream `label` of `seed`: FNV-1a over the label, mixed with the seed (splitmix32 finaliser). */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  let z = (seed ^ hash) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
