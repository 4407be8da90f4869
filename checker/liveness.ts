// Judging liveness properties on the reachable graph, once the search has recorded all of it.
//
//  - leads-to (always trigger ⇒ eventually response): the obligation region is every node reached
//    from a node where the trigger holds and the response does not, through nodes where the
//    response does not hold. A fair cycle inside it (or a node inside it where nothing is enabled)
//    is a counterexample: the obligation is never discharged. A trigger that holds nowhere makes
//    the property vacuous: reported as such, not as holding.
//  - eventually always p: a fair cycle anywhere that visits a node where p fails (or a node where
//    nothing is enabled and p fails) is a counterexample: p fails infinitely often.
//
// The answer is a path through the graph — a stem and a cycle of edges — which check.ts replays
// into a real execution of the model.

import type { LivenessProperty } from "../ioa/index.ts";
import { findFairComponent, type FairComponent } from "./fair-component.ts";
import { fairCycle, shortestPath } from "./lasso-path.ts";
import type { Graph } from "./state-graph.ts";

/** Per node, what a liveness property's predicates said there. */
export const TRIGGER = 1;
export const RESPONSE = 2;

export type LivenessJudgement =
  | { readonly verdict: "holds" | "vacuous" }
  | {
      readonly verdict: "violated";
      /** The node where the stem leaves the search trail (the obligation starts here, for leads-to). */
      readonly start: number;
      readonly stem: readonly number[];
      readonly cycle: readonly number[];
      /** The first node of the cycle. */
      readonly loopNode: number;
      readonly terminal: boolean;
    };

/** Labels a state for a property: TRIGGER and RESPONSE for leads-to; TRIGGER when eventually-always's predicate holds. */
export function labelOf<S>(property: LivenessProperty<S>, s: S): number {
  if (property.kind === "eventually-always") return property.holds(s) ? TRIGGER : 0;
  return (property.trigger(s) ? TRIGGER : 0) | (property.response(s) ? RESPONSE : 0);
}

export function judgeLiveness<S>(graph: Graph, property: LivenessProperty<S>, labels: Uint8Array): LivenessJudgement {
  return property.kind === "leads-to" ? judgeLeadsTo(graph, property.fairness, labels) : judgeEventuallyAlways(graph, property.fairness, labels);
}

function judgeLeadsTo(graph: Graph, fairness: LivenessProperty<unknown>["fairness"], labels: Uint8Array): LivenessJudgement {
  const { triggered, sources } = obligations(labels, graph.nodeCount);
  if (!triggered) return { verdict: "vacuous" };
  const region = pendingRegion(graph, labels, sources);
  const component = findFairComponent(graph, region, fairness);
  if (!component) return { verdict: "holds" };
  const inComponent = new Set(component.nodes);
  const stem = shortestPath(graph, region, sources, (v) => inComponent.has(v))!;
  return violation(graph, component, stem.from, stem.edges, stem.to, fairness);
}

function judgeEventuallyAlways(graph: Graph, fairness: LivenessProperty<unknown>["fairness"], labels: Uint8Array): LivenessJudgement {
  const n = graph.nodeCount;
  const failing = new Uint8Array(n);
  let anyFailing = false;
  for (let v = 0; v < n; v++) {
    if (labels[v]! & TRIGGER) continue;
    failing[v] = 1;
    anyFailing = true;
  }
  if (!anyFailing) return { verdict: "holds" };
  const component = findFairComponent(graph, new Uint8Array(n).fill(1), fairness, failing);
  if (!component) return { verdict: "holds" };
  const entry = component.nodes.find((v) => failing[v] === 1)!;
  return violation(graph, component, entry, [], entry, fairness, failing);
}

function violation(
  graph: Graph,
  component: FairComponent,
  start: number,
  stem: readonly number[],
  entry: number,
  fairness: LivenessProperty<unknown>["fairness"],
  accepting?: Uint8Array,
): LivenessJudgement {
  const cycle = fairCycle(graph, component, entry, fairness, accepting);
  return { verdict: "violated", start, stem, cycle, loopNode: entry, terminal: component.terminal };
}

/** Whether a leads-to's trigger holds anywhere, and the nodes where an obligation starts (trigger, no response). */
export function obligations(labels: Uint8Array, n: number): { triggered: boolean; sources: number[] } {
  let triggered = false;
  const sources: number[] = [];
  for (let v = 0; v < n; v++) {
    if (!(labels[v]! & TRIGGER)) continue;
    triggered = true;
    if (!(labels[v]! & RESPONSE)) sources.push(v);
  }
  return { triggered, sources };
}

/** The nodes reachable from `sources` without passing a node where the response holds. */
export function pendingRegion(graph: Graph, labels: Uint8Array, sources: readonly number[]): Uint8Array {
  const region = new Uint8Array(graph.nodeCount);
  const stack = [...sources];
  for (const s of sources) region[s] = 1;
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      const w = graph.targets[e]!;
      if (region[w] || labels[w]! & RESPONSE) continue;
      region[w] = 1;
      stack.push(w);
    }
  }
  return region;
}
