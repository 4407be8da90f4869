import { afterEach, describe, expect, it } from "vitest";
import { freePorts } from "../../runtime/free-ports.ts";
import type { Transport } from "../../runtime/transport.ts";
import { udpTransport } from "../../runtime/udp-transport.ts";

const open: Transport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function pair(): Promise<[Transport, Transport]> {
  const [a, b] = await freePorts(2);
  const members = [
    { host: "127.0.0.1", port: a! },
    { host: "127.0.0.1", port: b! },
  ];
  const ts = await Promise.all(members.map((bind) => udpTransport({ bind, members })));
  open.push(...ts);
  return ts as [Transport, Transport];
}

function nextDatagram(t: Transport): Promise<{ text: string; from: number | undefined }> {
  return new Promise((done) => t.listen((bytes, from) => done({ text: Buffer.from(bytes).toString(), from })));
}

describe("the UDP transport", () => {
  it("sends to a member by rank, and names the member a datagram came from", async () => {
    const [a, b] = await pair();
    const got = nextDatagram(b);
    a.send(1, Buffer.from("by rank"));
    expect(await got).toEqual({ text: "by rank", from: 0 });
  });

  it("sends to an address given by a host name, which its lookup resolves (an IPv4 address is its own answer)", async () => {
    const [a, b] = await pair();
    const port = b.local!.port;
    const got = nextDatagram(b);
    a.sendTo!({ host: "localhost", port }, Buffer.from("by name"));
    expect(await got).toEqual({ text: "by name", from: 0 });
  });
});
