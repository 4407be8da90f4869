// Is the model symmetric? Symmetry reduction is sound only for a model that renaming its ids maps
// onto itself: the successors of a renamed state are the renamed successors, and every property
// judges a renamed state as it judges the state. (Its start states need not be renamings of each
// other: a token that starts at process 0 reaches the same orbits as one that starts anywhere.) A
// model declares interchangeable ids with `t.ids`, but nothing in that declaration stops its code
// from telling them apart — a coordinator chosen as the lowest id, a view id computed from one —
// and then the reduction is unsound: it skips states whose renamings it has seen, though they lead
// elsewhere, and a property may hold of the states it kept and fail in those it skipped.
//
// So under --symmetry the checker audits the model on the states it meets (every one of the first
// AUDIT_ALL, then one in AUDIT_EVERY), renaming each by a swap of adjacent ids (the swaps generate
// every renaming; the first states are renamed by each of them, later ones by one each, in turn):
// the states it reaches in one step are compared, by fingerprint, with the renamings of the
// state's own, and every state predicate of the properties is asked of both. The first
// contradiction stops the check. A sample cannot prove a model symmetric; it does refuse one that
// tells its ids apart where the search has been.

import { DefinitionError, formatAction, typedFingerprinter, type Action, type Automaton, type Type, type Value } from "../ioa/index.ts";
import { InternedMonitors } from "./interned-monitors.ts";
import { labelOf } from "./liveness.ts";
import { isBroken, type PropertyPlan } from "./properties.ts";
import { idRenamer, type Renamer } from "./rename-ids.ts";
import type { MonitoredNodes } from "./monitored-nodes.ts";

/** States audited before sampling starts: asymmetry in a model's code shows in its first steps. */
const AUDIT_ALL = 256;
/** Past those, one state in this many (a power of two). */
const AUDIT_EVERY = 4096;
/** States renamed by every swap; later ones by one swap each, in turn (two-phase with 8 RMs has 7). */
const EVERY_SWAP = 32;

/** A swap of two adjacent ids of one id set. */
interface Swap {
  readonly set: string;
  readonly i: number;
  readonly newId: readonly number[];
  readonly rename: Renamer;
}

/** A node reached in one step (a state, with the trace monitors' states), and its fingerprint. */
interface Successor<A> {
  readonly action: A;
  /** The node, or the monitor that rejected the action (Rejected). */
  readonly node: unknown;
  readonly key: string;
}

/** Where a trace monitor rejects the action: a renamed rejection is the same (its message names processes, so it is not compared). */
class Rejected {
  constructor(readonly monitor: string) {}
}

/** A state predicate of a property, by the property's name. */
interface Judge<S> {
  readonly name: string;
  readonly judge: (s: S) => unknown;
}

export class SymmetryAudit<S, A extends Action> {
  /** States audited so far. */
  audited = 0;
  private seen = 0;
  private readonly swaps: readonly Swap[];
  private readonly judges: readonly Judge<S>[];
  private readonly fingerprint: (v: unknown, out: Int32Array, at: number) => void;
  private readonly lanes = new Int32Array(2);
  private readonly monitorSteps = new InternedMonitors();

  /** With trace monitors, `monitored` makes nodes of a state with the monitors' states (monitored-nodes.ts): they are renamed and stepped together. */
  constructor(
    private readonly automaton: Automaton<S, A>,
    private readonly plan: PropertyPlan<S, A>,
    private readonly monitored?: MonitoredNodes<S>,
  ) {
    const type = monitored?.type ?? (automaton.stateType as Type<unknown>);
    this.fingerprint = typedFingerprinter(type);
    this.swaps = [...type.idSets].flatMap(([set, count]) => {
      const rename = idRenamer(type, set);
      return Array.from({ length: count - 1 }, (_, i) => {
        const newId = Array.from({ length: count }, (_, k) => (k === i ? i + 1 : k === i + 1 ? i : k));
        return { set, i, newId, rename };
      });
    });
    this.judges = [
      ...[...plan.invariants, ...plan.goals, ...plan.quiescent].map(({ name, property }) => ({ name, judge: (s: S) => property.holds(s) })),
      ...plan.liveness.map(({ name, property }) => ({ name, judge: (s: S) => labelOf(property, s) })),
    ];
  }

  /** Whether the next state met is one to audit (call once per state met). */
  due(): boolean {
    const n = this.seen++;
    return n < AUDIT_ALL || (n & (AUDIT_EVERY - 1)) === 0;
  }

  /** What is wrong at `s` (with the monitors' states `monitors`): a renaming of it that the model or a property tells apart from it; undefined if none. */
  check(s: S, monitors?: readonly Value[]): string | undefined {
    const n = this.audited++;
    const node = this.nodeOf(s, monitors);
    const successors = this.successors(node);
    const swaps = n < EVERY_SWAP ? this.swaps : [this.swaps[n % this.swaps.length]!];
    for (const swap of swaps) {
      const wrong = this.compared(node, successors, swap);
      if (wrong) return wrong;
    }
    return undefined;
  }

  /** The node and its renaming by `swap`, judged and stepped: what tells them apart, if anything. */
  private compared(node: unknown, successors: readonly Successor<A>[], swap: Swap): string | undefined {
    const r = swap.rename(node, swap.newId);
    try {
      return this.judged(this.stateOf(node), this.stateOf(r), swap) ?? this.stepped(successors, r, swap);
    } catch (e) {
      return `its renaming by ${describe(swap)} makes the model or a property throw: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private judged(s: S, r: S, swap: Swap): string | undefined {
    for (const { name, judge } of this.judges) {
      if (judge(s) !== judge(r)) return `property ${name} judges the state and its renaming by ${describe(swap)} differently`;
    }
    return undefined;
  }

  /** Compares the renamed successors of a state with the successors of its renaming `r`. */
  private stepped(successors: readonly Successor<A>[], r: unknown, swap: Swap): string | undefined {
    const ofRenamed = this.successors(r);
    const reached = new Set(ofRenamed.map((x) => x.key));
    const renamed = new Set<string>();
    for (const { action, node } of successors) {
      const k = this.key(node instanceof Rejected ? node : swap.rename(node, swap.newId));
      renamed.add(k);
      if (!reached.has(k)) return `${formatAction(action)} leads to a state whose renaming by ${describe(swap)} no action of the renamed state reaches`;
    }
    const stray = ofRenamed.find((x) => !renamed.has(x.key));
    return stray && `renamed by ${describe(swap)}, it enables ${formatAction(stray.action)}, which leads to a state that is no renaming of one it reaches`;
  }

  private successors(node: unknown): Successor<A>[] {
    const s = this.stateOf(node);
    const enabled: A[] = [];
    this.automaton.enabled(s, enabled);
    return enabled.map((action) => {
      const next = this.after(node, s, action);
      return { action, node: next, key: this.key(next) };
    });
  }

  /** The node after `action`: the state stepped, and the monitors with it (or the monitor that rejects the action). */
  private after(node: unknown, s: S, action: A): unknown {
    const state = this.automaton.step(s, action);
    if (!this.monitored) return state;
    const monitors = this.monitorSteps.after(this.automaton, this.plan, this.monitored.split(node).monitors, action);
    return isBroken(monitors) ? new Rejected(monitors.property) : this.monitored.node(state, monitors);
  }

  private nodeOf(s: S, monitors: readonly Value[] | undefined): unknown {
    return this.monitored ? this.monitored.node(s, monitors!) : s;
  }

  private stateOf(node: unknown): S {
    return this.monitored ? this.monitored.split(node).state : (node as S);
  }

  /** A node's fingerprint; a monitor's rejection by the monitor's name. */
  private key(node: unknown): string {
    if (node instanceof Rejected) return `rejected by ${node.monitor}`;
    this.fingerprint(node, this.lanes, 0);
    return `${this.lanes[0]}:${this.lanes[1]}`;
  }
}

function describe(swap: Swap): string {
  return `swapping ${swap.set} ${swap.i} and ${swap.i + 1}`;
}

/** The error a failed audit stops the check with: what was contradicted, and where. */
export function asymmetryError(message: string, path: readonly Action[]): DefinitionError {
  const where = path.length === 0 ? "in the start state" : `in the state reached by ${path.map((a) => formatAction(a)).join(", ")}`;
  return new DefinitionError(
    `--symmetry: the model tells its ids apart, so symmetry reduction would be unsound: ${where}: ${message}. Check it without --symmetry, or make its code blind to which id is which`,
  );
}
