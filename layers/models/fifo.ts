// The reliable FIFO stack (layers/stacks/fifo.ts) in a group of processes that cast and send a
// bounded number of messages over a network with a bounded number of faults.
//
//   troupe check fifo --param processes=3 --param casts=1 --param drops=1 --param duplicates=0
//   troupe walk fifo --param processes=4 --param drops=5 --param partitions=2 --param crashes=2
//   troupe check fifo --param service=true     (layered: the stack's traces against the fifo service)
//
// `eventuallyDelivered` is the liveness property: judged on infinite executions under weak
// fairness, it catches a stack that retransmits forever without delivering, which never becomes
// quiescent and so slips past `allDelivered`.
//
// `bug` plants a bug in a layer, to see a check find it: forgets-to-retransmit,
// delivers-out-of-order, delivers-duplicates (in mnak), stable-too-early (in stable).

import { always, atQuiescence, eventuallyAlways, formatValue, isPrefixOf, model, ParamError, range, withProperties } from "../../ioa/index.ts";
import { castMessage, messages, sendMessage } from "../application.ts";
import { group } from "../group.ts";
import { fifo } from "../stacks/fifo.ts";
import { FIFO_MUTANT_NAMES, FIFO_MUTANTS, type FifoMutant } from "./fifo-mutants.ts";
import { serviceProperties, services } from "../../specs/services.ts";

/** The fifo stack, with the planted bug `bug` (fifo-mutants.ts) unless it is "none". */
function plant(maxLength: number, window: number, bug: string) {
  const stack = fifo({ maxLength, window });
  if (bug === "none") return stack;
  if (!(FIFO_MUTANT_NAMES as string[]).includes(bug)) throw new ParamError(`model fifo: no bug named "${bug}"; the bugs are none, ${FIFO_MUTANT_NAMES.join(", ")}`);
  return stack.replacing(FIFO_MUTANTS[bug as FifoMutant]);
}

export default model({
  name: "fifo",
  description: "The reliable FIFO stack in a group with a fault budget.",
  params: { processes: 2, casts: 2, sends: 0, drops: 1, duplicates: 1, partitions: 0, crashes: 0, recoveries: 0, maxLength: 1024, window: 1000, bug: "none", patientTimers: true, service: false },
  paramHelp: {
    processes: "processes in the group",
    casts: "messages each process casts",
    sends: "messages each process sends to each other process",
    drops: "packets the network may lose",
    duplicates: "packets the network may duplicate",
    partitions: "times the group may split in two (each heals)",
    crashes: "times a process may crash",
    recoveries: "times a crashed process may recover",
    maxLength: "payloads longer than this are fragmented (messages are 2 characters long)",
    window: "casts of a process that may be unstable at once (flow control); later ones wait",
    bug: "a bug to plant: none, forgets-to-retransmit, delivers-out-of-order, delivers-duplicates, stable-too-early",
    patientTimers: "timers fire only when no packet is in flight: the checker's stand-in for time (troupe sim, which has virtual time, sets it false unless given)",
    service: "also judge the stack's traces by the specs' fifo service: its exact checker and the FIFO properties it promises",
  },
  build: ({ processes, casts, sends, drops, duplicates, partitions, crashes, recoveries, maxLength, window, bug, patientTimers, service }) => {
    const system = group(plant(maxLength, window, bug), {
      n: processes,
      workload: { casts, sends },
      budget: { drops, duplicates, partitions, crashes, recoveries },
      patientTimers,
    });
    type S = Parameters<typeof system.step>[0];
    const expectedCasts = messages(casts, castMessage);
    const expectedSends = messages(sends, sendMessage);
    /** What a live process misses at quiescence: casts of live processes it has not delivered, sends it has not received. */
    const missing = (s: S) =>
      range(processes).flatMap((p) => {
        const app = s.application[p]!;
        if (app.crashed) return [];
        return range(processes).flatMap((q) => {
          if (s.application[q]!.crashed) return [];
          const casts = app.delivered[q]!.length < expectedCasts.length ? [`process ${p} delivered ${app.delivered[q]!.length} of the ${expectedCasts.length} casts of process ${q}`] : [];
          const due = q === p ? 0 : expectedSends.length;
          const sent = app.received[q]!.length < due ? [`process ${p} received ${app.received[q]!.length} of the ${due} sends of process ${q}`] : [];
          return [...casts, ...sent];
        });
      });
    /** Whether `missing(s)` is empty, without building it: judged in every state, so it allocates nothing. */
    const nothingMissing = (s: S) => {
      for (let p = 0; p < processes; p++) {
        const app = s.application[p]!;
        if (app.crashed) continue;
        for (let q = 0; q < processes; q++) {
          if (s.application[q]!.crashed) continue;
          if (app.delivered[q]!.length < expectedCasts.length || (q !== p && app.received[q]!.length < expectedSends.length)) return false;
        }
      }
      return true;
    };
    /** Deliveries out of order, repeated or invented: where a process's record of a sender's messages is not a prefix of what the sender sends. */
    const disorder = (s: S) =>
      range(processes).flatMap((p) => {
        const app = s.application[p]!;
        return range(processes).flatMap((q) => [
          ...(isPrefixOf(app.delivered[q]!, expectedCasts) ? [] : [`process ${p} delivered ${formatValue(app.delivered[q]!)} from process ${q}, which casts ${formatValue(expectedCasts)}`]),
          ...(isPrefixOf(app.received[q]!, expectedSends) ? [] : [`process ${p} received ${formatValue(app.received[q]!)} from process ${q}, which sends ${formatValue(expectedSends)}`]),
        ]);
      });
    /** Per process, the application state last found in order: a step changes one process's at most, so the others need no second look. */
    const foundInOrder: unknown[] = [];
    /** Whether `disorder(s)` is empty, without building it: judged in every state, so it allocates nothing. */
    const inOrder = (s: S) => {
      for (let p = 0; p < processes; p++) {
        const app = s.application[p]!;
        if (app === foundInOrder[p]) continue;
        for (let q = 0; q < processes; q++) {
          if (!isPrefixOf(app.delivered[q]!, expectedCasts) || !isPrefixOf(app.received[q]!, expectedSends)) return false;
        }
        foundInOrder[p] = app;
      }
      return true;
    };
    return withProperties(system, {
      ...(service && serviceProperties<Parameters<typeof system.step>[1]>(services.fifo, processes)),
      inOrder: always(
        inOrder,
        "every process delivers each process's casts, and receives its sends, in order, once each, and nothing else",
        (s) => disorder(s).join("; "),
      ),
      allDelivered: atQuiescence(
        (s) => missing(s).length === 0,
        "once nothing is left to do, every live process has delivered every cast, and received every send, of every live process",
        (s) => missing(s).join("; "),
      ),
      // Strong fairness: timers are patient (they wait while packets fly), so a timer is enabled only
      // now and then, and weak fairness would let one process's retransmission timer win forever
      // while another's never fires — a cycle no real scheduler sustains.
      eventuallyDelivered: eventuallyAlways(
        nothingMissing,
        "once faults stop, every live process delivers every cast, and receives every send, of every live process (under strong fairness)",
        { fairness: "strong", explain: (s) => missing(s).join("; ") },
      ),
    });
  },
});
