// A member of a group: the application's view of the runtime.
//
//   const member = await join({ group: "demo", peers: ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"], port: 7001 });
//   member.on("deliver", (m) => console.log(m.sender, m.json()));
//   member.castJson({ hello: "world" });
//   await member.close();
//
//   // a process that knows one member's address joins the running group (vsync stack):
//   const late = await join({ group: "demo", contact: "127.0.0.1:7001", state: { snapshot, restore } });
//
// A group has a capacity of slots (its stack is built for that many processes); the founding
// members take the first, in the order of `peers`, and a process joining by contact address gets a
// free one (directory.ts, join-protocol.ts). State transfer: state-transfer.ts.
//
// A member hosts one stack automaton (host.ts) and connects it to a transport: arriving datagrams
// are decoded (wire.ts), checked (this group, a member's address, the sender it claims) and each
// packet becomes an `arrive` input; what the stack transmits is batched into datagrams (outbox.ts);
// what it delivers becomes `deliver`/`receive` events, and views `view` events. Every datagram that
// arrives is either accepted or dropped and counted by reason (counters.ts).

import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import { ISet, range, type Value } from "../ioa/index.ts";
import type { Packet } from "../layers/message.ts";
import { joinerView, startView, type StackAction, type StackState } from "../layers/stack.ts";
import type { GroupAction, View } from "../specs/group.ts";
import type { Address } from "./address.ts";
import { ConfigError } from "./config-error.ts";
import { windowSize, type Window } from "../layers/window.ts";
import { newCounters, type Counters } from "./counters.ts";
import { Delivery, type MessageId } from "./delivery.ts";
import { latin1, openEnvelope, payloadOf, seal } from "./envelope.ts";
import { CastPacker } from "./cast-packer.ts";
import { checkFaultRates } from "./faults.ts";
import { withFaults } from "./faulty-transport.ts";
import { Host, type HostOutputs } from "./host.ts";
import { Outbox } from "./outbox.ts";
import { groupCrypto } from "./group-crypto.ts";
import { SECURE_STACKS, stackDefinition, SWITCHING_STACKS, type StackName } from "./stacks.ts";
import { TOTAL_PROTOCOLS, type TotalProtocol } from "../layers/stacks/total.ts";
import { REJECTIONS, type Rejection } from "../layers/encrypt.ts";
import { suspicionsIn } from "../layers/suspect.ts";
import { TraceRecorder } from "./trace-recorder.ts";
import { checkFailureDetector } from "./failure-detector.ts";
import { Directory, type Entry } from "./directory.ts";
import { decodeJoin, encodeJoin, isJoinDatagram, type JoinMessage, type Settings } from "./join-protocol.ts";
import { Admission } from "./admission.ts";
import { PartitionableTransport } from "./partition.ts";
import { asFounder, byContact, DEFAULTS, type JoinOptions, type Start } from "./start.ts";
import { StateTransfer, type TransferEvent, type TransferIo } from "./state-transfer.ts";
import { MAX_PIECES, Wire } from "./wire.ts";
import { Reassembly } from "./reassembly.ts";

export type { JoinOptions } from "./start.ts";

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
  /** The group installed a newer view without this member: it rejoins by itself (its state is then transferred). */
  excluded: [View];
  /**
   * This member's failure detector came to suspect these members of its view (each once a view;
   * the view changes only if the member coordinates, or comes to: see the README's membership).
   */
  suspect: [ISet<number>];
  /** State transfer: this member restored a donor's snapshot, or (as donor) sent its own. */
  transfer: [TransferEvent];
  /** The stack refused a packet (by throwing), an output could not be sent, or a state transfer failed. */
  error: [Error];
}

/** Joins a group: as a founding member (`peers`) or through a member's address (`contact`); binds this member's address (unless given a transport) and starts its stack. */
export async function join(options: JoinOptions): Promise<Member> {
  const faults = options.faults && checkFaultRates(options.faults);
  const counters = newCounters();
  const { start, transport: base } = options.contact !== undefined ? await byContact(options, counters) : await asFounder(options);
  const faulty = faults ? withFaults(base, faults, counters) : base;
  return new Member(options, start, new PartitionableTransport(faulty, counters), counters);
}

export class Member extends EventEmitter<MemberEvents> {
  readonly rank: number;
  /** The group's capacity: its slots (ranks 0..n-1). */
  readonly n: number;
  readonly group: string;
  readonly counters: Counters;
  private readonly host: Host;
  private readonly wire: Wire;
  private readonly outbox: Outbox;
  private readonly reassembly: Reassembly;
  private readonly recorder: TraceRecorder | undefined;
  private readonly directory: Directory;
  private readonly transfer: StateTransfer;
  private readonly settings: Settings;
  private readonly options: JoinOptions;
  private currentView: View;
  private casts = 0;
  private sends = 0;
  /** A view change is under way (block requested, no view yet): casts wait in `waiting`. */
  private blocked = false;
  private waiting: { readonly seq: number; readonly payload: string }[] = [];
  /** The casts of the current turn of the event loop, packed into one message of the stack. */
  private readonly packer: CastPacker;
  /** When each slot was last heard from (performance.now()). */
  private readonly lastHeard: (number | undefined)[];
  private readonly gossipTimer: NodeJS.Timeout | undefined;
  private leaving: { readonly done: (how: LeaveOutcome) => void } | undefined;
  private closing: Promise<void> | undefined;
  private readonly stackName: StackName;
  /** In a secure group: the proofs a joiner must give this member, as its contact. */
  private readonly admission: Admission | undefined;

  constructor(
    options: JoinOptions,
    start: Start,
    private readonly transport: PartitionableTransport,
    counters: Counters,
  ) {
    super();
    this.options = options;
    this.rank = start.rank;
    this.n = start.capacity;
    this.group = options.group;
    this.counters = counters;
    this.directory = start.directory;
    this.lastHeard = Array(start.capacity).fill(undefined);
    this.settings = { stack: start.stack, capacity: start.capacity, fragment: start.fragment, maxDatagram: start.maxDatagram, slander: start.slander };
    const view = start.founders === undefined ? joinerView(start.rank) : startView(ISet.of(...range(start.founders)));
    this.currentView = view;
    this.stackName = start.stack;
    const secure = SECURE_STACKS.includes(start.stack);
    if (secure && options.security === undefined) throw new ConfigError(`stack ${start.stack} seals every datagram: give security, a group secret ({ secret }) or a key list ({ privateKey, publicKeys })`);
    if (!secure && options.security !== undefined) throw new ConfigError(`stack ${start.stack} does not seal datagrams: security needs ${SECURE_STACKS.join(" or ")}`);
    const crypto = options.security && groupCrypto(options.security, { group: options.group, n: start.capacity, rank: start.rank });
    this.admission = crypto && new Admission(options.group, start.rank, crypto);
    const suspect = options.failureDetector && checkFailureDetector(options.failureDetector);
    const definition = stackDefinition(start.stack, { fragment: start.fragment, ...(crypto && { crypto }), ...(suspect && { suspect }), slander: start.slander });
    if (suspect !== undefined && !definition.layers.some((l) => l.provides.includes("failureDetection"))) throw new ConfigError(`failureDetector: stack ${start.stack} has no failure detector`);
    if (start.slander && !definition.layers.some((l) => l.provides.includes("sharedSuspicion"))) throw new ConfigError(`slander: stack ${start.stack} has no failure detector whose suspicions members could pass on; use a stack with views, such as vsync`);
    const stack = definition.build(start.capacity, start.rank, view);
    // A group with slander has a layer more in every header stack: its datagrams are another group's to members without.
    this.wire = new Wire(stack.types, { group: options.group, stack: start.slander ? `${start.stack}+slander` : start.stack, n: start.capacity, maxDatagram: start.maxDatagram });
    const recorder = options.trace === undefined ? undefined : new TraceRecorder(options.trace);
    this.recorder = recorder;
    this.reassembly = new Reassembly(counters.pieces);
    this.outbox = new Outbox(this.wire, start.rank, start.capacity, transport, counters, options.batching === false, recorder && (() => recorder.flush()));
    this.transfer = new StateTransfer(start.rank, options.state, this.transferIo(), options.maxSnapshot ?? DEFAULTS.maxSnapshot, start.founders === undefined);
    // The casts of a turn go in before any other input the stack takes, so they keep their place
    // among the member's sends, leaves and packets (the packer empties itself before it casts).
    this.host = new Host(stack, this.outputs(), { ...(options.timerScale !== undefined && { timerScale: options.timerScale }), suspicions: suspicionsIn, beforeInput: () => this.packer.flush() });
    this.packer = new CastPacker(options.packing ?? start.fragment, (envelope, first, count) => {
      if (recorder) for (let seq = first; seq < first + count; seq++) recorder.record({ name: "cast", p: this.rank, msg: { sender: this.rank, seq } });
      this.host.cast(envelope);
    });
    transport.listen((bytes, from, source) => this.arrived(bytes, from, source));
    const canGrow = start.founders === undefined || start.founders < start.capacity;
    this.gossipTimer = canGrow ? setInterval(() => this.gossip(), options.gossip ?? DEFAULTS.gossip) : undefined;
    // A joiner's stack starts by installing its own view: that output goes out once the caller of
    // join() has had its turn to listen (unless a packet's run takes it out first).
    setImmediate(() => this.host.start());
  }

  /** The current view. */
  get view(): View {
    return this.currentView;
  }

  /** Does this member's application lack the group's state (it joined, or was excluded, and has not received a snapshot yet)? */
  get needsState(): boolean {
    return this.transfer.needsState;
  }

  /** The address this member's transport is bound to (undefined for in-process transports). */
  get address(): Address | undefined {
    return this.transport.local;
  }

  /** The stack's state: a value of `stackType`, the very state the checker explores. */
  get state(): StackState {
    return this.host.state;
  }

  get stack() {
    return this.host.stack;
  }

  /** Packets a secure stack dropped, by reason (all zero for a stack that seals nothing); `unauthorized` counts join requests refused for want of a proof too. */
  get rejected(): Record<Rejection, number> {
    const encrypt = this.host.state.layers["encrypt"] as { readonly rejected: Record<Rejection, number> } | undefined;
    const layer = encrypt?.rejected ?? (Object.fromEntries(REJECTIONS.map((r) => [r, 0])) as Record<Rejection, number>);
    return { ...layer, unauthorized: layer.unauthorized + this.counters.join.unauthorized };
  }

  /**
   * How many of this member's casts wait in it: held by the stack's flow control (more than its
   * window of casts are unstable; 0 in a stack without it), or waiting for a view change to end.
   * A cast never fails for it, but an application that casts faster than the group delivers sees
   * it grow without bound; casting while it is small keeps the member's buffers small — and, in the
   * total stacks, the orderer's announcements, which wait behind its casts, prompt (JGroups' flow
   * control blocks the sending thread instead).
   */
  get backlog(): number {
    const flow = this.host.state.layers["flow"] as { readonly waiting: Window<unknown> } | undefined;
    return (flow === undefined ? 0 : windowSize(flow.waiting)) + this.waiting.length + this.packer.waiting;
  }

  /**
   * Casts `data` to the view. Between a block request and the next view the cast waits in the
   * member and is made in the new view (a cast belongs to the view it is made in: virtual
   * synchrony delivers it there).
   */
  cast(data: Uint8Array | string): MessageId {
    const seq = ++this.casts;
    const payload = latin1(bytesOf(data));
    if (this.blocked) this.waiting.push({ seq, payload });
    else this.packer.add(seq, payload);
    return { sender: this.rank, seq };
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
    this.packer.flush();
    this.outbox.flush();
  }

  /**
   * Leaves the group cleanly: the others install a view without this member, and then it closes.
   * Resolves "left" once the group has, or "timed out" after `leaveTimeout` ms without its word
   * (the member closes anyway, and the others exclude it as they would a crashed one).
   */
  leave(): Promise<LeaveOutcome> {
    if (this.closing !== undefined) return this.closing.then(() => "left" as const);
    return new Promise<LeaveOutcome>((done) => {
      const timer = setTimeout(() => this.leaving?.done("timed out"), this.options.leaveTimeout ?? DEFAULTS.leaveTimeout);
      this.leaving = {
        done: (how) => {
          clearTimeout(timer);
          this.leaving = undefined;
          void this.close().then(() => done(how));
        },
      };
      if (!this.host.leave()) this.leaving.done("timed out");
    });
  }

  /** Asks for a view change with the same members (a new view id): a flush on request. */
  changeView(): void {
    this.host.prompt();
  }

  /** Fault injection: from now on this member exchanges datagrams only with `reachable` (itself included or not). */
  partition(reachable: Iterable<number>): void {
    this.transport.partition(reachable);
  }

  /** Ends an injected partition. */
  heal(): void {
    this.transport.heal();
  }

  /** Stops timers and the transport, and closes the trace file (without leaving: see leave()). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.gossipTimer);
      this.packer.flush();
      this.host.close();
      this.outbox.flush();
      await this.transport.close();
      this.recorder?.close();
    })();
    return this.closing;
  }

  /** The receive path: every datagram is accepted or dropped and counted; nothing here throws. */
  private arrived(bytes: Uint8Array, from: number | undefined, source: Address | undefined): void {
    const c = this.counters;
    c.datagramsIn++;
    c.bytesIn += bytes.length;
    if (isJoinDatagram(bytes)) return this.joinProtocol(bytes, from, source);
    const decoded = this.wire.decode(bytes);
    if (!decoded.ok) {
      c.dropped[decoded.reason]++;
      return;
    }
    // A datagram must come from the address of the member it names, and not be this member's own.
    if (from === undefined) {
      c.dropped["unknown sender"]++;
      return;
    }
    if (decoded.sender !== from || from === this.rank) {
      c.dropped.impostor++;
      return;
    }
    c.accepted++;
    this.lastHeard[from] = performance.now();
    if (decoded.piece !== undefined) {
      c.pieces.datagramsIn++;
      const whole = this.reassembly.add(from, decoded.piece);
      if (whole !== undefined) this.arrivedWhole(from, whole);
      return;
    }
    const packets = decoded.packets;
    c.packetsIn += packets.length;
    for (let i = 0; i < packets.length; i++) this.host.arrive(from, packets[i]!);
  }

  /** A packet reassembled from its pieces. */
  private arrivedWhole(from: number, bytes: Uint8Array): void {
    const decoded = this.wire.decodeWhole(bytes);
    if (!decoded.ok) {
      this.counters.badPackets++;
      return;
    }
    this.counters.packetsIn++;
    this.host.arrive(from, decoded.packet);
  }

  /** A datagram of the join protocol: a process asking for a slot, or a member's directory. */
  private joinProtocol(bytes: Uint8Array, from: number | undefined, source: Address | undefined): void {
    const c = this.counters;
    const m = decodeJoin(bytes);
    if (typeof m === "string" || m.group !== this.group || source === undefined) {
      c.dropped.malformed++;
      return;
    }
    c.accepted++;
    if (m.type === "join") return this.welcome(source, m);
    if (m.type === "addresses" && from !== undefined) return this.learn(m.entries);
    c.join.bad++;
  }

  /**
   * A process at `source` asks for a slot: give it one (or say why not), and tell the group. In a
   * secure group, only once it has proven it holds the slot's keys (admission.ts): until then the
   * member answers with a challenge and keeps nothing.
   */
  private welcome(source: Address, request: Extract<JoinMessage, { type: "join" }>): void {
    const c = this.counters;
    c.join.requests++;
    const refuse = (reason: string) => this.transport.sendTo(source, encodeJoin({ type: "refused", group: this.group, reason }));
    const now = performance.now();
    const slot = this.settings.capacity > 1 ? this.directory.choose(source, {
      inView: this.currentView.members,
      silentFor: (q) => (this.lastHeard[q] === undefined ? undefined : now - this.lastHeard[q]!),
      reuseAfter: this.options.reuseAfter ?? DEFAULTS.reuseAfter,
    }, request.slot) : "the group has one slot";
    if (typeof slot === "string") {
      c.join.refused++;
      return refuse(slot);
    }
    const admission = this.admission;
    if (admission !== undefined) {
      const { nonce, proof } = request;
      const challenge = () => this.transport.sendTo(source, encodeJoin({ type: "challenge", group: this.group, slot, contact: this.rank, capacity: this.n, nonce: admission.nonce(source, slot) }));
      if (nonce === undefined || proof === undefined) return challenge();
      if (request.slot === undefined || !admission.admits(source, request.slot, nonce, proof)) {
        c.join.unauthorized++;
        return refuse("unauthorized: no proof that this process holds the group's keys (the group secret, or a listed key)");
      }
      // Proven, for a slot that has since gone to another: prove it again for this one.
      if (request.slot !== slot) return challenge();
    }
    if (this.directory.slotAt(source) !== slot) this.learn([{ slot, address: source, stamp: Date.now(), by: this.rank }]);
    c.join.welcomed++;
    const proof = admission && request.nonce !== undefined ? { proof: admission.welcomeProof(slot, request.nonce) } : {};
    this.transport.sendTo(source, encodeJoin({ type: "welcome", group: this.group, slot, entries: this.directory.known(), ...this.settings, ...proof }));
    this.gossip();
  }

  /**
   * Takes newer directory entries: the transport sends to, and accepts from, the new addresses. A
   * slot of the current view keeps its address (gossip cannot move a live member elsewhere).
   */
  private learn(entries: readonly Entry[]): void {
    for (const e of this.directory.merge(entries.filter((x) => !this.currentView.members.has(x.slot)))) {
      if (e.slot === this.rank) continue;
      this.transport.setAddress(e.slot, e.address);
      // A newcomer is given `reuseAfter` to show up before its slot can go to another.
      this.lastHeard[e.slot] = performance.now();
    }
  }

  /** Sends this member's directory to every other member it knows the address of. */
  private gossip(): void {
    const entries = this.directory.known();
    const datagram = encodeJoin({ type: "addresses", group: this.group, entries });
    for (const e of entries) if (e.slot !== this.rank) this.transport.send(e.slot, datagram);
  }

  private transferIo(): TransferIo {
    return {
      cast: (body) => this.host.cast(seal(RUNTIME_SEQ, body)),
      send: (to, body) => this.host.send(to, seal(RUNTIME_SEQ, body)),
      error: (error) => this.emitError(error),
      transferred: (event) => this.emit("transfer", event),
    };
  }

  private emitError(error: Error): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }

  private outputs(): HostOutputs {
    return {
      deliver: (from, msg) => this.delivered("deliver", from, msg),
      receive: (from, msg) => this.delivered("receive", from, msg),
      view: (view) => {
        const prev = this.currentView;
        this.currentView = view;
        this.recorder?.recordView(this.rank, view);
        // The boundary goes out before the casts that waited for the view.
        this.transfer.viewInstalled(prev, view);
        this.emit("view", view);
        this.unblock();
      },
      block: () => {
        this.blocked = true;
        if (this.listenerCount("block") === 0) this.host.blockOk();
        else this.emit("block", blockRequest(() => this.host.blockOk()));
      },
      excluded: (view) => {
        this.transfer.excluded();
        this.emit("excluded", view);
      },
      exit: () => this.leaving?.done("left"),
      transmit: (dests: ISet<number>, packet: Packet) => {
        // Counted in packetsTooLarge by the outbox; a node never dies of it.
        if (!this.outbox.add(dests, packet)) this.emitError(new RangeError(`a packet of the stack is larger than ${MAX_PIECES} datagrams of ${this.wire.maxDatagram} bytes may carry`));
      },
      ranToCompletion: () => this.outbox.ranToCompletion(),
      stalled: () => this.counters.stalledTimers++,
      suspected: (members) => this.emit("suspect", members),
      refused: (error: unknown, input: StackAction) => {
        this.counters.stackErrors++;
        this.emitError(new Error(`the stack refused ${input.name}: ${(error as Error).message ?? String(error)}`));
      },
    };
  }

  /** A view is installed: the casts made during the view change go out in it, in order. */
  private unblock(): void {
    this.blocked = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const { seq, payload } of waiting) this.packer.add(seq, payload);
    this.packer.flush();
  }

  /** A message of the stack delivered or received: an envelope of one message of `from`'s, or a pack of several. */
  private delivered(kind: "deliver" | "receive", from: number, msg: string): void {
    if (!openEnvelope(msg, (seq, start, end) => this.deliveredOne(kind, from, msg, seq, start, end))) this.counters.badMessages++;
  }

  private deliveredOne(kind: "deliver" | "receive", from: number, msg: string, seq: number, start: number, end: number): void {
    if (seq === RUNTIME_SEQ) return this.transfer.message(from, payloadOf(msg, start, end));
    if (kind === "deliver") this.recorder?.record({ name: "deliver", p: this.rank, from, msg: { sender: from, seq } } as GroupAction<Value>);
    if (this.listenerCount(kind) === 0) return;
    const delivery = new Delivery(from, seq, msg, start, end);
    this.transfer.deliver(() => this.emit(kind, delivery));
  }
}

/** How leave() ended: the group installed a view without this member, or it did not say so in time. */
export type LeaveOutcome = "left" | "timed out";

/** The sequence number of the runtime's own messages (the application's start at 1): state transfer's. */
const RUNTIME_SEQ = 0;

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
