// The host arms real timers for the timers a stack offers; a view installed starts them afresh.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ISet, t } from "../../ioa/index.ts";
import { bottom } from "../../layers/bottom.ts";
import { layer } from "../../layers/layer.ts";
import { stack } from "../../layers/stack.ts";
import { top } from "../../layers/top.ts";
import { Host, type HostOutputs } from "../../runtime/host.ts";

/** A layer whose timer `patience` is due in every view, and which installs view `next` when the application casts "next view". */
const installer = layer("installer", { provides: [], requires: [] })
  .state(() => ({ fired: t.int(0), next: t.int(0) }), (_ctx, view) => ({ fired: 0, next: view.id + 1 }))
  .handlers((_ctx, State) => ({
    dn(s, ev, io) {
      if (ev.type === "Cast" && ev.payload === "next view") io.up({ type: "View", view: { id: s.next, members: ISet.of(0, 1) } });
      return s;
    },
    install: (old, fresh) => State.with(fresh, { fired: old.fired }),
    timers: { patience: { delay: 1000, when: () => true, fire: (s) => State.with(s, { fired: s.fired + 1 }) } },
  }));

const quiet: HostOutputs = { deliver() {}, receive() {}, view() {}, block() {}, excluded() {}, exit() {}, transmit() {}, ranToCompletion() {}, refused: (error) => { throw error; } };

describe("a host's timers", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const fired = (host: Host) => (host.state.layers as unknown as { installer: { fired: number } }).installer.fired;

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
});
