// Two-phase commit, as in Gray and Lamport's TwoPhase specification.
//
// A transaction manager (TM) and `rms` resource managers (RMs). Each RM is working, prepared,
// committed or aborted; the TM is in init or done and knows which RMs have prepared; messages are
// a set that only grows (a message, once sent, can be received any number of times). The
// invariant: no RM is aborted while another is committed.
//
// TLC, Spin and Murphi all find 288 distinct states for 3 RMs, 8,832 for 5 and 1,745,408 for 8;
// Troupe's checker must agree. Transitions are pure functions (`next`) building records with
// `State.with`, because this model is also the kernel's speed benchmark. `commitOnAnyPrepared` plants a bug: the TM commits as soon as one
// RM has prepared.

import { always, automaton, ISet, leadsTo, model, range, replaceAt, t, withProperties, type Fairness } from "../../ioa/index.ts";

export function twoPhase(rms: number, commitOnAnyPrepared = false) {
  const RM = t.ids("RM", rms);
  const Msg = t.variant("type", { Prepared: { rm: RM }, Commit: {}, Abort: {} });
  const prepared = range(rms).map((rm) => ({ type: "Prepared" as const, rm }));
  const commit = { type: "Commit" as const };
  const abort = { type: "Abort" as const };
  const readyToCommit = commitOnAnyPrepared ? (n: number) => n >= 1 : (n: number) => n === rms;

  const State = t.record({
    rmState: t.table(RM, t.enum("working", "prepared", "committed", "aborted")),
    tmState: t.enum("init", "done"),
    tmPrepared: t.set(RM),
    msgs: t.set(Msg),
  });

  return automaton("two-phase", State)
    .start({ rmState: range(rms).map(() => "working"), tmState: "init", tmPrepared: ISet.empty(), msgs: ISet.empty() })
    .internal("TMRcvPrepared", { r: RM }, {
      pre: (s, { r }) => s.tmState === "init" && s.msgs.has(prepared[r]!),
      next: (s, { r }) => State.with(s, { tmPrepared: s.tmPrepared.add(r) }),
    })
    .internal("TMCommit", {}, {
      pre: (s) => s.tmState === "init" && readyToCommit(s.tmPrepared.size),
      next: (s) => State.with(s, { tmState: "done", msgs: s.msgs.add(commit) }),
    })
    .internal("TMAbort", {}, {
      pre: (s) => s.tmState === "init",
      next: (s) => State.with(s, { tmState: "done", msgs: s.msgs.add(abort) }),
    })
    .internal("RMPrepare", { r: RM }, {
      owner: "r",
      pre: (s, { r }) => s.rmState[r] === "working",
      next: (s, { r }) => State.with(s, { rmState: replaceAt(s.rmState, r, "prepared"), msgs: s.msgs.add(prepared[r]!) }),
    })
    .internal("RMChooseToAbort", { r: RM }, {
      owner: "r",
      pre: (s, { r }) => s.rmState[r] === "working",
      next: (s, { r }) => State.with(s, { rmState: replaceAt(s.rmState, r, "aborted") }),
    })
    .internal("RMRcvCommitMsg", { r: RM }, {
      owner: "r",
      pre: (s) => s.msgs.has(commit),
      next: (s, { r }) => State.with(s, { rmState: replaceAt(s.rmState, r, "committed") }),
    })
    .internal("RMRcvAbortMsg", { r: RM }, {
      owner: "r",
      pre: (s) => s.msgs.has(abort),
      next: (s, { r }) => State.with(s, { rmState: replaceAt(s.rmState, r, "aborted") }),
    });
}

type TwoPhaseState = ReturnType<ReturnType<typeof twoPhase>["step"]>;

/** Liveness: once an RM has prepared, every RM eventually commits or aborts (the TM cannot wait forever). */
export function everyRmDecides(fairness: Fairness = "weak") {
  return leadsTo(
    (s: TwoPhaseState) => s.rmState.includes("prepared"),
    (s: TwoPhaseState) => s.rmState.every((x) => x === "committed" || x === "aborted"),
    "once an RM has prepared, every RM eventually commits or aborts",
    { fairness, explain: (s) => `RMs ${s.rmState.flatMap((x, r) => (x === "working" || x === "prepared" ? [r] : [])).join(", ")} undecided` },
  );
}

export default model({
  name: "two-phase",
  description: "Two-phase commit (Gray and Lamport's TwoPhase): a transaction manager and resource managers.",
  params: { rms: 3, commitOnAnyPrepared: false, liveness: false },
  paramHelp: {
    rms: "number of resource managers",
    commitOnAnyPrepared: "plant the bug: commit once any one RM is prepared",
    liveness: "also judge everyRmDecides (under weak fairness): the checker then records the reachable graph",
  },
  build: ({ rms, commitOnAnyPrepared, liveness }) =>
    withProperties(twoPhase(rms, commitOnAnyPrepared), {
      consistent: always(
        (s) => !(s.rmState.includes("aborted") && s.rmState.includes("committed")),
        "no RM is aborted while another is committed",
        (s) => `RMs ${s.rmState.flatMap((x, r) => (x === "committed" ? [r] : [])).join(", ")} committed but ${s.rmState.flatMap((x, r) => (x === "aborted" ? [r] : [])).join(", ")} aborted`,
      ),
      ...(liveness && { decides: everyRmDecides() }),
    }),
});
