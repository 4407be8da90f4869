// What the simulator knows about actions from step to step.
//
// Keys tell actions apart by value, for the maps it keeps (the timetable, what it remembers about
// actions): an action's key is its name and, field by field in the declared order of its
// parameters, each parameter's typed fingerprint — an integer as itself, and an object (a packet, a
// set) by a fingerprint remembered for that very object, since a model hands the same packet to
// many actions (its arrival, drop and duplicate at each destination). Equal actions get equal keys.
// An action whose parameters do not fit their declared type falls back to the generic fingerprint.
// Facts — an action's kind, key, details and thread — are remembered by object and by key, since a
// composition's details cost more than a key; and from one step to the next the simulator takes the
// facts of the very action objects that were enabled the step before from its own list, so that a
// step looks up only the actions that are new.

import { fingerprintString, ValueError, typedFingerprinter, type Action, type ActionDetails, type ActionKind, type Automaton, type Layout, type Type } from "../ioa/index.ts";

type Fingerprinter = (v: unknown, out: Int32Array, at: number) => void;

/** One declared parameter: its key, whether it may be absent, and how it reads in a key. */
interface ParamKey {
  readonly key: string;
  readonly optional: boolean;
  readonly text: (v: unknown) => string;
}

export class ActionKeys<A extends Action> {
  /** The declared parameters of each action name; undefined: keyed by the generic fingerprint. */
  private readonly byName = new Map<string, readonly ParamKey[] | undefined>();
  /** How a value of each parameter type reads in a key. */
  private readonly byType = new Map<Type<unknown>, (v: unknown) => string>();
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
    const params = this.params(a.name);
    if (params === undefined) return fingerprintString(a);
    let key = a.name;
    let present = 1;
    try {
      for (let i = 0; i < params.length; i++) {
        const param = params[i]!;
        const v = a[param.key];
        if (v === undefined) {
          if (!param.optional) return fingerprintString(a);
          key += " -";
        } else {
          key += ` ${param.text(v)}`;
          present++;
        }
      }
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      this.byName.set(a.name, undefined);
      return fingerprintString(a);
    }
    // A parameter the signature does not declare would be invisible to the key.
    let fields = 0;
    for (const _ in a) fields++;
    return fields === present ? key : fingerprintString(a);
  }

  private params(name: string): readonly ParamKey[] | undefined {
    if (!this.byName.has(name)) {
      const layout: Layout | undefined = this.automaton.actions.get(name)?.params.layout();
      const fields = layout?.kind === "record" ? layout.fields : undefined;
      this.byName.set(name, fields?.map((f) => ({ key: f.key, optional: f.optional, text: this.text(f.type, `action ${name}, parameter ${f.key}`) })));
    }
    return this.byName.get(name);
  }

  /** An integer reads as itself; anything else as its typed fingerprint, remembered for objects. */
  private text(type: Type<unknown>, what: string): (v: unknown) => string {
    let text = this.byType.get(type);
    if (text !== undefined) return text;
    const fingerprint: Fingerprinter = typedFingerprinter(type, what);
    const out = this.out;
    const lanes = (v: unknown) => {
      fingerprint(v, out, 0);
      return `${out[0]}:${out[1]}`;
    };
    const kind = type.layout().kind;
    if (kind === "int" || kind === "ids") {
      text = (v) => {
        if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
        return lanes(v);
      };
    } else {
      const remembered = new WeakMap<object, string>();
      text = (v) => {
        if (typeof v !== "object" || v === null) return lanes(v);
        let t = remembered.get(v);
        if (t === undefined) remembered.set(v, (t = lanes(v)));
        return t;
      };
    }
    this.byType.set(type, text);
    return text;
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
