// The total order service: one global order of the messages sent in each view, and agreement on
// what each view delivered.
//
// The Horus and Ensemble paper specifies it as "a global queue that orders all the messages sent in
// the view. A message can be received only if it is the next message in the global queue", in
// addition to the properties of extended virtual synchrony. Here it is the VS machine (vs.ts)
// without safe indications and with one more precondition: the first process to move from view g
// to view v fixes how many messages of g's queue are delivered in g by everyone who makes the same
// move, so members moving together delivered the same set (virtual synchrony). Without view
// changes it is Fekete, Lynch and Shvartsman's TO-machine: every process delivers a prefix of one
// global sequence, in which each sender's messages keep their cast order. Its traces are therefore
// VS traces whose deliveries also agree at view changes.

import type { Value } from "../ioa/index.ts";
import { orderedViewService, type ServiceOptions } from "./vs.ts";

export function toService<M extends Value>(options: ServiceOptions<M>) {
  return orderedViewService("to", options, { agreedCuts: true }).machine;
}
