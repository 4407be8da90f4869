// Fault plans: which faults the simulator injects, how often and when.
//
// Faults are ordinary enabled actions of the model (kind "fault", within the model's budget); a
// plan decides which of them to take and when:
//
//  - rates, per fault type. A fault whose details name a message (drop, duplicate) is a message
//    fault: its rate is the probability, each time a delivery of that message is chosen, that the
//    fault happens to the message instead. Any other fault (crash, recover, partition, …) is
//    injected at a step with its rate as probability. `other` is the rate of fault types the plan
//    does not name;
//  - reorder: the probability that a delivery may overtake older ones on its channel (the same
//    process and peer); otherwise channels deliver in the order messages were sent;
//  - latency: the distribution a delivery's latency is drawn from; timer: the delay of timers whose
//    details give none;
//  - stop: random faults stop at this virtual time, so the run can drain and liveness be judged;
//  - repair: the fault types that undo faults (by default `heal`), taken when a run has settled so
//    that it ends quiescent with the damage repaired, as Jepsen heals the network at the end of a
//    test before it checks liveness;
//  - events at given times: `crash@100=2` (a fault of a process), `partition@200..500=[[0,1],[2,3]]`
//    (the processes split into components for an interval, then healed).
//
// A plan is given as command-line items (`drop=0.1,crash@100=2`) or a JSON file; both go through
// the same checks, and a bad value is an error naming the item or the JSON path.

import { existsSync, readFileSync } from "node:fs";
import { TroupeError, type Value } from "../ioa/index.ts";
import { formatDistribution, parseDistribution, type Distribution } from "./distribution.ts";

export type TimedEvent =
  | { readonly kind: "fault"; readonly at: number; readonly fault: string; readonly process?: Value }
  | { readonly kind: "partition"; readonly at: number; readonly until: number; readonly components: readonly (readonly Value[])[] };

export interface FaultPlan {
  /** Rate per fault type (see the file comment). */
  readonly rates: Readonly<Record<string, number>>;
  /** The rate of fault types `rates` does not name. */
  readonly other: number;
  readonly reorder: number;
  readonly latency: Distribution;
  /** Virtual milliseconds a timer waits when its details give no delay. */
  readonly timer: number;
  /** Random faults stop at this virtual time; undefined: never. */
  readonly stop?: number;
  /** Fault types taken once a run has settled, before it is judged quiescent. */
  readonly repair: readonly string[];
  readonly events: readonly TimedEvent[];
}

export const DEFAULT_PLAN: FaultPlan = {
  rates: { drop: 0.05, duplicate: 0.05 },
  other: 0.01,
  reorder: 0.25,
  latency: { kind: "uniform", min: 1, max: 10 },
  timer: 10,
  repair: ["heal"],
  events: [],
};

/** No random faults and in-order channels; latency and timers as by default. */
export const NO_FAULTS: FaultPlan = { ...DEFAULT_PLAN, rates: {}, other: 0, reorder: 0 };

export class PlanError extends TroupeError {
  override name = "PlanError";
}

/** The rate the plan gives a fault type. */
export function rateOf(plan: FaultPlan, fault: string): number {
  return plan.rates[fault] ?? plan.other;
}

// ---- reading plans ----

type Fields = Record<string, unknown>;

/**
 * Reads `--faults` items over the default plan. An item is `none`, `name=value` (a rate, or
 * latency/timer/stop), a timed event `fault@t[=process]` or `partition@t..u=[[…],[…]]`, or the path
 * of a JSON plan file. Items may be separated by commas.
 */
export function parseFaultItems(items: readonly string[], base: FaultPlan = DEFAULT_PLAN): FaultPlan {
  let plan = base;
  for (const item of items.flatMap(splitItems)) {
    const where = `--faults ${item}`;
    if (item === "none") plan = { ...NO_FAULTS, latency: plan.latency, timer: plan.timer, repair: plan.repair, events: plan.events };
    else if (item.endsWith(".json")) plan = readPlanFile(item, plan);
    else if (item.includes("@")) plan = { ...plan, events: [...plan.events, parseEventItem(item, where)] };
    else {
      const eq = item.indexOf("=");
      if (eq <= 0) throw new PlanError(`${where}: expected none, name=value, fault@time[=process], partition@from..until=[[…],[…]] or a plan file (.json)`);
      plan = setting(plan, item.slice(0, eq).trim(), item.slice(eq + 1).trim(), where);
    }
  }
  return plan;
}

/** Splits on commas outside brackets, so that `partition@1..2=[[0,1],[2]]` and `latency=uniform(1,9)` stay whole. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if ((c === "," && depth === 0) || i === text.length) {
      const item = text.slice(start, i).trim();
      if (item !== "") items.push(item);
      start = i + 1;
    }
  }
  return items;
}

function setting(plan: FaultPlan, name: string, value: unknown, where: string): FaultPlan {
  switch (name) {
    case "latency":
      if (typeof value !== "string" && typeof value !== "number") throw new PlanError(`${where}: latency should be a distribution such as "uniform(1,10)"`);
      return { ...plan, latency: parseDistribution(String(value), where) };
    case "timer":
      return { ...plan, timer: time(value, where) };
    case "stop":
      return { ...plan, stop: time(value, where) };
    case "repair":
      return { ...plan, repair: faultTypes(value, where) };
    case "reorder":
      return { ...plan, reorder: rate(value, where) };
    case "other":
      return { ...plan, other: rate(value, where) };
    default:
      if (!/^[\w-]+$/.test(name)) throw new PlanError(`${where}: "${name}" is not a fault type`);
      return { ...plan, rates: { ...plan.rates, [name]: rate(value, where) } };
  }
}

function parseEventItem(item: string, where: string): TimedEvent {
  const match = /^([\w-]+)@([^=]+)(?:=(.*))?$/.exec(item);
  if (!match) throw new PlanError(`${where}: expected fault@time[=process] or partition@from..until=[[…],[…]]`);
  const [, fault, when, target] = match;
  if (fault === "partition") {
    const span = /^(.+)\.\.(.+)$/.exec(when!);
    if (!span) throw new PlanError(`${where}: a partition needs an interval, partition@from..until=[[…],[…]]`);
    if (target === undefined) throw new PlanError(`${where}: a partition needs its components, partition@from..until=[[0,1],[2]]`);
    return partition(time(span[1], where), time(span[2], where), json(target, where), where);
  }
  const at = time(when, where);
  return target === undefined ? { kind: "fault", at, fault: fault! } : { kind: "fault", at, fault: fault!, process: processId(json(target, where), where) };
}

function json(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PlanError(`${where}: "${text}" is not JSON (process ids are numbers or quoted strings)`);
  }
}

const PLAN_FIELDS = ["rates", "reorder", "latency", "timer", "stop", "repair", "events"];

/** Reads a JSON plan file over `base`; every problem names the file and the JSON path. */
export function readPlanFile(file: string, base: FaultPlan = DEFAULT_PLAN): FaultPlan {
  if (!existsSync(file)) throw new PlanError(`no fault plan file at ${file}`);
  const doc = json(readFileSync(file, "utf8"), file);
  const at = (path: string) => `${file}: ${path}`;
  const root = record(doc, at("$"));
  let plan = base;
  for (const [key, value] of Object.entries(root)) {
    const where = at(`$.${key}`);
    if (key === "rates") {
      for (const [fault, r] of Object.entries(record(value, where))) plan = setting(plan, fault, r, at(`$.rates.${fault}`));
    } else if (key === "events") {
      if (!Array.isArray(value)) throw new PlanError(`${where} should be a list of events`);
      plan = { ...plan, events: [...plan.events, ...value.map((e, i) => eventFromJson(e, at(`$.events[${i}]`)))] };
    } else if (PLAN_FIELDS.includes(key)) {
      plan = setting(plan, key, value, where);
    } else {
      throw new PlanError(`${where}: unexpected field "${key}"; a plan has ${PLAN_FIELDS.join(", ")}`);
    }
  }
  return plan;
}

function eventFromJson(value: unknown, where: string): TimedEvent {
  const e = record(value, where);
  const allowed = "partition" in e ? ["at", "until", "partition"] : ["at", "fault", "process"];
  const extra = Object.keys(e).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new PlanError(`${where}: unexpected field "${extra}"; this event has ${allowed.join(", ")}`);
  if ("partition" in e) return partition(time(e.at, `${where}.at`), time(e.until, `${where}.until`), e.partition, `${where}.partition`);
  if (typeof e.fault !== "string" || e.fault === "") throw new PlanError(`${where}.fault should name a fault type, such as "crash"`);
  const at = time(e.at, `${where}.at`);
  return "process" in e ? { kind: "fault", at, fault: e.fault, process: processId(e.process, `${where}.process`) } : { kind: "fault", at, fault: e.fault };
}

function record(value: unknown, where: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PlanError(`${where} should be an object`);
  return value as Fields;
}

/** `heal+recover`, `none`, or (in a file) a list of names. */
function faultTypes(value: unknown, where: string): string[] {
  const names = typeof value === "string" ? (value === "none" ? [] : value.split("+")) : value;
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string" && /^[\w-]+$/.test(n))) {
    throw new PlanError(`${where}: repair lists fault types, such as heal+recover (or none), got ${JSON.stringify(value)}`);
  }
  return names;
}

function rate(value: unknown, where: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !(n >= 0 && n <= 1)) throw new PlanError(`${where}: a rate is a probability between 0 and 1, got ${JSON.stringify(value)}`);
  return n;
}

function time(value: unknown, where: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new PlanError(`${where}: a time is a whole number of virtual milliseconds ≥ 0, got ${JSON.stringify(value)}`);
  }
  return n;
}

function processId(value: unknown, where: string): Value {
  if (typeof value === "string" || (typeof value === "number" && Number.isSafeInteger(value))) return value;
  throw new PlanError(`${where}: a process is an integer or a string, got ${JSON.stringify(value)}`);
}

function partition(at: number, until: number, components: unknown, where: string): TimedEvent {
  if (until <= at) throw new PlanError(`${where}: the partition ends at ${until}, not after it starts at ${at}`);
  if (!Array.isArray(components) || components.length < 2 || !components.every((c) => Array.isArray(c) && c.length > 0)) {
    throw new PlanError(`${where}: a partition splits the processes into two or more non-empty components, such as [[0,1],[2]]`);
  }
  const split = components.map((c: unknown[], i) => c.map((p, j) => processId(p, `${where} component ${i} member ${j}`)));
  const all = split.flat();
  const twice = all.find((p, i) => all.indexOf(p) !== i);
  if (twice !== undefined) throw new PlanError(`${where}: process ${JSON.stringify(twice)} is in two components`);
  return { kind: "partition", at, until, components: split };
}

// ---- describing plans ----

/** One line, in the item syntax the command line reads back. */
export function formatPlan(plan: FaultPlan): string {
  const rates = Object.entries(plan.rates).map(([f, r]) => `${f}=${r}`);
  const events = plan.events.map(formatEvent);
  const stop = plan.stop === undefined ? [] : [`stop=${plan.stop}`];
  const repair = `repair=${plan.repair.length ? plan.repair.join("+") : "none"}`;
  return [...rates, `other=${plan.other}`, `reorder=${plan.reorder}`, `latency=${formatDistribution(plan.latency)}`, `timer=${plan.timer}`, ...stop, repair, ...events].join(",");
}

export function formatEvent(e: TimedEvent): string {
  if (e.kind === "partition") return `partition@${e.at}..${e.until}=${JSON.stringify(e.components)}`;
  return e.process === undefined ? `${e.fault}@${e.at}` : `${e.fault}@${e.at}=${JSON.stringify(e.process)}`;
}
