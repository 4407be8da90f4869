// Finding UDP ports for a local group: bind port 0 on loopback, note the port the kernel chose,
// release it. (Another process could take one in between; on a quiet machine none does.)

import { createSocket, type Socket } from "node:dgram";

/** `count` UDP ports on `host` that were free a moment ago. */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((done, fail) => {
      const s = createSocket("udp4");
      s.once("error", fail);
      s.bind(0, host, () => done(s));
    })),
  );
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((done) => s.close(() => done()))));
  return ports;
}
