// A stack that changes views (vsync, total) in a group of processes that cast a bounded number of
// messages over a network with a bounded number of faults; crashed processes and processes cut off
// by a partition are excluded by new views; when the partition heals, or a crashed process
// recovers (into a view of its own, as after a restart), or a joiner starts alone, views merge (each process asks for at most `merges` merges:
// a false suspicion splits a view and a merge joins it again, so without a bound the views would
// never stop changing). The models of layers/models/vsync.ts and total.ts are this with their
// stack, the service their traces are judged by, and their planted bugs.

import { atQuiescence, model, ParamError, range, withProperties } from "../../ioa/index.ts";
import { castMessage } from "../application.ts";
import { serviceProperties, type Service } from "../../specs/services.ts";
import { group } from "../group.ts";
import type { AnyLayer } from "../layer.ts";
import type { StackDefinition } from "../stack.ts";
import { accurateSuspicions } from "./accurate-suspicions.ts";
import { FLUSH_PATIENCE_HELP, MODEL_FLUSH_PATIENCE, modelMembership, type ModelMembership } from "./model-membership.ts";
import { viewLiveness } from "./view-liveness.ts";

export interface ViewModelDefinition {
  readonly name: string;
  readonly description: string;
  readonly stack: (options: { readonly membership: ModelMembership; readonly slander: boolean }) => StackDefinition;
  /** The service whose checker and promised properties judge every trace. */
  readonly service: Service;
  /** Planted bugs by name, with the model's membership (a bug in it keeps the model's bounds): each replaces one layer of the stack. */
  readonly mutants: (membership: ModelMembership) => Readonly<Record<string, AnyLayer>>;
  /**
   * When every cast of a live member must be delivered by the live members of its view: always
   * (vsync), or in runs without a view change (total: a cast still unannounced when its view's
   * sequencer leaves is dropped, as the total order service allows).
   */
  readonly delivery: "always" | "without-view-changes";
}

export function viewModel(definition: ViewModelDefinition) {
  const { name, service } = definition;
  const bugs = Object.keys(definition.mutants(modelMembership(name, 0, MODEL_FLUSH_PATIENCE)));
  /** The stack, with the planted bug `bug` unless it is "none". */
  const plant = (bug: string, membership: ModelMembership, slander: boolean) => {
    const stack = definition.stack({ membership, slander });
    if (bug === "none") return stack;
    if (!bugs.includes(bug)) throw new ParamError(`model ${name}: no bug named "${bug}"; the bugs are none, ${bugs.join(", ")}`);
    return stack.replacing(definition.mutants(membership)[bug]!);
  };
  return model({
    name,
    description: definition.description,
    params: { processes: 2, casts: 1, casters: 0, joiners: 0, drops: 0, duplicates: 0, partitions: 0, crashes: 1, recoveries: 0, merges: 0, flushPatience: MODEL_FLUSH_PATIENCE, bug: "none", patientTimers: true, switchTo: "none", falseSuspicions: true, slander: false },
    paramHelp: {
      processes: "processes in the group",
      casts: "messages each casting process casts",
      casters: "how many processes cast, the highest-ranked ones (0: every process)",
      drops: "packets the network may lose",
      duplicates: "packets the network may duplicate",
      joiners: "how many processes, the highest-ranked ones, start alone and join the others by merging",
      partitions: "times the group may split in two (the sides go on in views of their own, and merge when it heals)",
      crashes: "times a process may crash",
      recoveries: "times a crashed process may recover (as after a restart: it leaves its old view for one of its own, and merges back)",
      merges: "merges each process may ask for (bounds the model: false suspicions split views, merges join them, without end)",
      flushPatience: FLUSH_PATIENCE_HELP,
      bug: `a bug to plant: none, ${bugs.join(", ")}`,
      patientTimers: "timers fire only when no packet is in flight: the checker's stand-in for time (troupe sim, which has virtual time, sets it false unless given)",
      falseSuspicions: "failure detectors may suspect live members (false: only crashed or cut-off ones; see accurate-suspicions.ts)",
      switchTo: "a protocol the highest-ranked process asks the group to switch to, once (none: no one asks)",
      slander: "members pass their suspicions on to the others of the view (the SLANDER layer, layers/slander.ts)",
    },
    build: ({ processes, casts, casters, joiners, drops, duplicates, partitions, crashes, recoveries, merges, flushPatience, bug, patientTimers, switchTo, falseSuspicions, slander }) => {
      const system = group(plant(bug, modelMembership(name, merges, flushPatience), slander), {
        n: processes,
        workload: { casts, sends: 0, casters: casters === 0 ? processes : casters, ...(switchTo !== "none" && { switchTo }) },
        budget: { drops, duplicates, partitions, crashes, recoveries },
        patientTimers,
        joiners,
      });
      type S = Parameters<typeof system.step>[0];
      type Layers = { readonly suspect: { readonly heard: { readonly size: number }; readonly known: { readonly size: number } } };
      const live = (s: S) => range(processes).filter((p) => !s.application[p]!.crashed);
      /** The failure detector of `p` has heard every member it watches and has a sweep to make: it has not yet had the chance to notice a crash. */
      const sweepDue = (s: S, p: number) => {
        const { heard, known } = (s.stacks[p]!.layers as unknown as Layers).suspect;
        return heard.size > 0 && heard.size === known.size;
      };
      /** Live processes whose view holds a crashed process, though their failure detector has had its chance to notice. */
      const staleViews = (s: S) =>
        live(s).flatMap((p) => {
          const { view } = s.stacks[p]!;
          const dead = view.members.toArray().filter((q) => s.application[q]!.crashed);
          return dead.length === 0 || sweepDue(s, p) ? [] : [`process ${p} is in view ${view.id} with crashed ${dead.join(", ")}`];
        });
      const holdsCrashed = (s: S, p: number) => s.stacks[p]!.view.members.some((q) => s.application[q]!.crashed);
      /**
       * What a live process misses: casts of the live processes in its very view (same id) it has
       * not delivered — once its view is rid of crashed members (until then a cast may wait for the
       * view change, as a total order's do; crashedExcluded says the change comes).
       */
      const judged = (s: S) => definition.delivery === "always" || range(processes).every((p) => s.stacks[p]!.view.id === 0);
      const missing = (s: S) =>
        (judged(s) ? live(s) : []).filter((p) => !holdsCrashed(s, p)).flatMap((p) =>
          s.stacks[p]!.view.members
            .toArray()
            .filter((q) => !s.application[q]!.crashed && s.stacks[q]!.view.id === s.stacks[p]!.view.id)
            .flatMap((q) => {
              const { cast, castsBefore } = s.application[q]!;
              const got = s.application[p]!.delivered[q]!;
              const lacking = range(cast - castsBefore).map((i) => castMessage(castsBefore + i + 1)).filter((m) => !got.includes(m));
              return lacking.length > 0 ? [`process ${p} did not deliver ${lacking.join(", ")}, cast by process ${q}, a live member of its view ${s.stacks[p]!.view.id}, in that view`] : [];
            }),
        );

      return withProperties(falseSuspicions ? system : accurateSuspicions(system), {
        ...serviceProperties<Parameters<typeof system.step>[1]>(service, processes),
        crashedExcluded: atQuiescence(
          (s) => staleViews(s).length === 0,
          "once nothing is left to do (a failure detector sweep aside), every live process's view excludes the crashed processes",
          (s) => staleViews(s).join("; "),
        ),
        allDelivered: atQuiescence(
          (s) => missing(s).length === 0,
          "once nothing is left to do, every live process whose view is rid of crashed members has delivered every cast of the live processes in the same view",
          (s) => missing(s).join("; "),
        ),
        ...viewLiveness({ processes, missing }),
      });
    },
  });
}
