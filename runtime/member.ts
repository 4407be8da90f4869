// A member of a group: the application's view of the runtime.
//
//   const member = await join({ group: "demo", peers: ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"], port: 7001 });
//   member.on("deliver", (m) => console.log(m.sender, m.json()));
//   member.castJson({ hello: "world" });
//   await member.close();
//
// A member hosts one stack automaton (host.ts) and connects it to a transport: arriving datagrams
// are decoded (wire.ts), checked (this group, a member's address, the sender it claims) and each
// packet becomes an `arrive` input; what the stack transmits is batched into datagrams (outbox.ts);
// what it delivers becomes `deliver`/`receive` events, and views `view` events. Every datagram that
// arrives is either accepted or dropped and counted by reason (counters.ts).

import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import { range, type ISet, type Value } from "../ioa/index.ts";
import type { Packet } from "../layers/message.ts";
import type { StackAction, StackState } from "../layers/stack.ts";
import { initialView, type GroupAction, type View } from "../specs/group.ts";
import { parseAddress, type Address } from "./address.ts";
import { ConfigError } from "./config-error.ts";
import { newCounters, type Counters } from "./counters.ts";
import { Delivery, type MessageId } from "./delivery.ts";
import { open, seal } from "./envelope.ts";
import { checkFaultRates, type FaultRates } from "./faults.ts";
import { withFaults } from "./faulty-transport.ts";
import { Host, type HostOutputs } from "./host.ts";
import { Outbox } from "./outbox.ts";
import { stackDefinition, SWITCHING_STACKS, type StackName } from "./stacks.ts";
import { TOTAL_PROTOCOLS, type TotalProtocol } from "../layers/stacks/total.ts";
import { TraceRecorder } from "./trace-recorder.ts";
import type { Transport } from "./transport.ts";
import { udpTransport } from "./udp-transport.ts";
import { Wire } from "./wire.ts";

export interface JoinOptions {
  /** The group's name: members of other groups (or stacks, or sizes) are not heard. */
  readonly group: string;
  /** Every member's address ("host:port"), in rank order, this member's included. */
  readonly peers: readonly (string | Address)[];
  /** This member's rank; by default the member whose address has port `port`. */
  readonly rank?: number;
  readonly port?: number;
  /** The stack (default "fifo"). */
  readonly stack?: StackName;
  /** Batch packets of many runs into one datagram, sent on the next turn of the event loop (default true); false sends at the end of every run, for latency. */
  readonly batching?: boolean;
  /** Real milliseconds per millisecond of a layer's timer delay (default 1). */
  readonly timerScale?: number;
  /** The largest datagram sent or accepted, in bytes (default 60,000). */
  readonly maxDatagram?: number;
  /** Payloads longer than this many bytes travel in pieces (default 8,192). */
  readonly fragment?: number;
  /** Faults to inject into outgoing datagrams. */
  readonly faults?: FaultRates;
  /** Record this member's group actions to this file as JSON lines (for `troupe validate`). */
  readonly trace?: string;
  /** A transport to use instead of UDP (an in-process network, for tests). */
  readonly transport?: Transport;
}

export interface MemberEvents {
  deliver: [Delivery];
  receive: [Delivery];
  view: [View];
  /**
   * The stack asks the application to stop casting before a view change; the application calls
   * `ok()` once it has (casts it makes until the next view wait in the stack). Without a listener
   * the member answers at once.
   */
  block: [BlockRequest];
  /** The stack refused a packet (by throwing), or an output could not be sent. */
  error: [Error];
}

/** Joins a group: binds this member's address (unless given a transport) and starts its stack. */
export async function join(options: JoinOptions): Promise<Member> {
  const peers = options.peers.map((p, i) => (typeof p === "string" ? parseAddress(p, `peer ${i}`) : p));
  const rank = rankOf(options, peers);
  const faults = options.faults && checkFaultRates(options.faults);
  const counters = newCounters();
  const base = options.transport ?? (await udpTransport({ rank, members: peers }));
  const transport = faults ? withFaults(base, faults, counters) : base;
  return new Member(options, rank, peers.length, transport, counters);
}

function rankOf(options: JoinOptions, peers: readonly Address[]): number {
  if (peers.length === 0) throw new ConfigError("peers: a group needs at least one member");
  if (options.rank !== undefined) {
    if (!Number.isSafeInteger(options.rank) || options.rank < 0 || options.rank >= peers.length) {
      throw new ConfigError(`rank ${options.rank} is not a rank of a group of ${peers.length} (0 to ${peers.length - 1})`);
    }
    if (options.port !== undefined && peers[options.rank]!.port !== options.port) {
      throw new ConfigError(`port ${options.port} is not the port of member ${options.rank} (${peers[options.rank]!.host}:${peers[options.rank]!.port})`);
    }
    return options.rank;
  }
  if (options.port === undefined) throw new ConfigError("give this member's rank, or its port (to find it among the peers)");
  const matches = peers.flatMap((p, i) => (p.port === options.port ? [i] : []));
  if (matches.length !== 1) {
    throw new ConfigError(matches.length === 0 ? `port ${options.port} is not among the peers' ports; the peers list every member, this one included` : `port ${options.port} is the port of members ${matches.join(" and ")}: give the rank`);
  }
  return matches[0]!;
}

export class Member extends EventEmitter<MemberEvents> {
  readonly rank: number;
  readonly n: number;
  readonly group: string;
  readonly counters: Counters;
  private readonly host: Host;
  private readonly wire: Wire;
  private readonly outbox: Outbox;
  private readonly recorder: TraceRecorder | undefined;
  private currentView: View;
  private casts = 0;
  private sends = 0;
  /** A view change is under way (block requested, no view yet): casts wait in `waiting`. */
  private blocked = false;
  private waiting: { readonly seq: number; readonly sealed: string }[] = [];
  private closing: Promise<void> | undefined;
  private readonly stackName: StackName;

  constructor(
    options: JoinOptions,
    rank: number,
    n: number,
    private readonly transport: Transport,
    counters: Counters,
  ) {
    super();
    this.rank = rank;
    this.n = n;
    this.group = options.group;
    this.counters = counters;
    this.currentView = initialView(n);
    const stackName = options.stack ?? "fifo";
    this.stackName = stackName;
    const maxDatagram = options.maxDatagram ?? 60_000;
    const fragment = options.fragment ?? 8192;
    if (fragment + 1024 > maxDatagram) throw new ConfigError(`fragment ${fragment} leaves no room for headers in datagrams of at most ${maxDatagram} bytes`);
    const stack = stackDefinition(stackName, { fragment }).build(n, rank);
    this.wire = new Wire(stack.types, { group: options.group, stack: stackName, n, maxDatagram });
    const recorder = options.trace === undefined ? undefined : new TraceRecorder(options.trace);
    this.recorder = recorder;
    this.outbox = new Outbox(this.wire, rank, n, transport, counters, options.batching === false, recorder && (() => recorder.flush()));
    this.host = new Host(stack, this.outputs(), { ...(options.timerScale !== undefined && { timerScale: options.timerScale }) });
    transport.listen((bytes, from) => this.arrived(bytes, from));
  }

  /** The current view (the fifo stack's group is fixed: every member, always). */
  get view(): View {
    return this.currentView;
  }

  /** The stack's state: a value of `stackType`, the very state the checker explores. */
  get state(): StackState {
    return this.host.state;
  }

  get stack() {
    return this.host.stack;
  }

  /**
   * Casts `data` to the view. Between a block request and the next view the cast waits in the
   * member and is made in the new view (a cast belongs to the view it is made in: virtual
   * synchrony delivers it there).
   */
  cast(data: Uint8Array | string): MessageId {
    const seq = ++this.casts;
    const sealed = seal(seq, bytesOf(data));
    if (this.blocked) this.waiting.push({ seq, sealed });
    else this.castNow(seq, sealed);
    return { sender: this.rank, seq };
  }

  private castNow(seq: number, sealed: string): void {
    this.recorder?.record({ name: "cast", p: this.rank, msg: { sender: this.rank, seq } });
    this.host.cast(sealed);
  }

  castJson(value: unknown): MessageId {
    return this.cast(JSON.stringify(value));
  }

  /** Sends bytes to one member. */
  send(to: number, data: Uint8Array | string): MessageId {
    if (!Number.isSafeInteger(to) || to < 0 || to >= this.n) throw new ConfigError(`send: ${to} is not a member of a group of ${this.n}`);
    const seq = ++this.sends;
    this.host.send(to, seal(seq, bytesOf(data)));
    return { sender: this.rank, seq };
  }

  sendJson(to: number, value: unknown): MessageId {
    return this.send(to, JSON.stringify(value));
  }

  /**
   * The total order protocol the group runs in this view (`sequencer` or `token`), in a stack that
   * can switch protocols (total, total-token); undefined in the others.
   */
  get protocol(): TotalProtocol | undefined {
    const running = (this.host.state.layers as { readonly switch?: { readonly running: TotalProtocol } }).switch?.running;
    return running;
  }

  /**
   * Asks the group to run `protocol` from the next view on: the request is cast in total order, and
   * the view change it asks for moves every member to the protocol at once (the last request
   * delivered in a view wins). Only stacks that can switch protocols take it.
   */
  switchProtocol(protocol: TotalProtocol): void {
    if (!this.host.stack.actions.has("switch")) throw new ConfigError(`switchProtocol: the ${this.stackName} stack cannot switch protocols; the stacks that can are ${SWITCHING_STACKS.join(", ")}`);
    if (!(TOTAL_PROTOCOLS as readonly string[]).includes(protocol)) throw new ConfigError(`switchProtocol: there is no protocol "${String(protocol)}"; the protocols are ${TOTAL_PROTOCOLS.join(", ")}`);
    this.host.switchProtocol(protocol);
  }

  /** Sends what is batched now rather than on the next turn of the event loop. */
  flush(): void {
    this.outbox.flush();
  }

  /** Leaves: stops timers and the transport, and closes the trace file. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.host.close();
      this.outbox.flush();
      await this.transport.close();
      this.recorder?.close();
    })();
    return this.closing;
  }

  /** The receive path: every datagram is accepted or dropped and counted; nothing here throws. */
  private arrived(bytes: Uint8Array, from: number | undefined): void {
    const c = this.counters;
    c.datagramsIn++;
    c.bytesIn += bytes.length;
    const decoded = this.wire.decode(bytes);
    if (!decoded.ok) {
      c.dropped[decoded.reason]++;
      return;
    }
    // A datagram must come from the address of the member it names, and not be this member's own.
    if (decoded.sender !== from || from === this.rank) {
      c.dropped["unknown sender"]++;
      return;
    }
    c.accepted++;
    const packets = decoded.packets;
    c.packetsIn += packets.length;
    for (let i = 0; i < packets.length; i++) this.host.arrive(from, packets[i]!);
  }

  private outputs(): HostOutputs {
    return {
      deliver: (from, msg) => this.delivered("deliver", from, msg),
      receive: (from, msg) => this.delivered("receive", from, msg),
      view: (view) => {
        this.currentView = view;
        this.recorder?.record({ name: "view", p: this.rank, view });
        this.emit("view", view);
        this.unblock();
      },
      block: () => {
        this.blocked = true;
        if (this.listenerCount("block") === 0) this.host.blockOk();
        else this.emit("block", blockRequest(() => this.host.blockOk()));
      },
      transmit: (dests: ISet<number>, packet: Packet) => {
        // Counted in packetsTooLarge by the outbox; a node never dies of it.
        if (!this.outbox.add(dests, packet) && this.listenerCount("error") > 0) this.emit("error", new RangeError(`a packet of the stack is larger than a datagram may be (${this.wire.maxDatagram} bytes)`));
      },
      ranToCompletion: () => this.outbox.ranToCompletion(),
      refused: (error: unknown, input: StackAction) => {
        this.counters.stackErrors++;
        if (this.listenerCount("error") > 0) this.emit("error", new Error(`the stack refused ${input.name}: ${(error as Error).message ?? String(error)}`));
      },
    };
  }

  /** A view is installed: the casts made during the view change go out in it, in order. */
  private unblock(): void {
    this.blocked = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { seq, sealed } of waiting) this.castNow(seq, sealed);
  }

  private delivered(kind: "deliver" | "receive", from: number, msg: string): void {
    const opened = open(msg);
    if (opened === undefined) {
      this.counters.badMessages++;
      return;
    }
    if (kind === "deliver") this.recorder?.record({ name: "deliver", p: this.rank, from, msg: { sender: from, seq: opened.seq } } as GroupAction<Value>);
    if (this.listenerCount(kind) > 0) this.emit(kind, new Delivery(from, opened.seq, msg, opened.start));
  }
}

/** A block request: `ok()` answers it, once. */
export interface BlockRequest {
  ok(): void;
}

function blockRequest(answer: () => void): BlockRequest {
  let answered = false;
  return {
    ok() {
      if (answered) return;
      answered = true;
      answer();
    },
  };
}

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? Buffer.from(data, "utf8") : data;
}

/** The addresses of a local group of `n` members on 127.0.0.1 from port `base` on. */
export function localPeers(n: number, base: number): string[] {
  return range(n).map((i) => `127.0.0.1:${base + i}`);
}
