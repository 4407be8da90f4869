// How long each enabled action has been enabled: the order in which things became possible, which
// is the plainest order to finish a run in.

import type { Action } from "../ioa/index.ts";

/** Since which step each enabled action has been enabled (an action taken and still enabled starts again). */
export class Seniority<A extends Action> {
  private readonly since = new Map<string, number>();
  private generation = 0;
  private readonly seen = new Map<string, number>();

  constructor(private readonly keyOf: (a: A) => string) {}

  update(enabled: readonly A[], step: number): void {
    const generation = ++this.generation;
    for (const a of enabled) {
      const key = this.keyOf(a);
      this.seen.set(key, generation);
      if (!this.since.has(key)) this.since.set(key, step);
    }
    for (const [key, g] of this.seen) {
      if (g === generation) continue;
      this.seen.delete(key);
      this.since.delete(key);
    }
  }

  taken(a: A): void {
    this.since.delete(this.keyOf(a));
  }

  /** The candidate enabled longest; the first such in enabling order on a tie. */
  oldest(candidates: readonly A[]): A | undefined {
    let best: A | undefined;
    let bestSince = Infinity;
    for (const a of candidates) {
      const since = this.since.get(this.keyOf(a)) ?? Infinity;
      if (since < bestSince) {
        best = a;
        bestSince = since;
      }
    }
    return best;
  }
}

