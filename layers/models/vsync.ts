// The virtual synchrony stack (layers/stacks/vsync.ts) in a group of processes that cast a bounded
// number of messages over a network with a bounded number of faults; crashed processes and
// processes cut off by a partition are excluded by new views (partitions do not heal into merged
// views: merges are not part of the stack).
//
//   troupe check vsync --param processes=2 --param casts=1 --param crashes=1
//   troupe sim vsync --param processes=3 --param crashes=1 --param partitions=1 --param drops=3
//
// `bug` plants a bug (vsync-mutants.ts): installs-without-flush, delivers-in-later-view,
// coordinator-leaves-itself-out, never-suspects.

import { atQuiescence, model, ParamError, range, withProperties } from "../../ioa/index.ts";
import { serviceProperties, services } from "../../specs/services.ts";
import { group } from "../group.ts";
import { vsync } from "../stacks/vsync.ts";
import { VSYNC_MUTANT_NAMES, VSYNC_MUTANTS, type VsyncMutant } from "./vsync-mutants.ts";

/** The vsync stack, with the planted bug `bug` (vsync-mutants.ts) unless it is "none". */
function plant(bug: string) {
  const stack = vsync();
  if (bug === "none") return stack;
  if (!(VSYNC_MUTANT_NAMES as string[]).includes(bug)) throw new ParamError(`model vsync: no bug named "${bug}"; the bugs are none, ${VSYNC_MUTANT_NAMES.join(", ")}`);
  return stack.replacing(VSYNC_MUTANTS[bug as VsyncMutant]);
}

export default model({
  name: "vsync",
  description: "The virtual synchrony stack in a group with a fault budget: crashed and cut-off members are excluded by new views.",
  params: { processes: 2, casts: 1, casters: 0, drops: 0, duplicates: 0, partitions: 0, crashes: 1, bug: "none", patientTimers: true },
  paramHelp: {
    processes: "processes in the group",
    casts: "messages each casting process casts",
    casters: "how many processes cast, the highest-ranked ones (0: every process)",
    drops: "packets the network may lose",
    duplicates: "packets the network may duplicate",
    partitions: "times the group may split in two (the sides go on in views of their own)",
    crashes: "times a process may crash",
    bug: `a bug to plant: none, ${VSYNC_MUTANT_NAMES.join(", ")}`,
    patientTimers: "timers fire only when no packet is in flight",
  },
  build: ({ processes, casts, casters, drops, duplicates, partitions, crashes, bug, patientTimers }) => {
    const system = group(plant(bug), {
      n: processes,
      workload: { casts, sends: 0, casters: casters === 0 ? processes : casters },
      budget: { drops, duplicates, partitions, crashes, recoveries: 0 },
      patientTimers,
    });
    type S = Parameters<typeof system.step>[0];
    type Layers = { readonly suspect: { readonly heard: { readonly size: number }; readonly watched: { readonly size: number } } };
    const live = (s: S) => range(processes).filter((p) => !s.application[p]!.crashed);
    /** The failure detector of `p` has heard every member it watches and has a sweep to make: it has not yet had the chance to notice a crash. */
    const sweepDue = (s: S, p: number) => {
      const { heard, watched } = (s.stacks[p]!.layers as unknown as Layers).suspect;
      return heard.size > 0 && heard.size === watched.size;
    };
    /** Live processes whose view holds a crashed process, though their failure detector has had its chance to notice. */
    const staleViews = (s: S) =>
      live(s).flatMap((p) => {
        const { view } = s.stacks[p]!;
        const dead = view.members.toArray().filter((q) => s.application[q]!.crashed);
        return dead.length === 0 || sweepDue(s, p) ? [] : [`process ${p} is in view ${view.id} with crashed ${dead.join(", ")}`];
      });
    /** What a live process misses: casts of the live processes in its very view (same id) it has not delivered. */
    const missing = (s: S) =>
      live(s).flatMap((p) =>
        s.stacks[p]!.view.members
          .toArray()
          .filter((q) => !s.application[q]!.crashed && s.stacks[q]!.view.id === s.stacks[p]!.view.id)
          .flatMap((q) => {
            const got = s.application[p]!.delivered[q]!.length;
            const cast = s.application[q]!.cast;
            return got < cast ? [`process ${p} delivered ${got} of the ${cast} casts of process ${q}, a live member of its view ${s.stacks[p]!.view.id}`] : [];
          }),
      );
    return withProperties(system, {
      ...serviceProperties<Parameters<typeof system.step>[1]>(services.vsync, processes),
      crashedExcluded: atQuiescence(
        (s) => staleViews(s).length === 0,
        "once nothing is left to do (a failure detector sweep aside), every live process's view excludes the crashed processes",
        (s) => staleViews(s).join("; "),
      ),
      allDelivered: atQuiescence(
        (s) => missing(s).length === 0,
        "once nothing is left to do, every live process has delivered every cast of the live processes in the same view",
        (s) => missing(s).join("; "),
      ),
    });
  },
});
