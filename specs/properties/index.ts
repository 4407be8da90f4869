// The property catalogue: every named property monitor, in the reference notes' order (membership,
// integrity, views and messages, ordering, safe indications, extended virtual synchrony).

import { configurationIdentity, configurationSequence, evsCausalOrder, evsSafeDelivery, evsSelfDelivery, evsSendingConfiguration, evsTotalOrder, failureAtomicity } from "./evs.ts";
import { deliveryIntegrity, noDuplication } from "./integrity.ts";
import { initialView, localMonotonicity, selfInclusion, viewIdentity } from "./membership.ts";
import { causalOrder, fifoOrder, reliableFifo, reliableTotalOrder, strongTotalOrder, weakTotalOrder } from "./ordering.ts";
import { TroupeError } from "../../ioa/index.ts";
import type { CatalogueProperty } from "./property.ts";
import { safeAfterDelivery, safeMeansStable, safePrefix } from "./safe.ts";
import { selfDelivery, sameViewDelivery, sendingViewDelivery, transitionalSet, virtualSynchrony } from "./views.ts";

export type { CatalogueProperty } from "./property.ts";

export const catalogue: readonly CatalogueProperty[] = [
  selfInclusion,
  localMonotonicity,
  viewIdentity,
  initialView,
  deliveryIntegrity,
  noDuplication,
  sendingViewDelivery,
  sameViewDelivery,
  virtualSynchrony,
  transitionalSet,
  selfDelivery,
  fifoOrder,
  reliableFifo,
  causalOrder,
  strongTotalOrder,
  weakTotalOrder,
  reliableTotalOrder,
  safeAfterDelivery,
  safePrefix,
  safeMeansStable,
  configurationSequence,
  configurationIdentity,
  evsSendingConfiguration,
  failureAtomicity,
  evsSelfDelivery,
  evsCausalOrder,
  evsTotalOrder,
  evsSafeDelivery,
];

const byName = new Map(catalogue.map((p) => [p.name, p]));

/** A catalogue property by name; an unknown name is an error that lists the known ones. */
export function catalogueProperty(name: string): CatalogueProperty {
  const p = byName.get(name);
  if (!p) throw new TroupeError(`no catalogue property "${name}"; the catalogue has ${catalogue.map((x) => x.name).join(", ")}`);
  return p;
}
