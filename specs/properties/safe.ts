// Safe indications (Fekete, Lynch and Shvartsman's `safe`; Chockler, Keidar and Vitenberg's safe
// indications): p learns that a message it delivered is held by every member of its view.

import { IMap, ISet } from "../../ioa/index.ts";
import { sameMessage, type MessageId, type ProcessId } from "../group.ts";
import { deliveryOf, message, ordinal, proc, violation } from "../violation.ts";
import { groupProperty } from "./property.ts";
import { startViews, trackViews, viewIdAt } from "./views-at.ts";

const FLS = "Fekete, Lynch, Shvartsman; Chockler, Keidar, Vitenberg (safe indications)";

export const safeAfterDelivery = groupProperty({
  name: "safeAfterDelivery",
  id: "S1",
  statement: "a process gets a safe indication for a message only after delivering it in the same view",
  checkability: "online",
  source: FLS,
  start: (n) => ({ views: startViews(n), got: IMap.empty<ProcessId, ISet<MessageId>>() }),
  step: (s, a) => {
    switch (a.name) {
      case "deliver":
        return { ...s, got: s.got.set(a.p, (s.got.get(a.p) ?? ISet.empty()).add({ from: a.from, msg: a.msg })) };
      case "safe": {
        const m = { from: a.from, msg: a.msg };
        if (s.got.get(a.p)?.has(m)) return s;
        return violation(`${proc(a.p)} gets a safe indication for ${message(m)} in view ${viewIdAt(s.views, a.p)} without having delivered it there`);
      }
      case "view":
      case "recover":
        return { views: trackViews(s.views, a), got: s.got.delete(a.p) };
      default:
        return s;
    }
  },
});

export const safePrefix = groupProperty({
  name: "safePrefix",
  id: "S2",
  statement: "in each view, a process's safe indications follow its deliveries there, in the same order",
  checkability: "online",
  source: FLS,
  start: (n) => ({ views: startViews(n), got: IMap.empty<ProcessId, readonly MessageId[]>(), safe: IMap.empty<ProcessId, number>() }),
  step: (s, a) => {
    switch (a.name) {
      case "deliver":
        return { ...s, got: s.got.set(a.p, [...(s.got.get(a.p) ?? []), { from: a.from, msg: a.msg }]) };
      case "safe": {
        const m = { from: a.from, msg: a.msg };
        const k = s.safe.get(a.p) ?? 0;
        const expected = (s.got.get(a.p) ?? [])[k];
        if (expected && sameMessage(expected, m)) return { ...s, safe: s.safe.set(a.p, k + 1) };
        const at = `${proc(a.p)}'s ${ordinal(k + 1)} safe indication in view ${viewIdAt(s.views, a.p)} is for ${message(m)}`;
        if (!expected) return violation(`${at}, but it has delivered only ${k} messages there`);
        return violation(`${at}, but its ${ordinal(k + 1)} delivery there was ${message(expected)}`, deliveryOf(expected, a.p));
      }
      case "view":
      case "recover":
        return { views: trackViews(s.views, a), got: s.got.delete(a.p), safe: s.safe.delete(a.p) };
      default:
        return s;
    }
  },
});

export const safeMeansStable = groupProperty({
  name: "safeMeansStable",
  id: "S3",
  statement: "when a process gets a safe indication for a message in a view, every member of the view has delivered it there",
  checkability: "online",
  source: FLS,
  start: (n) => ({ views: startViews(n), got: IMap.empty<{ p: ProcessId; view: number }, ISet<MessageId>>() }),
  step: (s, a) => {
    if (a.name === "deliver") {
      const key = { p: a.p, view: viewIdAt(s.views, a.p) };
      return { ...s, got: s.got.set(key, (s.got.get(key) ?? ISet.empty()).add({ from: a.from, msg: a.msg })) };
    }
    if (a.name !== "safe") return { ...s, views: trackViews(s.views, a) };
    const m = { from: a.from, msg: a.msg };
    const view = s.views.get(a.p);
    if (!view) return s;
    const lagging = view.members.toArray().find((r) => !s.got.get({ p: r, view: view.id })?.has(m));
    if (lagging === undefined) return s;
    return violation(`${proc(a.p)} gets a safe indication for ${message(m)} in view ${view.id} before ${proc(lagging)}, a member of view ${view.id}, delivered it there`);
  },
});
