// Executions, traces and replay.
//
// An execution alternates states and actions: states[i] --actions[i]--> states[i + 1]. Its trace
// is the subsequence of external actions (inputs and outputs). Replaying asks whether an automaton
// admits a sequence of actions and, when it does not, answers at which step and why.

import type { Action } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { ValueError } from "./errors.ts";
import { diffValues, formatChange } from "./format.ts";
import { assertType } from "./types.ts";
import { fingerprintString, type Value } from "./value.ts";

export interface Execution<S, A extends Action> {
  readonly states: readonly S[];
  readonly actions: readonly A[];
}

/**
 * An infinite execution shown finitely: after its last state it returns to `states[loop]` and
 * repeats the actions from there on. The last state equals `states[loop]` (the closing action is
 * recorded), except when the cycle is empty: then `loop` is the last index and the execution
 * ends where nothing is enabled (a maximal finite execution, stuttering forever).
 */
export interface Lasso<S, A extends Action> extends Execution<S, A> {
  readonly loop: number;
}

/** The steps a lasso of `steps` steps repeats, in words: "steps 4–9 repeat", "step 8 repeats". */
export function repeatedSteps(loop: number, steps: number): string {
  return loop + 1 === steps ? `step ${steps} repeats` : `steps ${loop + 1}–${steps} repeat`;
}

export type ReplayResult<S, A extends Action> =
  | { readonly ok: true; readonly execution: Execution<S, A> }
  | {
      readonly ok: false;
      /** The longest prefix that replayed. */
      readonly execution: Execution<S, A>;
      /** Index of the action that could not be taken (0-based). */
      readonly step: number;
      readonly action: A;
      readonly reason: string;
    };

/** The external actions of an execution, in order. */
export function traceOf<S, A extends Action>(automaton: Automaton<S, A>, execution: Execution<S, A>): A[] {
  return execution.actions.filter((a) => {
    const role = automaton.roleOf(a);
    return role === "input" || role === "output";
  });
}

/**
 * Takes `actions` one by one from `start` (by default the first start state). Fails at the first
 * action that is not in the signature, has a bad parameter, is not enabled, or whose effect makes
 * a state that is not of the automaton's state type.
 */
export function replay<S, A extends Action>(automaton: Automaton<S, A>, actions: readonly A[], start?: S): ReplayResult<S, A> {
  const states: S[] = [start ?? automaton.startStates()[0]!];
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    const s = states[states.length - 1]!;
    const reason = automaton.why(s, a) ?? stateProblem(automaton, () => automaton.step(s, a));
    if (reason !== undefined) return { ok: false, execution: { states, actions: actions.slice(0, i) }, step: i, action: a, reason };
    states.push(automaton.step(s, a));
  }
  return { ok: true, execution: { states, actions } };
}

function stateProblem<S, A extends Action>(automaton: Automaton<S, A>, next: () => S): string | undefined {
  try {
    assertType(automaton.stateType, next(), "state");
    return undefined;
  } catch (e) {
    if (e instanceof ValueError) return `its effect makes an invalid state: ${e.message}`;
    throw e;
  }
}

/**
 * Replays a recorded execution and also checks that every recorded state is the one the automaton
 * reaches; a mismatch names the step and the differences.
 */
export function replayExecution<S, A extends Action>(automaton: Automaton<S, A>, recorded: Execution<S, A>): ReplayResult<S, A> {
  const result = replay(automaton, recorded.actions, recorded.states[0]);
  if (!result.ok) return result;
  const reached = result.execution.states;
  for (let i = 1; i < reached.length; i++) {
    const changes = diffValues(recorded.states[i] as Value, reached[i] as Value, "state");
    if (changes.length > 0) {
      return {
        ok: false,
        execution: { states: reached.slice(0, i), actions: recorded.actions.slice(0, i - 1) },
        step: i - 1,
        action: recorded.actions[i - 1]!,
        reason: `the recorded state after it differs from the one reached: ${changes.map((c) => formatChange(c, { maxLength: 80 })).join("; ")}`,
      };
    }
  }
  return result;
}

export type TraceResult<A extends Action> =
  | { readonly ok: true }
  | { readonly ok: false; readonly step: number; readonly action: A; readonly reason: string };

/**
 * Does the automaton admit this trace (a sequence of external actions), allowing any internal
 * actions in between? Explores at most `maxStates` states between two trace events.
 */
export function admitsTrace<S, A extends Action>(
  automaton: Automaton<S, A>,
  trace: readonly A[],
  options: { maxStates?: number } = {},
): TraceResult<A> {
  const maxStates = options.maxStates ?? 100_000;
  let frontier = [...automaton.startStates()];
  for (let i = 0; i < trace.length; i++) {
    const a = trace[i]!;
    const role = automaton.roleOf(a);
    if (role === undefined || role === "internal") {
      return { ok: false, step: i, action: a, reason: role === undefined ? automaton.why(frontier[0]!, a)! : "it is an internal action, not part of a trace" };
    }
    const reachable = internalClosure(automaton, frontier, maxStates);
    const next = reachable.filter((s) => automaton.why(s, a) === undefined).map((s) => automaton.step(s, a));
    if (next.length === 0) return { ok: false, step: i, action: a, reason: automaton.why(reachable[0]!, a)! };
    frontier = dedupe(next);
  }
  return { ok: true };
}

function internalClosure<S, A extends Action>(automaton: Automaton<S, A>, from: readonly S[], maxStates: number): S[] {
  const seen = new Map<string, S>();
  const queue = [...from];
  for (const s of from) seen.set(fingerprintString(s as Value), s);
  while (queue.length > 0 && seen.size < maxStates) {
    const s = queue.shift()!;
    const enabled: A[] = [];
    automaton.enabled(s, enabled);
    for (const a of enabled) {
      if (automaton.roleOf(a) !== "internal") continue;
      const t = automaton.step(s, a);
      const key = fingerprintString(t as Value);
      if (!seen.has(key)) {
        seen.set(key, t);
        queue.push(t);
      }
    }
  }
  return [...seen.values()];
}

function dedupe<S>(states: readonly S[]): S[] {
  return [...new Map(states.map((s) => [fingerprintString(s as Value), s])).values()];
}
