// Multicast integrity (Chockler, Keidar and Vitenberg): nothing is delivered that was not cast,
// and nothing twice.

import { ISet } from "../../ioa/index.ts";
import type { MessageId, ProcessId } from "../group.ts";
import { deliveryOf, message, proc, violation } from "../violation.ts";
import { groupProperty } from "./property.ts";

const CKV = "Chockler, Keidar, Vitenberg";

export const deliveryIntegrity = groupProperty({
  name: "deliveryIntegrity",
  id: "I1",
  statement: "every message delivered (or indicated safe) was cast before, by its sender",
  checkability: "online",
  source: CKV,
  start: () => ISet.empty<MessageId>(),
  step: (cast, a) => {
    if (a.name === "cast") return cast.add({ from: a.p, msg: a.msg });
    if (a.name !== "deliver" && a.name !== "safe") return cast;
    const m = { from: a.from, msg: a.msg };
    if (cast.has(m)) return cast;
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
  start: () => ISet.empty<{ p: ProcessId; from: ProcessId; msg: MessageId["msg"] }>(),
  step: (delivered, a) => {
    if (a.name !== "deliver") return delivered;
    const key = { p: a.p, from: a.from, msg: a.msg };
    if (!delivered.has(key)) return delivered.add(key);
    const m = { from: a.from, msg: a.msg };
    return violation(`${proc(a.p)} delivers ${message(m)} a second time`, deliveryOf(m, a.p));
  },
});
