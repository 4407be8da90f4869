// After the search: each liveness property judged on the recorded graph, and each counterexample
// replayed into a real execution of the model — a lasso whose last state is its loop state again.

import { repeatedSteps, type Action, type Automaton, type Lasso, type LivenessProperty } from "../ioa/index.ts";
import { judgeLiveness, type LivenessJudgement } from "./liveness.ts";
import type { PropertyPlan } from "./properties.ts";
import type { LivenessReport } from "./result.ts";
import type { Search } from "./search.ts";
import { judgeUnderSymmetry } from "./symmetric-liveness.ts";
import { replayOrdinals } from "./trail.ts";
import type { Graph } from "./state-graph.ts";

const VACUOUS = "its trigger holds in no reachable state";

export function livenessReports<S, A extends Action>(search: Search<S, A>, plan: PropertyPlan<S, A>): LivenessReport<S, A>[] {
  if (plan.liveness.length === 0) return [];
  const unjudged = whyNotJudged(search);
  const graph = unjudged === undefined ? search.graph!.freeze(search.trail.size) : undefined;
  return plan.liveness.map(({ name, property }, i) => {
    const base = { property: name, description: property.description, fairness: property.fairness };
    if (!graph) return { ...base, verdict: "not judged", reason: unjudged, counterexample: undefined };
    if (search.options.symmetry) return { ...base, ...symmetricReport(search, graph, property, search.graph!.labels[i]!) };
    const judgement = judgeLiveness(graph, property, search.graph!.labels[i]!);
    if (judgement.verdict !== "violated") {
      const reason = judgement.verdict === "vacuous" ? VACUOUS : undefined;
      return { ...base, verdict: judgement.verdict, reason, counterexample: undefined };
    }
    const lasso = replayLasso(search, graph, judgement);
    return { ...base, verdict: "violated", reason: lassoMessage(search.automaton, property, lasso), counterexample: lasso };
  });
}

function whyNotJudged<S, A extends Action>(search: Search<S, A>): string | undefined {
  if (search.options.liveness === false) return "liveness checking was turned off";
  if (search.found) return "a safety property broke first";
  if (search.stopped) return `the search was not exhaustive (${search.stopped})`;
  return undefined;
}

/** A verdict on the quotient graph of a search under symmetry reduction (symmetric-liveness.ts). */
function symmetricReport<S, A extends Action>(search: Search<S, A>, graph: Graph, property: LivenessProperty<S>, labels: Uint8Array) {
  const judgement = judgeUnderSymmetry(search, graph, property, labels);
  switch (judgement.verdict) {
    case "violated":
      return { verdict: "violated" as const, reason: lassoMessage(search.automaton, property, judgement.lasso), counterexample: judgement.lasso };
    case "not judged":
      return { verdict: "not judged" as const, reason: judgement.reason, counterexample: undefined };
    default:
      return { verdict: judgement.verdict, reason: judgement.verdict === "vacuous" ? VACUOUS : undefined, counterexample: undefined };
  }
}

function replayLasso<S, A extends Action>(search: Search<S, A>, graph: Graph, j: Extract<LivenessJudgement, { verdict: "violated" }>): Lasso<S, A> {
  const { start, ordinals } = search.trail.path(j.start);
  const stem = [...ordinals, ...j.stem.map((e) => graph.ordinals[e]!)];
  const cycle = j.cycle.map((e) => graph.ordinals[e]!);
  const execution = replayOrdinals(search.automaton, start, [...stem, ...cycle]);
  return { ...execution, loop: stem.length };
}

function lassoMessage<S, A extends Action>(automaton: Automaton<S, A>, property: LivenessProperty<S>, lasso: Lasso<S, A>): string {
  const at = lasso.states[lasso.loop]!;
  const cycle = lasso.actions.length - lasso.loop;
  const what = property.kind === "leads-to" ? "the obligation is never discharged" : "the property keeps failing";
  const how = cycle === 0 ? `the execution stops after step ${lasso.loop} with nothing enabled` : `${repeatedSteps(lasso.loop, lasso.actions.length)} forever`;
  const fair = property.fairness === "none" ? "" : `, a ${property.fairness}ly fair execution of ${automaton.name}`;
  const explained = property.explain?.(at);
  return `${what}: ${how}${fair}${explained ? ` (${explained})` : ""}`;
}
