import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkValue, Violation } from "../../ioa/index.ts";
import { catalogue, catalogueProperty } from "../../specs/properties/index.ts";
import { SERVICE_NAMES, services, type Service } from "../../specs/services.ts";
import { validateTrace } from "../../specs/validation.ts";
import { cast, crash, deliver, recover, safe, transitional, view, type Trace } from "../support/group-traces.ts";

/** Runs the whole catalogue (and no service checker) over a trace. */
const everything: Service = { name: "vs", title: "the catalogue", promises: catalogue, lacks: [], transitionalConfigurations: true };

function verdicts(trace: Trace, processes: number, quiescent = false) {
  return validateTrace(everything, trace, { processes, quiescent });
}

/** One trace per catalogue property that breaks it, and what its explanation must say. */
const broken: Record<string, { trace: Trace; processes: number; says: RegExp; quiescent?: boolean }> = {
  selfInclusion: { trace: [view(1, 1, [0, 2])], processes: 3, says: /^p1 installs view 1 \{p0, p2\}, which does not contain it$/ },
  localMonotonicity: { trace: [view(0, 2, [0, 1]), view(0, 1, [0])], processes: 2, says: /^p0 installs view 1 \{p0\} after view 2: ids must increase$/ },
  viewIdentity: { trace: [view(0, 1, [0, 1]), view(1, 1, [1, 2])], processes: 3, says: /^p1 installs view 1 as \{p1, p2\}, but it was installed as \{p0, p1\} before$/ },
  initialView: { trace: [recover(0), cast(0, 1), deliver(1, 0, 1)], processes: 2, says: /^p1 delivers message 1 of p0, which was cast outside any view$/ },
  deliveryIntegrity: { trace: [deliver(1, 0, 1)], processes: 2, says: /^p1 delivers message 1 of p0, which p0 has not cast$/ },
  noDuplication: { trace: [cast(0, 1), deliver(1, 0, 1), deliver(1, 0, 1)], processes: 2, says: /^p1 delivers message 1 of p0 a second time$/ },
  sendingViewDelivery: { trace: [cast(0, 1), view(1, 1, [0, 1]), deliver(1, 0, 1)], processes: 2, says: /^p1 delivers message 1 of p0 in view 1, but p0 cast it in view 0$/ },
  sameViewDelivery: {
    trace: [cast(0, 1), deliver(0, 0, 1), view(1, 1, [0, 1]), deliver(1, 0, 1)],
    processes: 2,
    says: /^p1 delivers message 1 of p0 in view 1, but it was delivered in view 0 before$/,
  },
  virtualSynchrony: {
    trace: [cast(0, 1), deliver(0, 0, 1), view(0, 1, [0, 1]), view(1, 1, [0, 1])],
    processes: 2,
    says: /^p1 moves from view 0 to view 1 as another process did before, but they delivered different messages in view 0: p1 did not deliver message 1 of p0$/,
  },
  transitionalSet: {
    trace: [view(0, 1, [0, 1], { transitional: [0] }), view(1, 1, [0, 1], { transitional: [1, 0] })],
    processes: 2,
    says: /^p1 and p0 install view 1; both come from view 0, yet p0's transitional set \{p0\} lacks p1$/,
  },
  selfDelivery: { trace: [cast(0, 1), deliver(1, 0, 1), view(0, 1, [0])], processes: 2, says: /^p0 installs view 1 without having delivered its own message 1 of p0 \(cast in view 0\)$/ },
  fifoOrder: { trace: [cast(0, 1), cast(0, 2), deliver(1, 0, 2), deliver(1, 0, 1)], processes: 2, says: /^p1 delivers message 1 of p0 after message 2 of p0, but p0 cast it before$/ },
  reliableFifo: { trace: [cast(0, 1), cast(0, 2), deliver(1, 0, 2)], processes: 2, says: /^p1 delivered message 2 of p0 but never message 1 of p0, which p0 cast before it in view 0$/ },
  causalOrder: {
    trace: [cast(0, 1), deliver(1, 0, 1), cast(1, 2), deliver(2, 1, 2), deliver(2, 0, 1)],
    processes: 3,
    says: /^p2 delivers message 1 of p0 after message 2 of p1, but the cast of message 1 of p0 happened before the cast of message 2 of p1$/,
  },
  strongTotalOrder: {
    trace: [cast(0, 1), cast(1, 1), deliver(0, 0, 1), view(0, 1, [0, 1]), view(1, 1, [0, 1]), deliver(0, 1, 1), deliver(1, 1, 1), deliver(1, 0, 1)],
    processes: 2,
    says: /^p1 delivers message 1 of p0 after message 1 of p1, but earlier deliveries put message 1 of p0 before message 1 of p1: no single order fits$/,
  },
  weakTotalOrder: {
    trace: [cast(0, 1), cast(1, 1), deliver(0, 0, 1), deliver(0, 1, 1), deliver(1, 1, 1), deliver(1, 0, 1)],
    processes: 2,
    says: /^p1 delivers message 1 of p0 after message 1 of p1 in view 0, but earlier deliveries put message 1 of p0 before message 1 of p1: no single order fits$/,
  },
  reliableTotalOrder: {
    trace: [cast(0, 1), cast(1, 1), deliver(0, 0, 1), deliver(1, 1, 1)],
    processes: 2,
    says: /^p1's 1st delivery in view 0 is message 1 of p1, but the 1st delivery there was message 1 of p0 before$/,
  },
  safeAfterDelivery: { trace: [cast(0, 1), safe(1, 0, 1)], processes: 2, says: /^p1 gets a safe indication for message 1 of p0 in view 0 without having delivered it there$/ },
  safePrefix: {
    trace: [cast(0, 1), cast(0, 2), deliver(0, 0, 1), deliver(0, 0, 2), deliver(1, 0, 1), deliver(1, 0, 2), safe(1, 0, 2)],
    processes: 2,
    says: /^p1's 1st safe indication in view 0 is for message 2 of p0, but its 1st delivery there was message 1 of p0$/,
  },
  safeMeansStable: {
    trace: [cast(0, 1), deliver(0, 0, 1), safe(0, 0, 1)],
    processes: 2,
    says: /^p0 gets a safe indication for message 1 of p0 in view 0 before p1, a member of view 0, delivered it there$/,
  },
  configurationSequence: {
    trace: [view(0, 1, [0, 1])],
    processes: 2,
    says: /^p0 installs regular configuration 1 straight after regular configuration 0, without a transitional configuration between them$/,
  },
  configurationIdentity: {
    trace: [
      transitional(0, 1, [0]),
      view(0, 1, [0, 1]),
      transitional(1, 2, [1]),
      view(1, 2, [0, 1]),
      transitional(0, 3, [0, 1]),
      transitional(1, 3, [0, 1]),
    ],
    processes: 2,
    says: /^p1 installs transitional configuration 3 \{p0, p1\} coming from regular configuration 2, but it was installed before by a process coming from regular configuration 1$/,
  },
  evsSendingConfiguration: {
    trace: [cast(0, 1), transitional(1, 1, [1]), view(1, 1, [1]), deliver(1, 0, 1)],
    processes: 2,
    says: /^p1 delivers message 1 of p0 in regular configuration 1, but it was cast for regular configuration 0$/,
  },
  failureAtomicity: {
    trace: [cast(0, 1), deliver(0, 0, 1), transitional(0, 1, [0, 1]), transitional(1, 1, [0, 1])],
    processes: 2,
    says: /^p1 moves from regular configuration 0 to transitional configuration 1 as another process did before, but they delivered different messages in regular configuration 0: p1 did not deliver message 1 of p0$/,
  },
  evsSelfDelivery: {
    trace: [cast(0, 1), transitional(0, 1, [0]), view(0, 1, [0])],
    processes: 2,
    says: /^p0 installs regular configuration 1 without having delivered its own message 1 of p0 \(cast for regular configuration 0\)$/,
  },
  evsCausalOrder: {
    trace: [cast(0, 1), deliver(1, 0, 1), cast(1, 2), deliver(2, 1, 2), deliver(2, 0, 1)],
    processes: 3,
    says: /^p2 delivers message 1 of p0 after message 2 of p1, but the cast of message 1 of p0 happened before the cast of message 2 of p1$/,
  },
  evsTotalOrder: {
    trace: [cast(0, 1), cast(0, 2), deliver(0, 0, 1), deliver(0, 0, 2), transitional(1, 1, [0, 1]), deliver(1, 0, 2)],
    processes: 2,
    says: /^p1 delivers message 2 of p0 in transitional configuration 1 skipping message 1 of p0, which comes before it; only messages of senders outside the transitional configuration may be skipped$/,
  },
  evsSafeDelivery: {
    trace: [cast(0, 1), deliver(0, 0, 1), safe(0, 0, 1), transitional(1, 1, [1]), view(1, 1, [1])],
    processes: 2,
    says: /^p1 installs regular configuration 1 without having delivered message 1 of p0, which a member of regular configuration 0 got safe there$/,
  },
};

describe("the property catalogue", () => {
  it("has a trace that breaks each property", () => {
    expect(Object.keys(broken).sort()).toEqual(catalogue.map((p) => p.name).sort());
  });

  for (const [name, { trace, processes, says, quiescent }] of Object.entries(broken)) {
    it(`reports ${name} (${catalogueProperty(name).id}, ${catalogueProperty(name).checkability}) by name, with an explanation`, () => {
      const verdict = verdicts(trace, processes, quiescent).find((v) => v.property === name)!;
      expect(verdict.verdict).toBe("violated");
      expect(verdict.violation!.message).toMatch(says);
      expect(verdict.violation!.events.length).toBeGreaterThan(0);
    });
  }

  it("finds nothing wrong with a virtually synchronous trace with safe indications and transitional sets", () => {
    const trace = [
      cast(0, 1),
      deliver(0, 0, 1),
      deliver(1, 0, 1),
      deliver(2, 0, 1),
      safe(0, 0, 1),
      safe(1, 0, 1),
      cast(1, 1),
      deliver(1, 1, 1),
      deliver(0, 1, 1),
      view(0, 1, [0, 1], { transitional: [0, 1] }),
      view(1, 1, [0, 1], { transitional: [0, 1] }),
      view(2, 2, [2], { transitional: [2] }),
      cast(2, 1),
      deliver(2, 2, 1),
      safe(2, 2, 1),
      crash(0),
      recover(0),
    ];
    const ckv = verdicts(trace, 3, true).filter((v) => !v.property.startsWith("evs") && !v.property.startsWith("configuration") && v.property !== "failureAtomicity");
    expect(ckv.filter((v) => v.verdict !== "holds")).toEqual([]);
  });

  it("finds nothing wrong with an extended virtually synchronous trace across a partition", () => {
    const trace = [
      cast(0, "a"),
      deliver(0, 0, "a"),
      deliver(1, 0, "a"),
      deliver(2, 0, "a"),
      safe(0, 0, "a"),
      cast(1, "b"),
      deliver(1, 1, "b"),
      deliver(0, 1, "b"),
      transitional(0, 1, [0, 1]),
      transitional(1, 1, [0, 1]),
      transitional(2, 2, [2]),
      cast(0, "c"),
      view(0, 1, [0, 1]),
      view(1, 1, [0, 1]),
      view(2, 2, [2]),
      deliver(0, 0, "c"),
      deliver(1, 0, "c"),
    ];
    const failures = validateTrace(services.evs, trace, { processes: 3, quiescent: true }).filter((v) => v.verdict !== "holds");
    expect(failures).toEqual([]);
  });

  it("judges liveness at quiescence only when the run reached it", () => {
    const trace = [cast(0, 1)];
    const judged = (quiescent: boolean) => verdicts(trace, 2, quiescent).find((v) => v.property === "selfDelivery")!;
    expect(judged(false).verdict).toBe("not judged");
    expect(judged(true).violation!.message).toBe("p0 is done (at quiescence) without having delivered its own message 1 of p0 (cast in view 0)");
  });

  it("says which events break a property: the violating one and the earlier ones it conflicts with", () => {
    const trace = [cast(0, 1), cast(1, 1), deliver(0, 0, 1), deliver(0, 1, 1), deliver(1, 1, 1), deliver(1, 0, 1)];
    expect(verdicts(trace, 2).find((v) => v.property === "strongTotalOrder")!.violation!.events).toEqual([3, 5]);
    expect(verdicts(broken.noDuplication!.trace, 2).find((v) => v.property === "noDuplication")!.violation!.events).toEqual([1, 2]);
  });

  it("is the table in the README: every property, its id, statement, class and the services that promise it", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const rows = readme.split("\n").filter((line) => /^\| `\w+` \| [A-Z]\d \|/.test(line));
    const expected = catalogue.map((p) => {
      const by = SERVICE_NAMES.filter((s) => services[s].promises.includes(p)).join(", ") || "—";
      return `| \`${p.name}\` | ${p.id} | ${p.statement} | ${p.checkability} | ${by} |`;
    });
    expect(rows).toEqual(expected);
  });

  it("keeps every monitor's state a canonical value (the checker fingerprints it)", () => {
    for (const { trace, processes } of Object.values(broken)) {
      for (const property of catalogue) {
        const monitor = property.monitor(processes);
        let m = monitor.start;
        checkValue(m, `${property.name} start`);
        for (const a of trace) {
          const next = monitor.step(m, a);
          if (next instanceof Violation) break;
          checkValue(next, `${property.name} after ${a.name}`);
          m = next;
        }
      }
    }
  });
});
