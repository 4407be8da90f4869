// Liveness under symmetry reduction.
//
// With --symmetry the recorded graph is the quotient: one node per orbit of id renamings, its edges
// the steps of whichever concrete state first stood for each orbit. What it says exactly: where an
// obligation is pending (the properties are symmetric, so a label holds of a whole orbit), and
// which cycles are possible — every concrete cycle inside the pending region goes round orbits of
// one strongly connected component of the quotient's region. What it cannot say is whether a cycle
// is fair: its tasks name processes, and going once round a quotient cycle may rename them, so the
// "same" timer may be process 0's at one visit and process 1's at the next. Judging fairness on
// the quotient's task labels would be unsound both ways.
//
// So each candidate component is *lifted*: from one concrete state of it, every concrete state
// reachable without leaving the component's orbits is explored again, concretely, with its real
// tasks, and the fair-cycle search (fair-component.ts) runs on that concrete graph. One entry per
// component is enough: a fair concrete component D inside the orbits of C is reached from any
// entry e up to a renaming — C is strongly connected, so from e some renaming τ(x) of a state x of
// D is reachable inside C's orbits, and τ(D), D with its ids renamed, is a concrete component that
// is fair too, tasks being renamed with the processes. The lasso is concrete from start to end.
//
// With trace monitors (typed, renamed with the processes: symmetry.ts), a node is a state with the
// monitors' states, concretely too: the lifts step the monitors with the state.
//
// Cost: the lifts are concrete, so liveness under symmetry saves the search its states but not the
// fair-cycle search its work; components that can hold no cycle are never lifted.

import { fingerprintInto, typedFingerprinter, type Action, type Automaton, type Lasso, type LivenessProperty, type Value } from "../ioa/index.ts";
import { findFairComponent, hasInnerEdge, isTerminal } from "./fair-component.ts";
import { fairCycle, shortestPath, sourceOf } from "./lasso-path.ts";
import { obligations, pendingRegion, TRIGGER } from "./liveness.ts";
import { isBroken, type Broken } from "./properties.ts";
import { ComponentFinder } from "./scc.ts";
import type { Search } from "./search.ts";
import type { Graph } from "./state-graph.ts";
import { replayOrdinals } from "./trail.ts";

export type SymmetricJudgement<S, A extends Action> =
  | { readonly verdict: "holds" | "vacuous" }
  | { readonly verdict: "violated"; readonly lasso: Lasso<S, A> }
  | { readonly verdict: "not judged"; readonly reason: string };

/** A candidate component of the quotient (its number in `Candidates.componentOf`), and the node where a concrete execution enters it. */
interface Candidate {
  readonly component: number;
  readonly entry: number;
  readonly depth: number;
}

interface Candidates {
  readonly list: readonly Candidate[];
  /** Per quotient node: its component in the region, or -1. */
  readonly componentOf: Int32Array;
  /** Per quotient node: the edge by which a shortest path from the sources inside the region reaches it (-1 at a source). */
  readonly via: Int32Array;
}

export function judgeUnderSymmetry<S, A extends Action>(
  search: Search<S, A>,
  graph: Graph,
  property: LivenessProperty<S>,
  labels: Uint8Array,
): SymmetricJudgement<S, A> {
  const n = graph.nodeCount;
  let region: Uint8Array;
  let accepting: Uint8Array | undefined;
  let sources: number[];
  if (property.kind === "leads-to") {
    const pending = obligations(labels, n);
    if (!pending.triggered) return { verdict: "vacuous" };
    sources = pending.sources;
    region = pendingRegion(graph, labels, sources);
  } else {
    accepting = Uint8Array.from(labels, (l) => (l & TRIGGER ? 0 : 1));
    sources = [];
    for (let v = 0; v < n; v++) if (accepting[v]) sources.push(v);
    if (sources.length === 0) return { verdict: "holds" };
    region = new Uint8Array(n).fill(1);
  }
  const found = candidates(graph, region, sources, accepting);
  const lifter = new Lifter(search, property, found);
  for (const candidate of found.list) {
    const entry = lifter.enter(graph, candidate, property.kind === "leads-to");
    if (entry === undefined) return { verdict: "not judged", reason: "a step of the quotient could not be matched by a concrete step (a symmetry representative was not unique)" };
    const lasso = lifter.fairLasso(candidate, entry);
    if (lasso) return { verdict: "violated", lasso };
  }
  return { verdict: "holds" };
}

/**
 * The strongly connected components of the region that may hold a cycle (an inner edge, or a node
 * where nothing is enabled) and, for eventually-always, an accepting node; each with the node
 * where an execution enters it, nearest the sources first.
 */
function candidates(graph: Graph, region: Uint8Array, sources: readonly number[], accepting: Uint8Array | undefined): Candidates {
  const n = graph.nodeCount;
  const depth = new Int32Array(n).fill(-1);
  const via = new Int32Array(n).fill(-1);
  const queue = sources.filter((s) => region[s]);
  for (const s of queue) depth[s] = 0;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      const w = graph.targets[e]!;
      if (region[w] && depth[w]! < 0) (depth[w] = depth[v]! + 1), (via[w] = e), queue.push(w);
    }
  }
  const finder = new ComponentFinder(graph);
  const stamp = Int32Array.from(region);
  finder.run(stamp, 1, queue);
  const list: Candidate[] = [];
  for (let c = 0; c < finder.count; c++) {
    const nodes = finder.nodes(c);
    const cyclic = (nodes.length === 1 && isTerminal(graph, nodes[0]!)) || hasInnerEdge(graph, nodes, finder.componentOf, c);
    if (!cyclic) continue;
    let entry = -1;
    for (const v of nodes) {
      if (accepting && !accepting[v]) continue;
      if (entry < 0 || depth[v]! < depth[entry]!) entry = v;
    }
    if (entry < 0) continue;
    list.push({ component: c, entry, depth: depth[entry]! });
  }
  return { list: list.sort((x, y) => x.depth - y.depth), componentOf: finder.componentOf, via };
}

/** A concrete node: a state, with the trace monitors' states when there are monitors. */
interface Concrete<S> {
  readonly state: S;
  readonly monitors: readonly Value[] | undefined;
}

/** Concrete executions into the quotient's components, and the concrete graphs of their orbits. */
class Lifter<S, A extends Action> {
  private readonly automaton: Automaton<S, A>;
  private readonly key = new Int32Array(2);
  private readonly monitorsKey = new Int32Array(2);
  private readonly concrete: (s: S, out: Int32Array, at: number) => void;

  constructor(
    private readonly search: Search<S, A>,
    private readonly property: LivenessProperty<S>,
    private readonly found: Candidates,
  ) {
    this.automaton = search.automaton;
    this.concrete = typedFingerprinter(search.automaton.stateType);
  }

  /** The quotient node of a concrete node (-1 if the search never stored its orbit). */
  private nodeOf(c: Concrete<S>): number {
    this.search.keys.from(c.state, undefined, 0);
    this.search.keys.key(c.state, c.monitors, this.key);
    return this.search.visited.find(this.key[0]!, this.key[1]!);
  }

  /** The monitors' states after `actions` from the start (undefined without monitors), or null where a monitor rejects one. */
  private monitorsAlong(actions: readonly A[]): readonly Value[] | undefined | null {
    const start = this.search.initialMonitors();
    if (start === undefined) return undefined;
    let monitors: readonly Value[] = start;
    for (const a of actions) {
      const next: readonly Value[] | Broken = this.search.keys.monitors.after(this.automaton, this.search.plan, monitors, a);
      if (isBroken(next)) return null;
      monitors = next;
    }
    return monitors;
  }

  /** The concrete node after `a`, or undefined where a monitor rejects it (the search has reported such a step already). */
  private step(c: Concrete<S>, a: A): Concrete<S> | undefined {
    const state = this.automaton.step(c.state, a);
    if (c.monitors === undefined) return { state, monitors: undefined };
    const monitors = this.search.keys.monitors.after(this.automaton, this.search.plan, c.monitors, a);
    return isBroken(monitors) ? undefined : { state, monitors };
  }

  /**
   * A concrete execution to a state of the candidate's entry orbit: the trail to the entry (for
   * eventually-always), or the trail to a source and the quotient's shortest path on from it,
   * each step matched by a concrete one (for leads-to, so that the obligation starts on the way).
   */
  enter(graph: Graph, candidate: Candidate, viaSource: boolean): { states: S[]; actions: A[]; last: Concrete<S> } | undefined {
    const edges: number[] = [];
    let root = candidate.entry;
    if (viaSource) for (let e = this.found.via[root]!; e >= 0; e = this.found.via[root]!) edges.push(e), (root = sourceOf(graph, e));
    const { start, ordinals } = this.search.trail.path(root);
    const { states, actions } = replayOrdinals(this.automaton, start, ordinals);
    const monitors = this.monitorsAlong(actions);
    if (monitors === null) return undefined;
    const last: Concrete<S> = { state: states[states.length - 1]!, monitors };
    const execution = { states: [...states], actions: [...actions], last };
    for (const e of edges.reverse()) {
      const step = this.concreteStep(execution.last, graph.targets[e]!);
      if (!step) return undefined;
      execution.actions.push(step.action);
      execution.states.push(step.next.state);
      execution.last = step.next;
    }
    return execution;
  }

  private inside(candidate: Candidate, node: number): boolean {
    return node >= 0 && this.found.componentOf[node] === candidate.component;
  }

  /** A step from concrete node `c` into the orbit of quotient node `target`. */
  private concreteStep(c: Concrete<S>, target: number): { action: A; next: Concrete<S> } | undefined {
    const enabled: A[] = [];
    this.automaton.enabled(c.state, enabled);
    for (const action of enabled) {
      const next = this.step(c, action);
      if (next && this.nodeOf(next) === target) return { action, next };
    }
    return undefined;
  }

  /** Explores the concrete states of the candidate's orbits reachable from the entry, and looks there for a fair lasso. */
  fairLasso(candidate: Candidate, entry: { states: S[]; actions: A[]; last: Concrete<S> }): Lasso<S, A> | undefined {
    const lift = this.lift(candidate, entry.last);
    const { local } = lift;
    const everywhere = new Uint8Array(local.nodeCount).fill(1);
    everywhere[lift.outside] = 0;
    const property = this.property;
    const accepting = property.kind === "eventually-always" ? Uint8Array.from({ length: local.nodeCount }, (_, v) => (v < lift.outside && !property.holds(lift.states[v]!.state) ? 1 : 0)) : undefined;
    const component = findFairComponent(local, everywhere, property.fairness, accepting);
    if (!component) return undefined;
    const inside = new Set(component.nodes);
    const goal = accepting ? component.nodes.find((v) => accepting[v] === 1)! : undefined;
    const stem = shortestPath(local, everywhere, [0], (v) => (goal === undefined ? inside.has(v) : v === goal))!;
    const cycle = fairCycle(local, component, stem.to, property.fairness, accepting);
    const actions = [...entry.actions, ...stem.edges.map((e) => lift.actions[e]!), ...cycle.map((e) => lift.actions[e]!)];
    const states = [...entry.states];
    for (const a of actions.slice(entry.actions.length)) states.push(this.automaton.step(states[states.length - 1]!, a));
    return { states, actions, loop: actions.length - cycle.length };
  }

  /**
   * The concrete graph of the candidate's orbits from `start` (node 0), with real tasks. A step that
   * leaves the orbits goes to one node, `outside`, past the lifted states: the step still counts
   * as enabled where it starts (for fairness), and a state with such steps is no dead end.
   */
  private lift(candidate: Candidate, start: Concrete<S>): { local: Graph; states: Concrete<S>[]; actions: A[]; outside: number } {
    const ids = new Map<string, number>();
    const states: Concrete<S>[] = [];
    const idOf = (c: Concrete<S>): number => {
      this.concrete(c.state, this.key, 0);
      let k = `${this.key[0]},${this.key[1]}`;
      if (c.monitors) {
        fingerprintInto(c.monitors as Value, this.monitorsKey, 0);
        k += `|${this.monitorsKey[0]},${this.monitorsKey[1]}`;
      }
      let id = ids.get(k);
      if (id === undefined) ids.set(k, (id = states.length)), states.push(c);
      return id;
    };
    idOf(start);
    const offsets = [0];
    const targets: number[] = [];
    const tasks: number[] = [];
    const ordinals: number[] = [];
    const actions: A[] = [];
    const taskIds = new Map<string, number>();
    const taskNames: string[] = [];
    const fair: number[] = [];
    const taskOf = (a: A) => {
      const name = this.automaton.task(a);
      let id = taskIds.get(name);
      if (id === undefined) {
        taskIds.set(name, (id = taskNames.length));
        taskNames.push(name);
        fair.push(this.automaton.details(a).kind === "fault" ? 0 : 1);
      }
      return id;
    };
    const enabled: A[] = [];
    for (let v = 0; v < states.length; v++) {
      const c = states[v]!;
      enabled.length = 0;
      this.automaton.enabled(c.state, enabled);
      enabled.forEach((a, k) => {
        const t = this.step(c, a);
        targets.push(t && this.inside(candidate, this.nodeOf(t)) ? idOf(t) : -1);
        tasks.push(taskOf(a));
        ordinals.push(k);
        actions.push(a);
      });
      offsets.push(targets.length);
    }
    const outside = states.length;
    offsets.push(targets.length);
    const local: Graph = {
      nodeCount: outside + 1,
      offsets: Int32Array.from(offsets),
      targets: Int32Array.from(targets, (w) => (w < 0 ? outside : w)),
      tasks: Int32Array.from(tasks),
      ordinals: Int32Array.from(ordinals),
      fairTasks: Uint8Array.from(fair),
      taskNames,
    };
    return { local, states, actions, outside };
  }
}
