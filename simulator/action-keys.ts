// Keys that tell actions apart by value, for the maps the simulator keeps from step to step (the
// timetable, the facts it remembers about actions). The typed fingerprint of an action's parameters
// (compiled per action name) is cheaper than the generic fingerprint of the whole action; an action
// whose parameters do not fit their declared type falls back to the generic one.

import { fingerprintString, ValueError, typedFingerprinter, type Action, type Automaton, type Params } from "../ioa/index.ts";

type Fingerprinter = (params: Params, out: Int32Array, at: number) => void;

export class ActionKeys<A extends Action> {
  private readonly byName = new Map<string, Fingerprinter | undefined>();
  private readonly out = new Int32Array(2);

  constructor(private readonly automaton: Automaton<unknown, A>) {}

  key(a: A): string {
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
