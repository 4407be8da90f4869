import { describe, expect, it } from "vitest";
import { InternedMonitors } from "../../checker/interned-monitors.ts";
import { planProperties } from "../../checker/properties.ts";
import { IMap, traceMonitor, Violation, type Action, type Value } from "../../ioa/index.ts";

type Tick = Action & { readonly name: "tick"; readonly n: number };

/** Counts ticks per n (a map, so its states are objects), and rejects a fourth tick of any n. */
const counts = traceMonitor<Tick>({
  start: IMap.empty<number, number>() as unknown as Value,
  step: (m, a) => {
    const map = m as unknown as IMap<number, number>;
    const seen = (map.get(a.n) ?? 0) + 1;
    return seen > 3 ? new Violation(`tick ${a.n} a fourth time`) : (map.set(a.n, seen) as unknown as Value);
  },
});
const plan = planProperties({ counts }, undefined);

describe("interned monitors", () => {
  it("step as the monitors do, and take a step from an interned state on the same action object once", () => {
    const monitors = new InternedMonitors();
    const key = new Int32Array(2);
    const tick: Tick = { name: "tick", n: 1 };
    const start = monitors.intern([counts.monitor.start] as Value[], key);
    const once = monitors.advance(plan, start, tick) as readonly Value[];
    expect((once[0] as IMap<number, number>).get(1)).toBe(1);
    expect((monitors.advance(plan, start, tick) as readonly Value[])[0]).toBe(once[0]);
    // Another action object with the same value is stepped again, to an equal state.
    const again = monitors.advance(plan, start, { name: "tick", n: 1 }) as readonly Value[];
    expect(again[0]).not.toBe(once[0]);
    expect((again[0] as IMap<number, number>).equals(once[0] as IMap<number, number>)).toBe(true);
  });

  it("key equal states alike and keep the first object of each value; different states apart", () => {
    const monitors = new InternedMonitors();
    const [a, b, c] = [new Int32Array(2), new Int32Array(2), new Int32Array(2)];
    const first = monitors.intern([IMap.from([[1, 2]])] as Value[], a);
    const copy = monitors.intern([IMap.from([[1, 2]])] as Value[], b);
    monitors.intern([IMap.from([[1, 3]])] as Value[], c);
    expect([...b]).toEqual([...a]);
    expect([...c]).not.toEqual([...a]);
    expect(copy[0]).toBe(first[0]);
  });

  it("report the monitor that rejects an action, by name", () => {
    const monitors = new InternedMonitors();
    let states = monitors.intern([counts.monitor.start] as Value[], new Int32Array(2));
    const tick: Tick = { name: "tick", n: 7 };
    for (let i = 0; i < 3; i++) states = monitors.advance(plan, states, tick) as readonly Value[];
    expect(monitors.advance(plan, states, tick)).toEqual({ property: "counts", message: "tick 7 a fourth time" });
  });
});
