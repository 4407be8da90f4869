// The secure vsync stack (layers/stacks/secure.ts) with a symbolic cipher, in a group with a fault
// budget and an intruder on the network (layers/intruder.ts) that replays what it saw, tampers
// with it, and forges casts it seals under a key of its own (or does not seal at all).
//
//   troupe check vsync-secure --param processes=2 --param casts=1 --param injections=1
//   troupe check vsync-secure --param partitions=1 --param crashes=0 --param bug=grants-excluded-members
//
// What is checked, beside the vsync service's properties: no member ever delivers a message of the
// intruder (noOutsiderDelivered), and no process ever holds the key of a view it is not a member of
// (keysStayInView: an excluded member never gets the next view's key). Goals make the verdict
// non-vacuous: in some run a live process is excluded from a view whose key another holds, every
// cast is delivered everywhere, the intruder injects.
//
// `bug` plants a bug (vsync-secure-mutants.ts): skips-authentication, grants-excluded-members.

import { always, model, ParamError, range, sometimes, withProperties } from "../../ioa/index.ts";
import { serviceProperties, services } from "../../specs/services.ts";
import { group } from "../group.ts";
import { accurateSuspicions } from "./accurate-suspicions.ts";
import { FLUSH_PATIENCE_HELP, MODEL_FLUSH_PATIENCE, modelMembership, type ModelMembership } from "./model-membership.ts";
import type { Packet } from "../message.ts";
import type { StackDefinition } from "../stack.ts";
import { vsyncSecure } from "../stacks/secure.ts";
import { membersOfSymbolicKey, symbolicCrypto, symbolicCryptoWith, symbolicPlaintext } from "./symbolic-crypto.ts";
import { MODEL_ENCRYPT, VSYNC_SECURE_MUTANT_NAMES, vsyncSecureMutants, type VsyncSecureMutant } from "./vsync-secure-mutants.ts";

/** What the intruder casts, as a member would. */
export const OUTSIDER_MESSAGE = "evil";
/** The key the intruder seals its forgeries under: one of its own. */
export const INTRUDER_KEY = "Kx";

function plant(bug: string, membership: ModelMembership, outsiders: readonly number[]): StackDefinition {
  const crypto = symbolicCryptoWith(outsiders);
  const stack = vsyncSecure({ crypto, encrypt: MODEL_ENCRYPT, membership });
  if (bug === "none") return stack;
  if (!(VSYNC_SECURE_MUTANT_NAMES as string[]).includes(bug)) throw new ParamError(`model vsync-secure: no bug named "${bug}"; the bugs are none, ${VSYNC_SECURE_MUTANT_NAMES.join(", ")}`);
  return stack.replacing(vsyncSecureMutants(crypto)[bug as VsyncSecureMutant]);
}

/**
 * The casts the intruder can make without a key: process 0's first cast of OUTSIDER_MESSAGE, as
 * process 0's stack would seal it in view 0 — sealed under the intruder's key instead, and not
 * sealed at all (the packet a plain vsync member would send).
 */
export function forgeries(stack: StackDefinition, n: number): Packet[] {
  const p0 = stack.build(n, 0);
  const after = p0.step(p0.startStates()[0]!, { name: "cast", p: 0, msg: OUTSIDER_MESSAGE });
  const sent = after.pending.find((o) => o.kind === "transmit" && o.packet.payload !== undefined);
  if (sent?.kind !== "transmit") throw new Error("vsync-secure model: process 0's cast transmitted nothing to forge from");
  const { headers, payload } = sent.packet;
  const header = (headers as unknown as { encrypt: { view: number; seq: number } }).encrypt;
  const plaintext = symbolicPlaintext(payload!)!;
  const resealed: Packet = { headers, payload: symbolicCrypto.seal(INTRUDER_KEY, `d/${header.view}/0/${header.seq}`, plaintext) };
  return [resealed];
}

export default model({
  name: "vsync-secure",
  description: "The secure vsync stack (symbolic cipher) with an intruder that replays, tampers and forges: no outsider message is delivered, no excluded member gets a later view's key.",
  params: { processes: 2, casts: 1, joiners: 0, outsiders: 0, merges: 0, flushPatience: MODEL_FLUSH_PATIENCE, drops: 0, duplicates: 0, partitions: 0, crashes: 1, injections: 1, memory: 2, bug: "none", patientTimers: true, falseSuspicions: true },
  paramHelp: {
    processes: "processes in the group",
    casts: "messages each process casts",
    joiners: "how many processes, the highest-ranked ones, start alone and join the others by merging",
    outsiders: "how many of the joiners hold no key of the group (no secret, no listed key): they must never be let in",
    merges: "merges each process may ask for (bounds the model: views split and merge again without end)",
    flushPatience: FLUSH_PATIENCE_HELP,
    drops: "packets the network may lose",
    duplicates: "packets the network may duplicate",
    partitions: "times the group may split in two (the sides go on in views of their own; the network may heal)",
    crashes: "times a process may crash",
    injections: "packets the intruder may inject",
    memory: "packets the intruder remembers (the first transmitted) to replay and tamper with",
    bug: `a bug to plant: none, ${VSYNC_SECURE_MUTANT_NAMES.join(", ")}`,
    patientTimers: "timers fire only when no packet is in flight: the checker's stand-in for time (troupe sim, which has virtual time, sets it false unless given)",
    falseSuspicions: "failure detectors may suspect live members (false: only crashed or cut-off ones; see accurate-suspicions.ts)",
  },
  build: ({ processes, casts, joiners, outsiders, merges, flushPatience, drops, duplicates, partitions, crashes, injections, memory, bug, patientTimers, falseSuspicions }) => {
    if (!Number.isInteger(outsiders) || outsiders < 0 || outsiders > joiners) throw new ParamError(`model vsync-secure: outsiders should be an integer from 0 to joiners (${joiners}), but is ${outsiders}`);
    const outside = range(processes).slice(processes - outsiders);
    const stack = plant(bug, modelMembership("vsync-secure", merges, flushPatience), outside);
    const system = group(stack, {
      n: processes,
      joiners,
      workload: { casts, sends: 0 },
      budget: { drops, duplicates, partitions, crashes, recoveries: 0 },
      patientTimers,
      intruder: { injections, memory, forgeries: forgeries(vsyncSecure({ crypto: symbolicCrypto, encrypt: MODEL_ENCRYPT }), processes) },
    });
    type S = Parameters<typeof system.step>[0];
    type Encrypt = { readonly key: string; readonly pending: readonly { readonly view: number; readonly key: string }[] };
    const encryptOf = (s: S, p: number) => (s.stacks[p]!.layers as unknown as { encrypt: Encrypt }).encrypt;
    const outsiderDeliveries = (s: S) =>
      range(processes).flatMap((p) => s.application[p]!.delivered.flatMap((msgs, from) => (msgs.includes(OUTSIDER_MESSAGE) ? [`process ${p} delivered "${OUTSIDER_MESSAGE}" as a cast of ${from}`] : [])));
    const misplacedKeys = (s: S) =>
      range(processes).flatMap((p) => {
        const { key, pending } = encryptOf(s, p);
        return [key, ...pending.map((x) => x.key)].filter((k) => k !== "" && !membersOfSymbolicKey(k)?.includes(p)).map((k) => `process ${p} holds key ${k}, of a view it is not a member of`);
      });
    const insiders = range(processes - outsiders);
    /** An outsider in an insider's view: let in without a key. */
    const admittedOutsiders = (s: S) =>
      insiders.flatMap((p) => {
        const { view } = s.stacks[p]!;
        return outside.filter((u) => view.members.has(u)).map((u) => `process ${p} is in view ${view.id} with process ${u}, which holds no key of the group`);
      });
    /** Every process in one view, holding its key: a joiner was let in (and given the key). */
    const allTogether = (s: S) => {
      const { view } = s.stacks[0]!;
      return view.members.size === processes && range(processes).every((p) => s.stacks[p]!.view.id === view.id && encryptOf(s, p).key !== "");
    };
    const everyCastEverywhere = (s: S) => range(processes).every((p) => s.application[p]!.delivered.every((msgs) => msgs.length === casts));
    /** A live process left out of the view of another, which holds that view's key. */
    const excludedAlive = (s: S) =>
      range(processes).some((p) => {
        const { view } = s.stacks[p]!;
        return !s.application[p]!.crashed && encryptOf(s, p).key !== "" && range(processes).some((q) => !view.members.has(q) && !s.application[q]!.crashed);
      });
    return withProperties(falseSuspicions ? system : accurateSuspicions(system), {
      ...serviceProperties<Parameters<typeof system.step>[1]>(services.vsync, processes),
      noOutsiderDelivered: always((s) => outsiderDeliveries(s).length === 0, "no member delivers a message the intruder made", (s) => outsiderDeliveries(s).join("; ")),
      keysStayInView: always((s) => misplacedKeys(s).length === 0, "no process holds the key of a view it is not a member of (an excluded member never gets the next view's key)", (s) => misplacedKeys(s).join("; ")),
      ...(outsiders > 0 && { outsidersStayOut: always((s) => admittedOutsiders(s).length === 0, "no member ever has a process without the group's keys in its view", (s) => admittedOutsiders(s).join("; ")) }),
      ...(joiners > outsiders && { joinerAdmitted: sometimes(allTogether, "in some run the joiners are let in: every process in one view, with its key") }),
      ...(casts > 0 && { allDeliveredSomewhere: sometimes(everyCastEverywhere, "in some run every process delivers every cast (the keys do reach the members)") }),
      ...(processes > 1 && { exclusion: sometimes(excludedAlive, "in some run a live process is left out of a view whose key another holds (keysStayInView is put to the test)") }),
      ...(injections > 0 && { intruderInjects: sometimes((s: S) => s.intruder!.injections < injections, "in some run the intruder injects a packet") }),
    });
  },
});
