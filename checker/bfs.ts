// Breadth-first search: level by level, so the first violation found has a shortest counterexample.

import type { Action, Value } from "../ioa/index.ts";
import type { PackedStates } from "./packed-states.ts";
import type { Search, Sink } from "./search.ts";

/**
 * States a level keeps as objects before it packs the rest, by default (when the state type packs:
 * see packed-states.ts). Objects are cheaper to keep while a level is small; a level past this
 * size is where the memory goes (two-phase commit with 9 RMs has levels of a million and a half
 * states), and packed states also spare the garbage collector copying them.
 */
const PACK_FROM = 1 << 17;

/**
 * One BFS level, as parallel arrays (no object per state); `lanes` what the node keys keep per
 * state, `width` each; its states as objects, and past PACK_FROM packed into `words` (when the
 * state type packs) — or, when the lanes are the state's packing already (`lanesPacked`: the keys
 * packed it), read back from the lanes. Two levels take turns: the one just expanded is cleared
 * and filled with the level after next, keeping its grown buffers.
 */
class Level<S> implements Sink<S> {
  states: S[] = [];
  monitors: (readonly Value[] | undefined)[] = [];
  nodes: number[] = [];
  lanes: Int32Array;
  words: Int32Array = new Int32Array(0);

  constructor(
    readonly width: number,
    readonly packer: PackedStates<S> | undefined,
    readonly packFrom: number,
    readonly lanesPacked: boolean,
  ) {
    this.lanes = new Int32Array(width * 64);
  }

  get size(): number {
    return this.nodes.length;
  }

  /** The `i`-th state of the level. */
  state(i: number): S {
    if (i < this.states.length) return this.states[i]!;
    return this.lanesPacked ? this.packer!.unpack(this.lanes, i * this.width) : this.packer!.unpack(this.words, (i - this.states.length) * this.packer!.words);
  }

  /** Empties the level (fresh arrays: the states it held may be collected). */
  clear(): void {
    this.states = [];
    this.monitors = [];
    this.nodes = [];
  }

  push(state: S, monitors: readonly Value[] | undefined, node: number, lanes: Int32Array): void {
    const i = this.nodes.length;
    if (!this.packer || i < this.packFrom) this.states.push(state);
    else if (!this.lanesPacked) {
      const at = (i - this.states.length) * this.packer.words;
      if (at + this.packer.words > this.words.length) this.words = grown(this.words);
      this.packer.pack(state, this.words, at);
    }
    this.monitors.push(monitors);
    this.nodes.push(node);
    if (this.width === 0) return;
    const width = this.width;
    if ((i + 1) * width > this.lanes.length) this.lanes = grown(this.lanes);
    // Copied word by word: `set` costs a call into the runtime, more than a few words' copy.
    const to = this.lanes;
    for (let k = 0, at = i * width; k < width; k++) to[at + k] = lanes[k]!;
  }
}

function grown(words: Int32Array): Int32Array {
  const out = new Int32Array(Math.max(64, words.length * 2));
  out.set(words);
  return out;
}

export async function breadthFirst<S, A extends Action>(search: Search<S, A>): Promise<void> {
  const width = search.keys.width;
  // Without symmetry reduction, a state whose type packs was packed to be keyed: the lanes kept
  // for it are its packing, and the level reads it back from them — keeping none as objects then
  // costs nothing and spares the garbage collector (two-phase commit, 8 RMs: -15% CPU, -40% memory).
  const lanesPacked = search.keys.packed !== undefined && width > 0;
  const packFrom = search.options.packStatesFrom ?? (lanesPacked ? 0 : PACK_FROM);
  const packer = packFrom === Infinity ? undefined : search.keys.packed;
  let level = new Level<S>(width, packer, packFrom, lanesPacked);
  let next = new Level<S>(width, packer, packFrom, lanesPacked);
  search.start(level);
  const maxDepth = search.options.maxDepth ?? Infinity;
  for (let depth = 0; level.size > 0 && !search.done; depth++) {
    if (depth >= maxDepth) {
      search.stopped ??= "max-depth";
      return;
    }
    next.clear();
    for (let i = 0; i < level.size; i++) {
      search.expand(level.state(i), level.monitors[i], level.nodes[i]!, next, level.lanes, i * width);
      if (search.done || ((i & 255) === 255 && (await search.pause(level.size - i + next.size, depth)))) return;
    }
    if (next.size > 0) search.maxDepth = depth + 1;
    [level, next] = [next, level];
  }
}
