// What the simulator knows about actions from step to step.
//
// Keys tell actions apart by value, for the maps it keeps (the timetable, what it remembers about
// actions): the typed fingerprint of an action's parameters (compiled per action name) is cheaper
// than the generic fingerprint of the whole action; an action whose parameters do not fit their
// declared type falls back to the generic one. Facts — an action's kind, key, details and thread —
// are remembered by object and by key, since a composition's details cost more than a key; and
// from one step to the next the simulator takes the facts of the very action objects that were
// enabled the step before from its own list, so that a step looks up only the actions that are new.

import { fingerprintString, ValueError, typedFingerprinter, type Action, type ActionDetails, type ActionKind, type Automaton, type Params } from "../ioa/index.ts";

type Fingerprinter = (params: Params, out: Int32Array, at: number) => void;

export class ActionKeys<A extends Action> {
  private readonly byName = new Map<string, Fingerprinter | undefined>();
  private readonly out = new Int32Array(2);

  constructor(private readonly automaton: Automaton<unknown, A>) {}

  /** Keys remembered by action object: models hand out the same objects from step to step. */
  private readonly known = new WeakMap<A, string>();

  key(a: A): string {
    let key = this.known.get(a);
    if (key === undefined) this.known.set(a, (key = this.compute(a)));
    return key;
  }

  private compute(a: A): string {
    const fingerprint = this.fingerprinter(a.name);
    if (fingerprint === undefined) return fingerprintString(a);
    const { name, ...params } = a;
    try {
      fingerprint(params, this.out, 0);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      this.byName.set(name, undefined);
      return fingerprintString(a);
    }
    return `${name} ${this.out[0]} ${this.out[1]}`;
  }

  private fingerprinter(name: string): Fingerprinter | undefined {
    if (!this.byName.has(name)) {
      const params = this.automaton.actions.get(name)?.params;
      this.byName.set(name, params && (typedFingerprinter(params, `action ${name}`) as Fingerprinter));
    }
    return this.byName.get(name);
  }
}

export interface Facts {
  readonly kind: ActionKind;
  readonly key: string;
  readonly details: ActionDetails;
  /** Filled in when first asked (schedulers that need it). */
  thread?: string;
}

/** Facts remembered by the action object (actions enumerated from a finite domain are the same objects at every step), else by key. */
export class ActionFacts<S, A extends Action> {
  private readonly byObject = new WeakMap<A, Facts>();
  private readonly byValue = new Map<string, Facts>();

  constructor(
    private readonly automaton: Automaton<S, A>,
    private readonly keys: ActionKeys<A>,
  ) {}

  of(a: A): Facts {
    let facts = this.byObject.get(a);
    if (facts !== undefined) return facts;
    const key = this.keys.key(a);
    facts = this.byValue.get(key);
    if (facts === undefined) {
      if (this.byValue.size >= 100_000) this.byValue.clear();
      this.byValue.set(key, (facts = { kind: this.automaton.actions.get(a.name)?.kind ?? "step", key, details: this.automaton.details(a) }));
    }
    this.byObject.set(a, facts);
    return facts;
  }
}

/**
 * The facts of a list of actions enabled at each step (the deliveries and timers, say): those of
 * the last list for the very same objects, in the same order, less or plus one here and there. A
 * step that has none (a stack's outputs preempt everything) leaves the last list as it is.
 */
export class EnabledFacts<S, A extends Action> {
  private previous: A[] = [];
  private previousFacts: Facts[] = [];

  constructor(private readonly facts: ActionFacts<S, A>) {}

  /** The facts of each of `actions`, in order. */
  of(actions: readonly A[]): readonly Facts[] {
    if (actions.length === 0) return [];
    const { previous, previousFacts } = this;
    const current: A[] = [];
    const currentFacts: Facts[] = [];
    for (let i = 0, j = 0; i < actions.length; i++) {
      const a = actions[i]!;
      if (previous[j] !== a && previous[j + 1] === a) j++;
      current.push(a);
      currentFacts.push(previous[j] === a ? previousFacts[j++]! : this.facts.of(a));
    }
    this.previous = current;
    this.previousFacts = currentFacts;
    return currentFacts;
  }
}
