// Interned monitors: the trace monitors' states kept once per value, and their steps remembered.
//
// A search judges trace properties by monitors, whose states ride with the automaton's state (the
// vsync and total order services' exact checkers hold every cast, delivery and view). Every group
// action moves some of them to new objects, which were hashed whole for each new state's key: a
// sixth of the total order stack's check. As with the state's parts (interned-parts.ts), each
// monitor's state is replaced by the first object that had its value, the monitors' key is a
// fingerprint of their ids, and a monitor's step from an interned state on an action object is
// remembered (ioa/remembered-steps.ts): the actions are the interned parts' own objects, so the
// same pair recurs.

import { finalizeA, finalizeB, foldA, foldB } from "../ioa/hash.ts";
import { fingerprintInto, Violation, type Action, type Automaton, type Value } from "../ioa/index.ts";
import { RememberedSteps } from "../ioa/remembered-steps.ts";
import { InternedValues } from "./interned-values.ts";
import type { Broken, PropertyPlan } from "./properties.ts";

/** One monitor's states met so far, and its steps from them. */
class MonitorValues {
  readonly values = new InternedValues<Value>();
  readonly steps = new RememberedSteps<Value>();
}

export class InternedMonitors {
  /** By monitor, in the plan's order (made as monitors are met). */
  private readonly monitors: MonitorValues[] = [];
  private readonly lanes = new Int32Array(2);

  /** The monitors' states after `automaton` takes `a` (the same states when `a` is internal to it), or which monitor rejected it. */
  after<A extends Action>(automaton: Automaton<unknown, A>, plan: PropertyPlan<unknown, A>, states: readonly Value[], a: A): readonly Value[] | Broken {
    return automaton.roleOf(a) === "internal" ? states : this.advance(plan, states, a);
  }

  /** The monitors' states after external action `a`, or which monitor rejected it; from interned states, a step taken before is not taken again. */
  advance<A extends Action>(plan: PropertyPlan<unknown, A>, states: readonly Value[], a: A): readonly Value[] | Broken {
    let next: Value[] | undefined;
    for (let i = 0; i < plan.monitors.length; i++) {
      const steps = this.valuesOf(i).steps;
      const from = states[i]!;
      // Steps are remembered from objects: a primitive state is as cheap to step as to look up.
      const remembers = typeof from === "object" && from !== null;
      let m = remembers ? steps.get(a, from) : undefined;
      if (m === undefined) {
        const { name, property } = plan.monitors[i]!;
        const stepped = property.step(from, a);
        if (stepped instanceof Violation) return { property: name, message: stepped.message };
        m = stepped;
        if (remembers) steps.set(a, from, m);
      }
      if (m !== from) (next ??= states.slice())[i] = m;
    }
    return next ?? states;
  }

  /** Writes the monitors' key to `out[0..1]`; answers `states` with each replaced by the interned object of its value. */
  intern(states: readonly Value[], out: Int32Array): readonly Value[] {
    let kept: Value[] | undefined;
    let a = 0x2545f491;
    let b = 0x4f1bbcdc;
    for (let i = 0; i < states.length; i++) {
      const v = states[i]!;
      const { values } = this.valuesOf(i);
      let id = values.known(v);
      if (id < 0) {
        fingerprintInto(v, this.lanes, 0);
        id = values.add(v, this.lanes[0]!, this.lanes[1]!);
      }
      a = foldA(a, id);
      b = foldB(b, id);
      if (values.object(id) !== v) (kept ??= states.slice())[i] = values.object(id);
    }
    out[0] = finalizeA(a ^ states.length);
    out[1] = finalizeB((b + states.length) | 0);
    return kept ?? states;
  }

  private valuesOf(i: number): MonitorValues {
    return (this.monitors[i] ??= new MonitorValues());
  }
}
