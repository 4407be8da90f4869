// Member addresses: "host:port", as given on the command line and to `join`.

import { ConfigError } from "./config-error.ts";

export interface Address {
  readonly host: string;
  readonly port: number;
}

/** Parses "host:port" (an IPv4 address or a name, and a port 1..65535, or 0 — any — for an address to bind); `what` names it in the error. */
export function parseAddress(text: string, what = "address", anyPort = false): Address {
  const at = text.lastIndexOf(":");
  const host = text.slice(0, at);
  const port = Number(text.slice(at + 1));
  const lowest = anyPort ? 0 : 1;
  if (at <= 0 || !/^\d+$/.test(text.slice(at + 1)) || port < lowest || port > 65535) {
    throw new ConfigError(`${what} "${text}" should be host:port, with a port from ${lowest} to 65535`);
  }
  return { host, port };
}

export const formatAddress = (a: Address) => `${a.host}:${a.port}`;
