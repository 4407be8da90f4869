// Seeded randomness: every random choice in Troupe comes from a seed, so every run reproduces.

import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { finalizeA, finalizeB } from "./hash.ts";

type Generator = ReturnType<typeof xoroshiro128plusFromState>;

export class Random {
  private constructor(private readonly rng: Generator) {}

  /**
   * A generator for `seed`. xoroshiro128+ seeded directly places the 32-bit seed in its state, so
   * nearby seeds would start with nearly the same draws; the seed is spread over all 128 bits first.
   */
  static seeded(seed: number): Random {
    const s = seed | 0;
    const state = [finalizeA(s ^ 0x243f6a88), finalizeB((s + 0x13198a2e) | 0), finalizeA(s ^ 0x299f31d0) ^ 0x082efa98, finalizeB(s ^ 0xec4e6c89) | 1];
    return new Random(xoroshiro128plusFromState(state));
  }

  /** A fresh seed for runs given none (reported, so the run can be repeated). */
  static freshSeed(): number {
    return (Math.random() * 0x7fffffff) | 0;
  }

  /** A uniform integer in [from, to]. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** A uniform index in [0, n). */
  below(n: number): number {
    return uniformInt(this.rng, 0, n - 1);
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError("pick from an empty list");
    return xs[this.below(xs.length)]!;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return (this.rng.next() >>> 0) / 4294967296;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** An independent generator derived from this one (for splitting one seed across runs). */
  fork(): Random {
    return Random.seeded(this.rng.next());
  }
}
