// What the simulator knows about actions from step to step.
//
// Keys tell actions apart by value, for the maps it keeps (the timetable, what it remembers about
// actions): an action's key is its name and, field by field in the declared order of its
// parameters, each parameter's typed fingerprint — an integer as itself, and an object (a packet, a
// set) by a fingerprint remembered for that very object, since a model hands the same packet to
// many actions (its arrival, drop and duplicate at each destination). Equal actions get equal keys.
// An action whose parameters do not fit their declared type falls back to the generic fingerprint.
// Facts — an action's kind, key, details and thread — are remembered by object and by key, since a
// composition's details cost more than a key; and they are asked for only where they are needed: the timetable and the fault groups ask for those
// of actions new to them, the scheduler for those of the candidates it weighs.

import { fingerprintString, ValueError, typedFingerprinter, type Action, type ActionDetails, type ActionKind, type Automaton, type Layout, type Type } from "../ioa/index.ts";
import { Recent } from "../ioa/recent.ts";

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

  key(a: A): string {
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
      const remembered = new Recent<object, string>();
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
  // Kept small (a run or two of new actions): objects held on to live into the old generation,
  // which costs more than looking a few of them up again (16,384 made runs slower than a WeakMap
  // did when the heap was large).
  private readonly byObject = new Recent<A, Facts>();
  private readonly byValue = new Map<string, Facts>();
  private readonly keys: ActionKeys<A>;

  constructor(private readonly automaton: Automaton<S, A>) {
    this.keys = new ActionKeys(automaton);
  }

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
