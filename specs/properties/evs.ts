// Extended virtual synchrony (Moser, Amir, Melliar-Smith and Agarwal) as checkable properties of
// traces, numbered as in the reference notes (E1 is self inclusion, shared with M1). How
// configurations appear in a trace: configurations.ts.

import { IMap, ISet, type Value } from "../../ioa/index.ts";
import { sameMessage, type GroupAction, type MessageId, type ProcessId, type View } from "../group.ts";
import { castOf, GroupViolation, installOf, members, message, proc, violation } from "../violation.ts";
import {
  chargedTo,
  currentConfiguration,
  describeConfiguration,
  identity,
  isTransitional,
  startConfigurations,
  trackConfigurations,
  type Configurations,
} from "./configurations.ts";
import { causalStep, startCausal, totalOrder } from "./ordering.ts";
import { groupProperty } from "./property.ts";
import { differentDeliveries, undelivered, type Placed } from "./views.ts";

const EVS = "Moser, Amir, Melliar-Smith, Agarwal (extended virtual synchrony)";

const regularText = (id: number) => `regular configuration ${id}`;

export const configurationSequence = groupProperty({
  name: "configurationSequence",
  id: "E2",
  statement:
    "each process alternates regular and transitional configurations; a transitional one has members of the regular one before it, all of whom are in the next, whose id it carries; regular ids increase",
  checkability: "online",
  source: EVS,
  start: (n) => ({ confs: startConfigurations(n), last: IMap.empty<ProcessId, number>() }),
  step: (s, a) => {
    if (a.name !== "view") return { ...s, confs: trackConfigurations(s.confs, a) };
    const problem = isTransitional(a.view) ? transitionalProblem(s.confs, a.p, a.view) : regularProblem(s.confs, s.last, a.p, a.view);
    if (problem) return problem;
    return { confs: trackConfigurations(s.confs, a), last: isTransitional(a.view) ? s.last : s.last.set(a.p, a.view.id) };
  },
});

function transitionalProblem(confs: Configurations, p: ProcessId, v: View): GroupViolation | undefined {
  const now = confs.get(p);
  const at = `${proc(p)} installs transitional configuration ${v.id}`;
  if (!now) return violation(`${at} outside any regular configuration`);
  if (now.transitional) return violation(`${at} while in transitional configuration ${now.transitional.id}`);
  if (v.id <= now.regular.id) return violation(`${at}, but a transitional configuration carries the id of the next regular one, above ${now.regular.id}`);
  const stray = v.members.difference(now.regular.members);
  if (stray.size > 0) return violation(`${at} with ${members(stray)}, who are not in ${regularText(now.regular.id)}, where ${proc(p)} comes from`);
  return undefined;
}

function regularProblem(confs: Configurations, last: IMap<ProcessId, number>, p: ProcessId, v: View): GroupViolation | undefined {
  const now = confs.get(p);
  const at = `${proc(p)} installs ${regularText(v.id)}`;
  if (now?.transitional) {
    const t = now.transitional;
    if (v.id !== t.id) return violation(`${at} after transitional configuration ${t.id}, which leads to ${regularText(t.id)}`, { name: "view", p, view: t });
    const stray = t.members.difference(v.members);
    if (stray.size > 0) return violation(`${at}, which lacks ${members(stray)} of the transitional configuration before it`, { name: "view", p, view: t });
    return undefined;
  }
  if (now) return violation(`${at} straight after ${regularText(now.regular.id)}, without a transitional configuration between them`);
  const before = last.get(p) ?? 0;
  return v.id > before ? undefined : violation(`${at} after recovering, but it was in ${regularText(before)} before: ids must increase`);
}

export const configurationIdentity = groupProperty({
  name: "configurationIdentity",
  id: "E3",
  statement: "one regular configuration id has one membership, and processes in the same transitional configuration come from the same regular configuration",
  checkability: "pair",
  source: EVS,
  start: (n) => ({
    confs: startConfigurations(n),
    regular: IMap.empty<number, ISet<ProcessId>>(),
    transitional: IMap.empty<View, number>(),
  }),
  step: (s, a) => {
    const confs = trackConfigurations(s.confs, a);
    if (a.name !== "view") return confs === s.confs ? s : { ...s, confs };
    if (!isTransitional(a.view)) {
      const known = s.regular.get(a.view.id);
      if (!known) return { ...s, confs, regular: s.regular.set(a.view.id, a.view.members) };
      if (known.equals(a.view.members)) return { ...s, confs };
      return violation(`${proc(a.p)} installs ${regularText(a.view.id)} as ${members(a.view.members)}, but it was installed as ${members(known)} before`, installOf(a.view.id));
    }
    const key = identity(a.view);
    const from = s.confs.get(a.p)?.regular.id ?? -1;
    const first = s.transitional.get(key);
    if (first === undefined) return { ...s, confs, transitional: s.transitional.set(key, from) };
    if (first === from) return { ...s, confs };
    return violation(
      `${proc(a.p)} installs transitional configuration ${a.view.id} ${members(a.view.members)} coming from ${regularText(from)}, but it was installed before by a process coming from ${regularText(first)}`,
      { name: "view", view: key },
    );
  },
});

export const evsSendingConfiguration = groupProperty({
  name: "evsSendingConfiguration",
  id: "E4",
  statement:
    "a message cast in regular configuration R (or in the transitional configuration before R) is delivered only in R or in the transitional configuration that follows R",
  checkability: "online",
  source: EVS,
  start: (n) => ({ confs: startConfigurations(n), charged: IMap.empty<MessageId, number>() }),
  step: (s, a) => {
    if (a.name === "cast") {
      const m = { from: a.p, msg: a.msg };
      return s.charged.has(m) ? s : { ...s, charged: s.charged.set(m, chargedTo(s.confs, a.p)) };
    }
    if (a.name !== "deliver") return { ...s, confs: trackConfigurations(s.confs, a) };
    const m = { from: a.from, msg: a.msg };
    const charged = s.charged.get(m);
    const now = s.confs.get(a.p);
    if (charged === undefined || now?.regular.id === charged) return s;
    const cast = charged < 0 ? "outside any configuration" : `for ${regularText(charged)}`;
    return violation(`${proc(a.p)} delivers ${message(m)} in ${describeConfiguration(currentConfiguration(s.confs, a.p))}, but it was cast ${cast}`, castOf(m));
  },
});

export const failureAtomicity = groupProperty({
  name: "failureAtomicity",
  id: "E5",
  statement: "processes that move together from one configuration to the same next one (of either kind) delivered the same messages in the first",
  checkability: "pair",
  source: EVS,
  start: (n) => ({
    confs: startConfigurations(n),
    got: IMap.empty<ProcessId, ISet<MessageId>>(),
    moves: IMap.empty<{ from: View; to: View }, ISet<MessageId>>(),
  }),
  step: (s, a) => {
    switch (a.name) {
      case "deliver":
        return { ...s, got: s.got.set(a.p, (s.got.get(a.p) ?? ISet.empty()).add({ from: a.from, msg: a.msg })) };
      case "recover":
        return { ...s, confs: trackConfigurations(s.confs, a), got: s.got.delete(a.p) };
      case "view": {
        const from = currentConfiguration(s.confs, a.p);
        const next = { ...s, confs: trackConfigurations(s.confs, a), got: s.got.delete(a.p) };
        if (!from) return next;
        const move = { from: identity(from), to: identity(a.view) };
        const mine = s.got.get(a.p) ?? ISet.empty<MessageId>();
        const first = s.moves.get(move);
        if (!first) return { ...next, moves: s.moves.set(move, mine) };
        if (first.equals(mine)) return next;
        return differentDeliveries(a.p, mine, first, describeConfiguration(from), describeConfiguration(a.view));
      }
      default:
        return s;
    }
  },
});

export const evsSelfDelivery = groupProperty({
  name: "evsSelfDelivery",
  id: "E6",
  statement: "a process delivers each of its own messages before it installs the regular configuration after the one the message was cast for, unless it crashes",
  checkability: "quiescence",
  source: EVS,
  start: (n) => ({ confs: startConfigurations(n), own: IMap.empty<ProcessId, ISet<Placed>>() }),
  step: (s, a) => {
    const own = s.own.get(a.p) ?? ISet.empty<Placed>();
    switch (a.name) {
      case "cast": {
        const view = chargedTo(s.confs, a.p);
        return view < 0 ? s : { ...s, own: s.own.set(a.p, own.add({ m: { from: a.p, msg: a.msg }, view })) };
      }
      case "deliver":
        return a.from !== a.p ? s : { ...s, own: s.own.set(a.p, own.filter((x) => !sameMessage(x.m, { from: a.from, msg: a.msg }))) };
      case "view": {
        const due = isTransitional(a.view) ? ISet.empty<Placed>() : own.filter((x) => x.view < a.view.id);
        if (due.size > 0) return undelivered(a.p, due, `installs ${regularText(a.view.id)}`, (c) => `cast for ${regularText(c)}`);
        return { ...s, confs: trackConfigurations(s.confs, a) };
      }
      case "crash":
      case "recover":
        return { confs: trackConfigurations(s.confs, a), own: s.own.delete(a.p) };
      default:
        return s;
    }
  },
  finish: (s) => {
    const left = [...s.own].find(([, own]) => own.size > 0);
    return left && undelivered(left[0], left[1], "is done (at quiescence)", (c) => `cast for ${regularText(c)}`);
  },
});

export const evsCausalOrder = groupProperty({
  name: "evsCausalOrder",
  id: "E7",
  statement: "causal order among the messages cast for the same regular configuration",
  checkability: "online",
  source: EVS,
  start: (n) => ({ confs: startConfigurations(n), causal: startCausal(n) }),
  step: (s, a) => {
    const causal = causalStep(s.causal, a, chargedTo(s.confs, a.p));
    if (causal instanceof GroupViolation) return causal;
    return { confs: trackConfigurations(s.confs, a), causal };
  },
});

const strongOrder = totalOrder("run");

export const evsTotalOrder = groupProperty({
  name: "evsTotalOrder",
  id: "E8",
  statement:
    "one order of all messages fits every process's deliveries, across partitions; in a regular configuration the members deliver prefixes of one sequence; gaps appear only in a transitional configuration, for messages of senders outside it",
  checkability: "online",
  source: EVS,
  start: (n) => ({
    confs: startConfigurations(n),
    order: strongOrder.start(n),
    regular: IMap.empty<number, readonly MessageId[]>(),
    got: IMap.empty<ProcessId, readonly MessageId[]>(),
  }),
  step: (s, a) => {
    const order = strongOrder.step(s.order, a);
    if (order instanceof GroupViolation) return order;
    if (a.name !== "deliver") {
      const confs = trackConfigurations(s.confs, a);
      const leaves = confs !== s.confs && !(a.name === "view" && isTransitional(a.view));
      return { ...s, order, confs, got: leaves ? s.got.delete(a.p) : s.got };
    }
    const now = s.confs.get(a.p);
    if (!now) return { ...s, order };
    const m = { from: a.from, msg: a.msg };
    const got = s.got.get(a.p) ?? [];
    const known = s.regular.get(now.regular.id) ?? [];
    const problem = now.transitional ? skipProblem(a.p, m, got, known, now.transitional) : prefixProblem(a.p, m, got, known, now.regular.id);
    if (problem) return problem;
    const regular = !now.transitional && got.length === known.length ? s.regular.set(now.regular.id, [...known, m]) : s.regular;
    return { ...s, order, regular, got: s.got.set(a.p, [...got, m]) };
  },
});

/** In regular configuration R, p's deliveries must follow the one sequence R's members have shown. */
function prefixProblem(p: ProcessId, m: MessageId, got: readonly MessageId[], known: readonly MessageId[], r: number): GroupViolation | undefined {
  const expected = known[got.length];
  if (!expected || sameMessage(expected, m)) return undefined;
  return violation(`${proc(p)} delivers ${message(m)} in ${regularText(r)} where the order so far has ${message(expected)} next: members deliver prefixes of one sequence`);
}

/** In transitional configuration T, p may skip a message of R's order only if its sender is not in T. */
function skipProblem(p: ProcessId, m: MessageId, got: readonly MessageId[], known: readonly MessageId[], t: View): GroupViolation | undefined {
  const at = known.findIndex((x) => sameMessage(x, m));
  const before = known.slice(0, at < 0 ? known.length : at);
  const skipped = before.find((x) => t.members.has(x.from) && !got.some((y) => sameMessage(x, y)));
  if (!skipped) return undefined;
  return violation(
    `${proc(p)} delivers ${message(m)} in transitional configuration ${t.id} skipping ${message(skipped)}, which comes before it; only messages of senders outside the transitional configuration may be skipped`,
  );
}

export const evsSafeDelivery = groupProperty({
  name: "evsSafeDelivery",
  id: "E9",
  statement:
    "when a process gets a message safe in a configuration, every member of it delivers the message before installing its next regular configuration, unless it crashes",
  checkability: "pair",
  source: EVS,
  start: (n) => ({
    confs: startConfigurations(n),
    got: IMap.empty<ProcessId, ISet<MessageId>>(),
    safeIn: IMap.empty<View, ISet<MessageId>>(),
    left: IMap.empty<{ p: ProcessId; conf: View }, ISet<MessageId>>(),
  }),
  step: (s, a) => {
    switch (a.name) {
      case "deliver":
        return { ...s, got: s.got.set(a.p, (s.got.get(a.p) ?? ISet.empty()).add({ from: a.from, msg: a.msg })) };
      case "safe":
        return safeIndication(s, a.p, { from: a.from, msg: a.msg });
      case "view":
        return isTransitional(a.view) ? { ...s, confs: trackConfigurations(s.confs, a) } : leaveRegular(s, a);
      default:
        return { ...s, confs: trackConfigurations(s.confs, a) };
    }
  },
});

type SafeState = {
  readonly confs: Configurations;
  readonly got: IMap<ProcessId, ISet<MessageId>>;
  readonly safeIn: IMap<View, ISet<MessageId>>;
  readonly left: IMap<{ p: ProcessId; conf: View }, ISet<MessageId>>;
};

function safeIndication(s: SafeState, p: ProcessId, m: MessageId): SafeState | GroupViolation {
  const conf = currentConfiguration(s.confs, p);
  if (!conf) return s;
  const key = identity(conf);
  const behind = conf.members.toArray().find((q) => s.left.get({ p: q, conf: key })?.has(m) === false);
  if (behind !== undefined) {
    return violation(`${proc(p)} gets ${message(m)} safe in ${describeConfiguration(conf)}, but ${proc(behind)}, a member, installed its next regular configuration without delivering it`);
  }
  const record = s.safeIn.get(key) ?? ISet.empty<MessageId>();
  return record.has(m) ? s : { ...s, safeIn: s.safeIn.set(key, record.add(m)) };
}

function leaveRegular(s: SafeState, a: GroupAction<Value> & { name: "view" }): SafeState | GroupViolation {
  const now = s.confs.get(a.p);
  const got = s.got.get(a.p) ?? ISet.empty<MessageId>();
  const confs = trackConfigurations(s.confs, a);
  if (!now) return { ...s, confs };
  const left = [now.regular, ...(now.transitional ? [now.transitional] : [])].map(identity);
  for (const conf of left) {
    const missed = (s.safeIn.get(conf) ?? ISet.empty<MessageId>()).toArray().find((m) => !got.has(m));
    if (missed) {
      return violation(`${proc(a.p)} installs ${regularText(a.view.id)} without having delivered ${message(missed)}, which a member of ${describeConfiguration(conf)} got safe there`, {
        name: "safe",
        from: missed.from,
        msg: missed.msg,
      });
    }
  }
  return { ...s, confs, got: s.got.delete(a.p), left: left.reduce((acc, conf) => acc.set({ p: a.p, conf }, got), s.left) };
}
