import { range } from "./ioa/index.ts";
import { join, localPeers, memoryNetwork } from "./runtime/index.ts";
import { until } from "./test/support/runtime.ts";
const n = 4;
const net = memoryNetwork(n);
const members = await Promise.all(range(n).map((rank) => join({ group: "vsync", stack: "vsync", peers: localPeers(n, 9100), rank, transport: net[rank]!, timerScale: 0.05 })));
const survivors = members.slice(0, -1);
const views = members.map(() => "");
members.forEach((m, p) => m.on("view", (v) => {views[p] = v.members.toArray().join(); console.log(p, "view", v.id, views[p]);}));
const delivered = members.map(() => 0);
members.forEach((m, p) => m.on("deliver", () => delivered[p]!++));
for (let i = 0; i < 20; i++) for (const m of members) m.cast(`before ${i}`);
await until(() => delivered.every((d) => d === 80), "every member delivers the first casts");
await members.at(-1)!.close();
await until(() => survivors.every((_, p) => views[p] === "0,1,2"), "the survivors exclude the silent member");
for (let round = 0; round < 10; round++) {
  for (let i = 0; i < 200; i++) for (const m of survivors) m.cast(`after ${round}.${i}`);
  try { await until(() => survivors.every((_, p) => delivered[p]! === 80 + 3 * 200 * (round + 1)), `the survivors deliver round ${round}`, 3000); } catch (e) { console.log(String(e), delivered, members.map(m => (m as any).transfer.phase), members.map(m => (m as any).transfer.held.length)); break; }
}
await Promise.all(members.map((m) => m.close()));
