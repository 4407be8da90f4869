// Membership properties (Chockler, Keidar and Vitenberg): what views a process may install.

import { IMap, ISet, t } from "../../ioa/index.ts";
import { groupTypes, type MessageId, type ProcessId } from "../group.ts";
import { castOf, installOf, members, message, proc, view, violation } from "../violation.ts";
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
  type: () => t.literal(0),
  judges: ["view"],
  step: (s, a) => (a.name === "view" && !a.view.members.has(a.p) ? violation(`${proc(a.p)} installs ${view(a.view)}, which does not contain it`) : s),
});

export const localMonotonicity = groupProperty({
  name: "localMonotonicity",
  id: "M2",
  statement: "the views a process installs have increasing ids (view 0 counts as installed first; crashes do not reset it)",
  checkability: "online",
  source: CKV,
  start: () => IMap.empty<ProcessId, number>(),
  type: (n) => t.map(groupTypes(n).P, t.int(0)),
  step: (last, a) => {
    if (a.name !== "view") return last;
    const before = last.get(a.p) ?? 0;
    if (a.view.id > before) return last.set(a.p, a.view.id);
    return violation(`${proc(a.p)} installs ${view(a.view)} after view ${before}: ids must increase`, ...(before > 0 ? [installOf(before, a.p)] : []));
  },
});

export const viewIdentity = groupProperty({
  name: "viewIdentity",
  id: "M3",
  statement: "all processes that install a view with the same id see the same members",
  checkability: "online",
  source: CKV,
  start: () => IMap.empty<number, ISet<ProcessId>>(),
  type: (n) => t.map(t.int(0), t.set(groupTypes(n).P)),
  step: (seen, a, n) => {
    if (a.name !== "view") return seen;
    const known = seen.get(a.view.id);
    if (a.view.id === 0 && a.view.members.size !== n) return violation(`${proc(a.p)} installs ${view(a.view)}, but view 0 has every process`);
    if (!known) return seen.set(a.view.id, a.view.members);
    if (known.equals(a.view.members)) return seen;
    return violation(`${proc(a.p)} installs view ${a.view.id} as ${members(a.view.members)}, but it was installed as ${members(known)} before`, installOf(a.view.id));
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
