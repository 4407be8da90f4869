// Multicast integrity (Chockler, Keidar and Vitenberg): nothing is delivered that was not cast,
// and nothing twice.
//
// The sets are kept per sender (and per deliverer), not one set of message identities: a set grows
// by a copy, and a recorded run of a deployed group holds thousands of messages.

import { ISet, range, replaceAt, t, type Value } from "../../ioa/index.ts";
import { groupTypes } from "../group.ts";
import { deliveryOf, message, proc, violation } from "../violation.ts";
import { groupProperty } from "./property.ts";

const CKV = "Chockler, Keidar, Vitenberg";

export const deliveryIntegrity = groupProperty({
  name: "deliveryIntegrity",
  id: "I1",
  statement: "every message delivered (or indicated safe) was cast before, by its sender",
  checkability: "online",
  source: CKV,
  /** cast[q]: the messages q has cast. */
  start: (n) => range(n).map(() => ISet.empty<Value>()),
  type: (n) => {
    const { P, Msg } = groupTypes(n);
    return t.table(P, t.set(Msg));
  },
  step: (cast, a) => {
    if (a.name === "cast") return replaceAt(cast, a.p, cast[a.p]!.add(a.msg));
    if (a.name !== "deliver" && a.name !== "safe") return cast;
    const m = { from: a.from, msg: a.msg };
    if (cast[a.from]!.has(a.msg)) return cast;
    const what = a.name === "deliver" ? "delivers" : "gets a safe indication for";
    return violation(`${proc(a.p)} ${what} ${message(m)}, which ${proc(a.from)} has not cast`);
  },
});

export const noDuplication = groupProperty({
  name: "noDuplication",
  id: "I2",
  statement: "a process delivers each message at most once",
  checkability: "online",
  source: CKV,
  /** delivered[p][q]: the messages of q that p has delivered. */
  start: (n) => range(n).map(() => range(n).map(() => ISet.empty<Value>())),
  type: (n) => {
    const { P, Msg } = groupTypes(n);
    return t.table(P, t.table(P, t.set(Msg)));
  },
  step: (delivered, a) => {
    if (a.name !== "deliver") return delivered;
    const mine = delivered[a.p]!;
    const got = mine[a.from]!;
    if (!got.has(a.msg)) return replaceAt(delivered, a.p, replaceAt(mine, a.from, got.add(a.msg)));
    const m = { from: a.from, msg: a.msg };
    return violation(`${proc(a.p)} delivers ${message(m)} a second time`, deliveryOf(m, a.p));
  },
});
