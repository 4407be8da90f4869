// The host arms real timers for the timers a stack offers, a background timer going off at once the
// first time; a view installed starts them afresh; a timer that goes off after its process stalled
// waits its delay again, once.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ISet, t } from "../../ioa/index.ts";
import { bottom } from "../../layers/bottom.ts";
import { layer } from "../../layers/layer.ts";
import { stack } from "../../layers/stack.ts";
import { suspect, suspicionsIn } from "../../layers/suspect.ts";
import { top } from "../../layers/top.ts";
import { Host, type HostOutputs } from "../../runtime/host.ts";

/**
 * A layer with one timer, due in every view, counting its firings (kept across views), which
 * installs the next view when the application casts "next view".
 */
const timed = (timer: { readonly delay: number; readonly background?: boolean }) =>
  layer("timed", { provides: [], requires: [] })
    .state(() => ({ fired: t.int(0), next: t.int(0) }), (_ctx, view) => ({ fired: 0, next: view.id + 1 }))
    .handlers((_ctx, State) => ({
      dn(s, ev, io) {
        if (ev.type === "Cast" && ev.payload === "next view") io.up({ type: "View", view: { id: s.next, members: ISet.of(0, 1) } });
        return s;
      },
      install: (old, fresh) => State.with(fresh, { fired: old.fired }),
      timers: { tick: { ...timer, when: () => true, fire: (s) => State.with(s, { fired: s.fired + 1 }) } },
    }));

/** Its timer `tick` waits 1,000 ms; a heartbeat's, a background timer, 100 ms. */
const installer = timed({ delay: 1000 });
const beater = timed({ delay: 100, background: true });

/** A failure detector in miniature: its timer `suspect` is due until the application casts "heard", and suspecting counts. */
const watcher = layer("watcher", { provides: [], requires: [] })
  .state(() => ({ heard: t.bool(), suspected: t.int(0) }), () => ({ heard: false, suspected: 0 }))
  .handlers((_ctx, State) => ({
    dn: (s, ev) => (ev.type === "Cast" && ev.payload === "heard" ? State.with(s, { heard: true }) : s),
    timers: { suspect: { delay: 300, when: (s) => !s.heard, fire: (s) => State.with(s, { suspected: s.suspected + 1 }) } },
  }));

const quiet: HostOutputs = { deliver() {}, receive() {}, view() {}, block() {}, excluded() {}, exit() {}, transmit() {}, ranToCompletion() {}, refused: (error) => { throw error; } };

describe("a host's timers", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const fired = (host: Host) => (host.state.layers as unknown as { timed: { fired: number } }).timed.fired;

  it("fire their delay after they became due, and again while still due", async () => {
    const host = new Host(stack("timed", [top([]), installer, bottom]).build(2, 0), quiet);
    await vi.advanceTimersByTimeAsync(999);
    expect(fired(host)).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired(host)).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired(host)).toBe(2);
    host.close();
  });

  it("start afresh in a new view: a timer due in both views fires its whole delay after the new one began", async () => {
    const host = new Host(stack("timed", [top([]), installer, bottom]).build(2, 0), quiet);
    await vi.advanceTimersByTimeAsync(900);
    host.cast("next view");
    expect(host.state.view.id).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(fired(host)).toBe(0);
    await vi.advanceTimersByTimeAsync(899);
    expect(fired(host)).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired(host)).toBe(1);
    host.close();
  });

  it("go off at once the first time a background timer is due, then every delay, in later views too", async () => {
    const host = new Host(stack("beating", [top([]), beater, bottom]).build(2, 0), quiet);
    const beats = () => fired(host);
    await vi.advanceTimersByTimeAsync(0);
    expect(beats()).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(beats()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(beats()).toBe(2);
    host.cast("next view");
    await vi.advanceTimersByTimeAsync(99);
    expect(beats()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(beats()).toBe(3);
    host.close();
  });

  describe("after a stall of their process (a clock that jumped past a timer's due time)", () => {
    let clock = 0;
    beforeEach(() => {
      clock = 0;
      vi.spyOn(performance, "now").mockImplementation(() => clock);
    });
    afterEach(() => void vi.restoreAllMocks());

    const suspected = (host: Host) => (host.state.layers as unknown as { watcher: { suspected: number } }).watcher.suspected;
    const stalls = { count: 0 };
    beforeEach(() => void (stalls.count = 0));

    /** A watcher's host once its `suspect` timer (due 300 ms after the start) went off with the clock at `now`. */
    async function wentOff(now: number): Promise<Host> {
      const host = new Host(stack("watched", [top([]), watcher, bottom]).build(2, 0), { ...quiet, stalled: () => void stalls.count++ });
      clock = now;
      await vi.advanceTimersByTimeAsync(300);
      return host;
    }

    it("wait their delay again, once, so that what arrived during the stall is taken first", async () => {
      const host = await wentOff(1300); // the process had no CPU for a second past the timer's due time
      expect([suspected(host), stalls.count]).toEqual([0, 1]);
      host.cast("heard"); // the heartbeat that waited in the socket
      clock += 300;
      await vi.advanceTimersByTimeAsync(300);
      expect(suspected(host)).toBe(0);
      host.close();
    });

    it("go off at the second firing, stall or not, when nothing came meanwhile", async () => {
      const host = await wentOff(1300);
      clock = 3000;
      await vi.advanceTimersByTimeAsync(300);
      expect([suspected(host), stalls.count]).toEqual([1, 1]);
      host.close();
    });

    it("go off on time when their process kept up (a little late is on time)", async () => {
      const host = await wentOff(340);
      expect([suspected(host), stalls.count]).toEqual([1, 0]);
      host.close();
    });
  });
});

describe("a host's report of suspicions", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("tells of the members its failure detector comes to suspect, each once a view", async () => {
    const reports: number[][] = [];
    const outputs: HostOutputs = { ...quiet, suspected: (members) => reports.push(members.toArray()) };
    const detecting = stack("detecting", [top([]), suspect({ silent: 1000 }), bottom]).build(3, 0);
    const host = new Host(detecting, outputs, { suspicions: suspicionsIn });
    await vi.advanceTimersByTimeAsync(999);
    expect(reports).toEqual([]);
    // Neither other member was ever heard: both are suspected at once, and only once.
    await vi.advanceTimersByTimeAsync(1);
    expect(reports).toEqual([[1, 2]]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(reports).toEqual([[1, 2]]);
    host.close();
  });

  it("tells of them again in a new view, where the failure detector starts afresh", async () => {
    const reports: number[][] = [];
    const outputs: HostOutputs = { ...quiet, suspected: (members) => reports.push(members.toArray()) };
    const host = new Host(stack("detecting", [top([]), installer, suspect({ silent: 1000 }), bottom]).build(2, 0), outputs, { suspicions: suspicionsIn });
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([[1]]);
    host.cast("next view");
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([[1], [1]]);
    host.close();
  });

  it("says nothing without a way to read them, or of a stack without a failure detector", async () => {
    const reports: number[][] = [];
    const outputs: HostOutputs = { ...quiet, suspected: (members) => reports.push(members.toArray()) };
    const silent = new Host(stack("detecting", [top([]), suspect({ silent: 1000 }), bottom]).build(3, 0), outputs);
    const blind = new Host(stack("timed", [top([]), installer, bottom]).build(2, 0), outputs, { suspicions: suspicionsIn });
    await vi.advanceTimersByTimeAsync(3000);
    expect(reports).toEqual([]);
    silent.close();
    blind.close();
  });
});

describe("a host's inputs", () => {
  it("are each preceded by the call of beforeInput, which may give the stack inputs of its own first", () => {
    const sent: string[] = [];
    let held: string | undefined = "held cast";
    let calls = 0;
    const outputs: HostOutputs = { ...quiet, transmit: (_dests, packet) => void sent.push(packet.payload ?? "") };
    const host: Host = new Host(stack("plain", [top([]), bottom]).build(2, 0), outputs, {
      beforeInput: () => {
        calls++;
        const cast = held;
        held = undefined;
        if (cast !== undefined) host.cast(cast);
      },
    });
    host.cast("heard");
    host.send(1, "a send");
    expect(sent).toEqual(["held cast", "heard", "a send"]);
    expect(calls).toBe(3);
  });
});
