// Seeded randomness: every random choice in Troupe comes from a seed, so every run reproduces.

import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

type Generator = ReturnType<typeof xoroshiro128plus>;

export class Random {
  private constructor(private readonly rng: Generator) {}

  static seeded(seed: number): Random {
    return new Random(xoroshiro128plus(seed | 0));
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
