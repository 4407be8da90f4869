// The services Troupe specifies, each with the exact checker of its automaton's traces and the
// catalogue properties it promises — what `troupe validate --spec <name>` judges a trace against.
//
// Extended virtual synchrony has no automaton here: it is specified by its properties, as its
// authors did (a checker of an automaton of our own design would prove less than E2–E9 do).

import { traceMonitor, type Action, type Monitor, type TraceProperty, type Value } from "../ioa/index.ts";
import { fifoChecker } from "./conformance/fifo-checker.ts";
import { membershipChecker } from "./conformance/membership-checker.ts";
import { toChecker } from "./conformance/to-checker.ts";
import { vsChecker } from "./conformance/vs-checker.ts";
import { catalogueProperty, type CatalogueProperty } from "./properties/index.ts";

export interface Service {
  readonly name: ServiceName;
  /** One line: what the service is. */
  readonly title: string;
  /** The exact checker of the service automaton's traces (none for EVS, a property set). */
  readonly checker?: (n: number) => Monitor<Action, Value>;
  /** Catalogue properties the service promises. */
  readonly promises: readonly CatalogueProperty[];
  /** Catalogue properties the service is known not to promise, with the reason. */
  readonly lacks: readonly { readonly property: CatalogueProperty; readonly why: string }[];
  /**
   * Its traces have transitional configurations (extended virtual synchrony). Another service's
   * signature has no such action: it judges a trace without them, as an automaton's trace is its
   * execution projected on its signature.
   */
  readonly transitionalConfigurations?: true;
}

export const SERVICE_NAMES = ["fifo", "membership", "vsync", "vs", "to", "evs"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const properties = (...names: string[]) => names.map(catalogueProperty);
const lacking = (entries: Record<string, string>) => Object.entries(entries).map(([name, why]) => ({ property: catalogueProperty(name), why }));

const VIEWS = ["selfInclusion", "localMonotonicity", "viewIdentity"];
const ORDERED_VIEWS = [
  ...VIEWS,
  "initialView",
  "deliveryIntegrity",
  "noDuplication",
  "sendingViewDelivery",
  "sameViewDelivery",
  "fifoOrder",
  "reliableFifo",
  "causalOrder",
  "strongTotalOrder",
  "weakTotalOrder",
  "reliableTotalOrder",
];

export const services: { readonly [K in ServiceName]: Service } = {
  fifo: {
    name: "fifo",
    title: "reliable FIFO channels joining a static group (Ensemble's FIFO network)",
    checker: fifoChecker,
    promises: properties("deliveryIntegrity", "noDuplication", "fifoOrder", "reliableFifo"),
    lacks: lacking({ strongTotalOrder: "deliveries from different senders are unrelated, so two processes may interleave them differently" }),
  },
  membership: {
    name: "membership",
    title: "group membership: views with increasing ids, installed by their members",
    checker: membershipChecker,
    promises: properties(...VIEWS),
    lacks: lacking({}),
  },
  vsync: {
    name: "vsync",
    title: "FIFO virtual synchrony: views from the membership service, each cast delivered in the view it was cast in, in FIFO order, the same casts by members moving together (Ensemble's vsync stack)",
    checker: membershipChecker,
    promises: properties(...VIEWS, "deliveryIntegrity", "noDuplication", "sendingViewDelivery", "sameViewDelivery", "virtualSynchrony", "fifoOrder"),
    lacks: lacking({
      strongTotalOrder: "deliveries from different senders are ordered only by their senders: two members may interleave them differently (the vs and to services order each view totally)",
    }),
  },
  vs: {
    name: "vs",
    title: "the partitionable virtual synchrony service of Fekete, Lynch and Shvartsman (VS-machine)",
    checker: vsChecker,
    promises: properties(...ORDERED_VIEWS, "safeAfterDelivery", "safePrefix", "safeMeansStable"),
    lacks: lacking({
      virtualSynchrony: "members moving together between views may have delivered different prefixes of the old view's order (FLS note N2)",
      selfDelivery: "a process may move to a new view before its own messages come back to it",
      transitionalSet: "VS views carry no transitional sets",
    }),
  },
  to: {
    name: "to",
    title: "the total order service: one order per view, agreed at view changes",
    checker: toChecker,
    promises: properties(...ORDERED_VIEWS, "virtualSynchrony"),
    lacks: lacking({ selfDelivery: "a process may move to a new view before its own messages are ordered" }),
  },
  evs: {
    name: "evs",
    title: "extended virtual synchrony (Moser, Amir, Melliar-Smith, Agarwal), as a property set",
    promises: properties(
      "selfInclusion",
      "deliveryIntegrity",
      "noDuplication",
      "configurationSequence",
      "configurationIdentity",
      "evsSendingConfiguration",
      "failureAtomicity",
      "evsSelfDelivery",
      "evsCausalOrder",
      "evsTotalOrder",
      "evsSafeDelivery",
    ),
    lacks: lacking({ sendingViewDelivery: "a message may be delivered in the transitional configuration that follows its regular one" }),
    transitionalConfigurations: true,
  },
};

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** A service's checker and promised properties as trace monitors of a model, named as in the catalogue (the checker as the service's name). */
export function serviceProperties<A extends Action>(service: Service, n: number): Record<string, TraceProperty<A>> {
  const checker = service.checker ? { [service.name]: traceMonitor<A>(service.checker(n), `the trace is a trace of the ${service.name} service: ${service.title}`) } : {};
  return { ...checker, ...Object.fromEntries(service.promises.map((p) => [p.name, traceMonitor<A>(p.monitor(n), `${p.id}: ${p.statement}`)])) };
}
