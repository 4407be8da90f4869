// TOP: the application interface layer.
//
// Provides: nothing new.
// Requires: what the stack promises its application, named when the stack is defined.
//
// The application's casts, sends, block-oks, leaves and prompts enter the stack here, and
// deliveries, views, block requests, exits and exclusions leave it here.
// Every other event that comes up is the layers' business, not the application's, and stops here
// (Ensemble's TOP and TOP_APPL).

import { layer } from "./layer.ts";
import type { ServiceProperty } from "./property.ts";

export function top(promises: readonly ServiceProperty[]) {
  return layer("top", { provides: [], requires: promises }).handlers(() => ({
    up(s, ev, _header, io) {
      if ((ev.type === "Cast" || ev.type === "Send") && ev.peer !== undefined && ev.payload !== undefined) io.up(ev);
      return s;
    },
    upControl(s, ev, io) {
      if (ev.type === "View" || ev.type === "Block" || ev.type === "Exit" || ev.type === "Excluded") io.up(ev);
      return s;
    },
  }));
}
