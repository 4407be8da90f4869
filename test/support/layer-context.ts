// What a layer knows when it is built, for testing one layer on its own as an automaton.

import { t } from "../../ioa/index.ts";
import type { LayerContext } from "../../layers/layer.ts";
import { applicationLevel, bodyType } from "../../layers/message.ts";
import { groupTypes, initialView } from "../../specs/group.ts";

export function layerContext(rank: number, n = 2): LayerContext {
  const { P, View } = groupTypes(n, t.string());
  return { P, n, rank, view: initialView(n), View, Above: applicationLevel, Body: bodyType(applicationLevel) };
}
