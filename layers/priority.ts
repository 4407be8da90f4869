// Priorities: which of the enabled actions of a group may happen first.
//
//   prioritize(group, { urgent: ["deliver", "transmit"], patient: ["timer"], waitFor: ["arrive"] })
//
// Urgent actions preempt every other: a stack runs each input to completion, and what the run
// produces for the application and the network leaves as outputs, one action each; in a real
// process they leave during the run itself (a datagram goes out, an upcall is made) before the
// process or anyone else takes another step. Making them urgent gives a composition that execution
// model, and keeps the state space small: a process's emissions are not interleaved with steps of
// other processes they are independent of.
//
// Patient actions wait while any `waitFor` action is enabled: a timer fires only when no packet is
// in flight. Timeouts are set longer than a round trip, so that a retransmission answers a loss,
// not a slow packet (the "perfect timeout" of sliding-window proofs, Spin's `timeout`). This keeps
// out the executions where retransmissions race the packets they repeat; duplicates still arise,
// from the network's duplicate fault.

import { Composition, formatAction, Wrapper, type Action, type Automaton } from "../ioa/index.ts";

export interface Priorities {
  readonly urgent?: readonly string[];
  readonly patient?: readonly string[];
  readonly waitFor?: readonly string[];
}

export class Prioritized<S, A extends Action> extends Wrapper<S, A> {
  private readonly urgent: ReadonlySet<string>;
  private readonly patient: ReadonlySet<string>;
  private readonly waitFor: ReadonlySet<string>;
  private readonly all: A[] = [];
  /**
   * Over a composition, the components are asked one by one: first those that can offer urgent
   * actions, and when one does, no other (a group's network and applications are not asked while
   * a stack has outputs waiting, which is most of the time).
   */
  private readonly components: { readonly of: Composition<S, A>; readonly urgent: readonly number[] } | undefined;

  constructor(inner: Automaton<S, A>, priorities: Priorities) {
    const urgent = new Set(priorities.urgent ?? []);
    super(inner, new Map([...inner.actions].map(([name, info]) => [name, urgent.has(name) ? { ...info, urgent: true } : info])));
    this.urgent = urgent;
    this.patient = new Set(priorities.patient ?? []);
    this.waitFor = new Set(priorities.waitFor ?? []);
    if (inner instanceof Composition) {
      this.components = { of: inner as Composition<S, A>, urgent: inner.controllersOf(this.urgent) };
    }
  }

  override enabled(s: S, out: A[]): void {
    if (this.components) return this.enabledByComponent(s, out, this.components);
    const all = this.all;
    all.length = 0;
    this.inner.enabled(s, all);
    let waiting = false;
    for (const a of all) {
      if (this.urgent.has(a.name)) {
        for (const u of all) if (this.urgent.has(u.name)) out.push(u);
        return;
      }
      if (this.waitFor.has(a.name)) waiting = true;
    }
    for (const a of all) if (!waiting || !this.patient.has(a.name)) out.push(a);
  }

  /**
   * `enabled`, the same actions in the same order, asking a composition's components only as far
   * as needed. Asked straight into `out` and filtered in place: an array of each component's own,
   * filled by push, would be allocated with room for a dozen more at every state.
   */
  private enabledByComponent(s: S, out: A[], { of, urgent }: NonNullable<Prioritized<S, A>["components"]>): void {
    const start = out.length;
    for (let j = 0; j < urgent.length; j++) of.enabledIn(s, urgent[j]!, out);
    if (someNamed(out, start, this.urgent)) return keepOnly(out, start, this.urgent, true);
    // Nothing urgent: every component in order, the urgent ones asked again (replicated stacks
    // answer again from what they remember).
    out.length = start;
    for (let i = 0; i < of.parts.length; i++) of.enabledIn(s, i, out);
    if (someNamed(out, start, this.waitFor)) keepOnly(out, start, this.patient, false);
  }

  // A call site of its own: every step of a group goes through here, and the wrapper's shared one
  // sees every kind of automaton wrapped (measured: 8–10% of the fifo check's CPU).
  override step(s: S, a: A): S {
    return this.inner.step(s, a);
  }

  override why(s: S, a: A): string | undefined {
    const reason = this.inner.why(s, a);
    if (reason !== undefined || this.inner.roleOf(a) === "input") return reason;
    const offered: A[] = [];
    this.enabled(s, offered);
    if (offered.some((x) => x.name === a.name)) return undefined;
    const all: A[] = [];
    this.inner.enabled(s, all);
    const first = all.find((x) => this.urgent.has(x.name)) ?? all.find((x) => this.waitFor.has(x.name));
    return first ? `${formatAction(first)} must happen first` : undefined;
  }
}

/** Whether an action from `start` on in `actions` has its name in `names`. */
function someNamed(actions: readonly Action[], start: number, names: ReadonlySet<string>): boolean {
  for (let k = start; k < actions.length; k++) if (names.has(actions[k]!.name)) return true;
  return false;
}

/** Keeps, from `start` on, the actions whose name is in `names` (`named`) or is not (`!named`), in order. */
function keepOnly(actions: Action[], start: number, names: ReadonlySet<string>, named: boolean): void {
  let kept = start;
  for (let k = start; k < actions.length; k++) if (names.has(actions[k]!.name) === named) actions[kept++] = actions[k]!;
  if (kept < actions.length) actions.length = kept;
}

export function prioritize<S, A extends Action>(automaton: Automaton<S, A>, priorities: Priorities): Prioritized<S, A> {
  return new Prioritized(automaton, priorities);
}
