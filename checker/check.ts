// The checker's entry point: explore every reachable state of a model (within the bounds given),
// checking its properties, and answer with a verdict, figures, and — when a property breaks — the
// shortest execution that breaks it (with breadth-first search).

import type { Action, Automaton, Built, Execution, Type } from "../ioa/index.ts";
import { breadthFirst } from "./bfs.ts";
import { depthFirst } from "./dfs.ts";
import { NodeKeys } from "./node-key.ts";
import { livenessReports } from "./liveness-reports.ts";
import { planProperties, withFairness, type PropertyPlan } from "./properties.ts";
import type { CheckOptions, CheckResult, GoalReport, LivenessReport, Violation } from "./result.ts";
import { Search, type Found } from "./search.ts";
import { monitoredNodes, type MonitoredNodes } from "./monitored-nodes.ts";
import { symmetryReduction } from "./symmetry.ts";
import { asymmetryError, SymmetryAudit } from "./symmetry-audit.ts";
import { replayOrdinals } from "./trail.ts";

/** Checks an automaton with its properties: a model instance, or `withProperties(automaton, {...})`. */
export async function check<S, A extends Action>(model: Built<S, A>, options: CheckOptions = {}): Promise<CheckResult<S, A>> {
  const { automaton } = model;
  const plan = withFairness(planProperties(model.properties ?? {}, options.only), options.fairness);
  const monitored = options.symmetry && plan.monitors.length > 0 ? monitoredNodes(automaton.stateType, plan.monitors) : undefined;
  const audit = options.symmetry ? new SymmetryAudit(automaton, plan, monitored) : undefined;
  const search = new Search(automaton, plan, nodeKeys(automaton.stateType, options.symmetry === true, monitored), options, audit);
  await (options.dfs ? depthFirst : breadthFirst)(search);

  const execution = (node: number): Execution<S, A> => {
    const { start, ordinals } = search.trail.path(node);
    return replayOrdinals(automaton, start, ordinals);
  };
  if (search.asymmetry) {
    const { node, message } = search.asymmetry;
    throw asymmetryError(message, execution(node).actions);
  }
  const goals: GoalReport<S, A>[] = plan.goals.map(({ name, property }) => {
    const node = search.goalNodes.get(name);
    return { property: name, description: property.description, witness: node === undefined ? undefined : execution(node) };
  });
  const judged = performance.now();
  const liveness = livenessReports(search, plan);
  const livenessSeconds = (performance.now() - judged) / 1000;
  const violation = search.found
    ? counterexample(search.found, execution, automaton)
    : (unreachedGoal(goals, search.stopped === undefined, search.visited.size) ?? brokenLiveness(liveness, plan));
  return {
    verdict: violation ? "violated" : search.stopped === "memory" ? "incomplete" : "holds",
    violation,
    goals,
    liveness,
    livenessSeconds,
    edges: search.graph?.edgeCount ?? 0,
    distinctStates: search.visited.size,
    generatedStates: search.generated,
    maxDepth: search.maxDepth,
    seconds: search.seconds,
    peakMemoryBytes: process.resourceUsage().maxRSS * 1024,
    storeBytes: search.visited.bytes + search.trail.bytes + (search.graph?.bytes ?? 0),
    stopped: search.stopped,
    properties: plan.names,
    quiescentStates: search.quiescentStates,
    ...(audit && { symmetryAudited: audit.audited }),
    vacuous: [
      ...(search.quiescentStates === 0 ? plan.quiescent.map((q) => ({ property: q.name, reason: "no quiescent state" as const })) : []),
      ...plan.monitors.flatMap((m, i) => (search.monitorsJudged[i] ? [] : [{ property: m.name, reason: "never triggered" as const }])),
    ],
  };
}

/** How the search keys its nodes: by the state (with the monitors' states), or by the representative of its orbit under symmetry reduction. */
function nodeKeys<S>(type: Type<S>, symmetry: boolean, monitored: MonitoredNodes<S> | undefined): NodeKeys<S> {
  if (!symmetry) return new NodeKeys(type);
  if (monitored) return new NodeKeys(type, undefined, { canonical: symmetryReduction(monitored.type), nodes: monitored });
  return new NodeKeys(type, symmetryReduction(type));
}

function counterexample<S, A extends Action>(found: Found, execution: (node: number) => Execution<S, A>, automaton: Automaton<S, A>): Violation<S, A> {
  let path = execution(found.node);
  if (found.extra !== undefined) {
    const last = path.states[path.states.length - 1]!;
    const enabled: A[] = [];
    automaton.enabled(last, enabled);
    const a = enabled[found.extra]!;
    path = { states: [...path.states, automaton.step(last, a)], actions: [...path.actions, a] };
  }
  return { property: found.property, kind: found.kind, message: found.message, counterexample: path };
}

/** The first liveness property violated, as the check's violation: its counterexample is a lasso. */
function brokenLiveness<S, A extends Action>(reports: readonly LivenessReport<S, A>[], plan: PropertyPlan<S, A>): Violation<S, A> | undefined {
  const broken = reports.find((r) => r.verdict === "violated");
  if (!broken) return undefined;
  const kind = plan.liveness.find((l) => l.name === broken.property)!.property.kind;
  return { property: broken.property, kind, message: broken.reason!, counterexample: broken.counterexample };
}

/** A goal is a failure when a complete search never reached it. */
function unreachedGoal<S, A extends Action>(goals: readonly GoalReport<S, A>[], complete: boolean, states: number): Violation<S, A> | undefined {
  const missed = goals.find((g) => g.witness === undefined);
  if (!missed || !complete) return undefined;
  return {
    property: missed.property,
    kind: "sometimes",
    message: `never reached in ${states} distinct states${missed.description ? ` (${missed.description})` : ""}`,
    counterexample: undefined,
  };
}
