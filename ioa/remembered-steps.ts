// Steps remembered on their action objects: for automata whose step is a function of the state and
// the action, an explorer that takes the same action object in the same state object again gets
// the very state it got before, without the step. A search takes a packet's arrival at a process
// in every global state that holds both (most differing only elsewhere), and the checker keeps one
// object per value of a process's stack and of the network (checker/interned-parts.ts), so the
// same pair recurs: it spares the step and leaves one object where each global state would hold a
// copy of its own.
//
// What is remembered is a hidden field of the action: symbol-keyed and not enumerable, so no
// operation on values sees it (hashing, equality and encodings read string keys; tests' deep
// equality, enumerable ones). A field costs a fraction of a WeakMap's lookup, and a WeakMap's
// entries slow every collection. The first state is in the field's record, later ones in a map.

import type { Action } from "./action.ts";
import type { Automaton } from "./automaton.ts";
import { Wrapper } from "./wrapper.ts";

interface Taken {
  from: unknown;
  to: unknown;
  more: Map<unknown, unknown> | undefined;
}

/** Lookups between two looks at how often remembering pays. */
const WINDOW = 4096;
/** Lookups skipped when it did not pay, before it is tried again. */
const PAUSE = 16 * WINDOW;

/**
 * Whether remembering pays, judged as it goes: an explorer that meets most states once (a
 * simulator's runs) seldom finds what it remembered, and pays for remembering it; so when fewer
 * than half the lookups find something, remembering stops for a while, then is tried again. (The
 * checker, which interns states, finds nine in ten.)
 */
export class Payoff {
  private lookups = 0;
  private hits = 0;
  private paused = 0;

  /** Whether to look up and remember now. */
  get on(): boolean {
    if (this.paused === 0) return true;
    this.paused--;
    return false;
  }

  /** Counts a lookup, and whether it found something. */
  looked(found: boolean): void {
    if (found) this.hits++;
    if (++this.lookups < WINDOW) return;
    if (this.hits * 2 < WINDOW) this.paused = PAUSE;
    this.lookups = 0;
    this.hits = 0;
  }
}

/**
 * The steps of one automaton, remembered on the action objects it takes, under a field of its own
 * (an action shared by two automata — a packet's arrival, by the network and a stack — is
 * remembered by each).
 */
export class RememberedSteps<S> {
  private readonly field = Symbol("taken");
  private readonly payoff = new Payoff();

  /** The state the automaton came to when it last took `a` in `from`, if it remembers one. */
  get(a: object, from: S): S | undefined {
    if (!this.payoff.on) return undefined;
    const taken = (a as Record<symbol, Taken | undefined>)[this.field];
    const to = taken === undefined ? undefined : ((taken.from === from ? taken.to : taken.more?.get(from)) as S | undefined);
    this.payoff.looked(to !== undefined);
    return to;
  }

  /** Remembers on `a` that the automaton took it in `from` and came to `to` (not on an action that cannot take a field: frozen; nor while remembering does not pay). */
  set(a: object, from: S, to: S): void {
    if (!this.payoff.on) return;
    const taken = (a as Record<symbol, Taken | undefined>)[this.field];
    if (taken !== undefined) (taken.more ??= new Map()).set(from, to);
    else if (Object.isExtensible(a)) Object.defineProperty(a, this.field, { value: { from, to, more: undefined } satisfies Taken });
  }
}

/** Values remembered by object (a WeakMap), while remembering pays. */
export class RememberedBy<K extends object, V> {
  private readonly map = new WeakMap<K, V>();
  private readonly payoff = new Payoff();

  /** What `make` gives for `k`: remembered, or made now (and remembered while it pays). */
  get(k: K, make: (k: K) => V): V {
    if (!this.payoff.on) return make(k);
    let v = this.map.get(k);
    this.payoff.looked(v !== undefined);
    if (v === undefined) this.map.set(k, (v = make(k)));
    return v;
  }
}

/** `inner`, its steps remembered on their action objects. */
export class RememberingSteps<S, A extends Action> extends Wrapper<S, A> {
  private readonly remembered = new RememberedSteps<S>();

  override step(s: S, a: A): S {
    const known = this.remembered.get(a, s);
    if (known !== undefined) return known;
    const to = this.inner.step(s, a);
    this.remembered.set(a, s, to);
    return to;
  }
}

export function rememberingSteps<S, A extends Action>(inner: Automaton<S, A>): RememberingSteps<S, A> {
  return new RememberingSteps(inner);
}
