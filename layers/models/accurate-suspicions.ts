// A group whose failure detectors suspect only members that are gone: crashed, or cut off by a
// partition. The model's timers carry no real time, so a member's suspicion timer is as ready to
// fire between two heartbeats as the next heartbeat is to arrive; under strong fairness (which the
// view models' liveness properties need, their timers being patient) a suspicion that can happen
// again and again eventually does, and every infinite execution then ends with the live members
// split by false suspicions. That keeps safety checks rich (false suspicions drive view changes
// among live members), but lets a view change hide a liveness bug: a member that never delivers
// what the others cast is simply excluded. With accurate suspicions — the timeouts far longer than
// a round trip, as deployed — the same check sees the bug as a lasso.
//
// A wrapper of the group automaton that withholds the SUSPECT layer's `suspect` and `silent` timers
// while every member they would suspect is alive, reachable and not moved on without the suspecter;
// everything else passes through.

import { Wrapper, type Action, type Automaton, type ISet } from "../../ioa/index.ts";

interface GroupState {
  readonly stacks: readonly { readonly view: { readonly id: number; readonly members: ISet<number> }; readonly layers: unknown }[];
  readonly network: { readonly crashed: ISet<number>; readonly partition: ISet<ISet<number>> };
}

type SuspectState = { readonly suspect: { readonly watched: ISet<number>; readonly heard: ISet<number>; readonly known: ISet<number> } };
type SuspicionTimer = Action & { readonly name: "timer"; readonly p: number; readonly layer: "suspect"; readonly timer: "suspect" | "silent" };

const isSuspicion = (a: Action): a is SuspicionTimer => a.name === "timer" && a.layer === "suspect" && (a.timer === "suspect" || a.timer === "silent");

/**
 * Whether `q` is gone as far as `p` can tell: crashed, on the other side of a partition, or moved
 * on without p to a newer view (p's stack drops the packets of other views, q's heartbeats among
 * them: p hears nothing more from q in its view, however long it waits). A member merely behind,
 * or ahead into a view that holds p, is not gone: it catches up within a round trip.
 */
function gone(s: GroupState, p: number, q: number): boolean {
  const { crashed, partition } = s.network;
  const moved = s.stacks[q]!.view;
  return crashed.has(q) || (partition.size > 0 && partition.some((side) => side.has(p) !== side.has(q))) || (moved.id > s.stacks[p]!.view.id && !moved.members.has(p));
}

/** Whether the suspicion timer `a` would suspect some member that is gone. */
function accurate(s: GroupState, a: SuspicionTimer): boolean {
  const { watched, heard, known } = (s.stacks[a.p]!.layers as SuspectState).suspect;
  const suspects = a.timer === "suspect" ? known.difference(heard) : watched.difference(known);
  return suspects.some((q) => gone(s, a.p, q));
}

class AccurateSuspicions<S extends GroupState, A extends Action> extends Wrapper<S, A> {
  private readonly all: A[] = [];

  override enabled(s: S, out: A[]): void {
    const all = this.all;
    all.length = 0;
    this.inner.enabled(s, all);
    for (const a of all) if (!isSuspicion(a) || accurate(s, a)) out.push(a);
  }

  override why(s: S, a: A): string | undefined {
    const reason = this.inner.why(s, a);
    if (reason !== undefined || !isSuspicion(a) || accurate(s, a)) return reason;
    return `process ${a.p}'s failure detector would suspect only members that are alive, reachable and still in its view (suspicions are accurate in this model)`;
  }
}

export function accurateSuspicions<S extends GroupState, A extends Action>(system: Automaton<S, A>): Automaton<S, A> {
  return new AccurateSuspicions(system);
}
