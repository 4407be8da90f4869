// Membership properties (Chockler, Keidar and Vitenberg): what views a process may install.

import { IMap, ISet } from "../../ioa/index.ts";
import type { MessageId, ProcessId, View } from "../group.ts";
import { castOf, members, message, proc, view, violation } from "../violation.ts";
import { groupProperty } from "./property.ts";
import { startViews, trackViews } from "./views-at.ts";

const CKV = "Chockler, Keidar, Vitenberg";

export const selfInclusion = groupProperty({
  name: "selfInclusion",
  id: "M1",
  statement: "a process installs only views that contain it",
  checkability: "online",
  source: CKV,
  start: () => 0,
  step: (s, a) => (a.name === "view" && !a.view.members.has(a.p) ? violation(`${proc(a.p)} installs ${view(a.view)}, which does not contain it`) : s),
});

export const localMonotonicity = groupProperty({
  name: "localMonotonicity",
  id: "M2",
  statement: "the views a process installs have increasing ids (view 0 counts as installed first; crashes do not reset it)",
  checkability: "online",
  source: CKV,
  start: () => IMap.empty<ProcessId, View>(),
  step: (last, a) => {
    if (a.name !== "view") return last;
    const before = last.get(a.p);
    if (a.view.id > (before?.id ?? 0)) return last.set(a.p, a.view);
    if (!before) return violation(`${proc(a.p)} installs ${view(a.view)} while in view 0: ids must increase`);
    return violation(`${proc(a.p)} installs ${view(a.view)} after ${view(before)}: ids must increase`, { name: "view", p: a.p, view: before });
  },
});

export const viewIdentity = groupProperty({
  name: "viewIdentity",
  id: "M3",
  statement: "all processes that install a view with the same id see the same members",
  checkability: "online",
  source: CKV,
  start: () => IMap.empty<number, { p: ProcessId; view: View }>(),
  step: (seen, a, n) => {
    if (a.name !== "view") return seen;
    const first = seen.get(a.view.id);
    if (a.view.id === 0 && a.view.members.size !== n) return violation(`${proc(a.p)} installs ${view(a.view)}, but view 0 has every process`);
    if (!first) return seen.set(a.view.id, { p: a.p, view: a.view });
    if (first.view.members.equals(a.view.members)) return seen;
    return violation(`${proc(a.p)} installs view ${a.view.id} as ${members(a.view.members)}, but ${proc(first.p)} installed it as ${members(first.view.members)}`, {
      name: "view",
      p: first.p,
      view: first.view,
    });
  },
});

export const initialView = groupProperty({
  name: "initialView",
  id: "M4",
  statement: "deliveries and safe indications happen inside a view, and a message cast outside any view is never delivered",
  checkability: "online",
  source: `${CKV} (initial view event); the send side as in Fekete, Lynch, Shvartsman`,
  start: (n) => ({ views: startViews(n), viewless: ISet.empty<MessageId>() }),
  step: (s, a) => {
    switch (a.name) {
      case "cast":
        return s.views.has(a.p) ? s : { ...s, viewless: s.viewless.add({ from: a.p, msg: a.msg }) };
      case "deliver":
      case "safe": {
        const m = { from: a.from, msg: a.msg };
        const what = a.name === "deliver" ? "delivers" : "gets a safe indication for";
        if (!s.views.has(a.p)) return violation(`${proc(a.p)} ${what} ${message(m)} outside any view (it recovered and installed no view since)`);
        if (s.viewless.has(m)) return violation(`${proc(a.p)} ${what} ${message(m)}, which was cast outside any view`, castOf(m));
        return s;
      }
      default:
        return { ...s, views: trackViews(s.views, a) };
    }
  },
});
