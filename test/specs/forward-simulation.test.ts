import { describe, expect, it } from "vitest";
import { check } from "../../checker/check.ts";
import { compose, hide, IMap, t, withProperties } from "../../ioa/index.ts";
import { forwardSimulation } from "../../specs/conformance/forward-simulation.ts";
import { channel, client } from "../../specs/examples/fifo-channel.ts";
import { lossyChannel } from "../../specs/examples/lossy-channel.ts";
import { failures } from "../../specs/failures.ts";
import { clientMessages, groupClient } from "../../specs/group-client.ts";
import { toService } from "../../specs/to.ts";
import { vsService } from "../../specs/vs.ts";
import { productSearch } from "../support/product-search.ts";

describe("forward simulation", () => {
  it("shows the TO service implements the VS service (TO's state, its cuts forgotten, is a VS state)", async () => {
    const options = { processes: 2, msg: clientMessages(1), views: 1 };
    const around = () => ({ clients: groupClient(2, 1), failures: failures(2, 1) });
    const to = compose("to", { ...around(), service: toService(options) });
    const vs = compose("vs", { ...around(), service: vsService(options) });
    const simulation = forwardSimulation(to, vs, (s) => ({ ...s, service: { ...s.service, cuts: IMap.empty() } }));
    const result = await check(withProperties(to, { simulation }));
    expect(result.violation).toBeUndefined();
    expect(result.distinctStates).toBe(productSearch({ model: undefined as never, params: {}, automaton: to, properties: { simulation } }).states);
    expect(result.distinctStates).toBeGreaterThan(1000);
  });

  const fifo = compose("fifo-channel", { client: client(2), channel });
  const lossy = (faults: { drops: number; duplicates: number; reorders: number }) =>
    compose("lossy-channel", { client: client(2), channel: lossyChannel("channel", t.string(), { capacity: 3, ...faults }) });
  const simulation = (impl: ReturnType<typeof lossy>) => forwardSimulation(impl, fifo, (s) => ({ client: s.client, channel: { queue: s.channel.queue } }));
  const verdict = async (faults: { drops: number; duplicates: number; reorders: number }) => {
    const impl = lossy(faults);
    return (await check(withProperties(impl, { simulation: simulation(impl) }))).violation;
  };

  it("shows a channel without faults implements the FIFO channel", async () => {
    expect(await verdict({ drops: 0, duplicates: 0, reorders: 0 })).toBeUndefined();
  });

  it("catches each fault of a lossy channel, naming the action and what went wrong", async () => {
    expect((await verdict({ drops: 0, duplicates: 0, reorders: 1 }))?.message).toBe(
      'after receive(m: "m2"), fifo-channel should take it too, but refuses it: channel: it is not enabled (enabled receive actions: receive(m: "m1"))',
    );
    expect((await verdict({ drops: 1, duplicates: 0, reorders: 0 }))?.message).toBe(
      'drop(m: "m1") is internal, so the abstract state may change only by internal steps of fifo-channel, but it changes: channel.queue: ["m1"] → []',
    );
    expect((await verdict({ drops: 0, duplicates: 1, reorders: 0 }))?.message).toBe(
      'duplicate(m: "m1") is internal, so the abstract state may change only by internal steps of fifo-channel, but it changes: channel.queue: ["m1"] → ["m1", "m1"]',
    );
  });

  it("checks that start states map to start states, and that external actions are the specification's", async () => {
    const impl = lossy({ drops: 0, duplicates: 0, reorders: 0 });
    const shifted = forwardSimulation(impl, fifo, (s) => ({ client: s.client, channel: { queue: [...s.channel.queue, "x"] } }));
    expect((await check(withProperties(impl, { shifted }))).violation?.message).toBe("the abstraction of a start state is not a start state of fifo-channel");
    const quiet = forwardSimulation(impl, hide(fifo, ["send"]), (s) => ({ client: s.client, channel: { queue: s.channel.queue } }));
    expect((await check(withProperties(impl, { quiet }))).violation?.message).toBe('send(m: "m1") is external here, but not an external action of fifo-channel');
  });
});
