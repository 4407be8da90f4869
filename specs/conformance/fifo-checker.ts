// The FIFO service's trace checker: does the FIFO channel service (fifo.ts) admit this trace?
// Exact and deterministic (the service has no internal actions): each process's deliveries from a
// sender are a prefix of what the sender cast, each after its cast.

import { t, valuesEqual, type Type, type Value } from "../../ioa/index.ts";
import { groupTypes } from "../group.ts";
import { castOf, message, ordinal, proc, violation } from "../violation.ts";
import { serviceMonitor } from "./service-monitor.ts";

export type FifoRecord = {
  /** What each process cast, in order. */
  readonly cast: readonly (readonly Value[])[];
  /** delivered[q][p]: how many of p's messages q delivered. */
  readonly delivered: readonly (readonly number[])[];
};

function fifoRecordType(n: number): Type<FifoRecord> {
  const { P, Msg } = groupTypes(n);
  return t.record({ cast: t.table(P, t.array(Msg)), delivered: t.table(P, t.table(P, t.int(0))) });
}

export function fifoChecker(n: number) {
  const start: FifoRecord = { cast: Array.from({ length: n }, () => []), delivered: Array.from({ length: n }, () => Array.from({ length: n }, () => 0)) };
  return serviceMonitor(["cast", "deliver"], start, (s, a) => {
    if (a.name === "cast") return { ...s, cast: s.cast.map((xs, p) => (p === a.p ? [...xs, a.msg as Value] : xs)) };
    if (a.name !== "deliver") return s;
    const m = { from: a.from, msg: a.msg as Value };
    const k = s.delivered[a.p]![a.from]!;
    const expected = s.cast[a.from]![k];
    const at = `${proc(a.p)} delivers ${message(m)} as its ${ordinal(k + 1)} message from ${proc(a.from)}`;
    if (expected === undefined) return violation(`${at}, but ${proc(a.from)} has cast only ${k} message${k === 1 ? "" : "s"}`);
    if (!valuesEqual(expected, m.msg)) {
      return violation(`${at}, but the ${ordinal(k + 1)} message ${proc(a.from)} cast is ${message({ from: a.from, msg: expected })}: channels are FIFO and lose nothing`, castOf({ from: a.from, msg: expected }));
    }
    const mine = s.delivered[a.p]!.map((c, p) => (p === a.from ? c + 1 : c));
    return { ...s, delivered: s.delivered.map((row, q) => (q === a.p ? mine : row)) };
  }, fifoRecordType(n));
}
