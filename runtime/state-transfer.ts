// State transfer: when a view brings members together (a join, a rejoin, a merge of partitions),
// the members whose application state is not the group's get a snapshot of it, taken exactly at the
// view boundary, before they deliver anything of the new view.
//
// The rule. A member's state is GOOD, STALE (it was told it was excluded, or a view change cut
// off the transfer it was waiting for) or NONE (a process that joined and has received no state
// yet). The DONOR of a view is its lowest-ranked member with good state and the hooks; if no member
// has good state, the lowest-ranked with stale state and the hooks. Members that come to the view
// from the donor's previous view, with state as good as the donor's, keep their state: virtual
// synchrony made them deliver the same casts there, so their state is the donor's. Every other
// member receives the donor's snapshot and restores it; then every member's state is good.
// (After a partition heals, the side without the donor loses what it did apart: it takes the
// donor's state.)
//
// How. On every view of two or more members, each member casts a BOUNDARY as its first cast in the
// view: {its previous view's id, its state's level, whether it has the hooks}. Deliveries of
// the new view wait (are held from the application) until the member knows the donor: the
// boundaries of the donor and of every member ranked below it have been delivered (all of them when
// the donor's state is stale; casts are FIFO
// per sender, so nothing else of a member comes before its boundary). The donor takes its snapshot
// then — it has delivered nothing of the new view yet — and sends it to every member whose boundary
// says it needs it; a member that keeps its state releases what it held at once; one that needs
// the snapshot releases it after restoring. These are ordinary casts and sends of the stack, so
// they are reliable in the view and cut into pieces when large; they are the runtime's own
// messages, never shown to the application nor recorded in its trace.
//
// A view change before a member has its snapshot: its state is stale at best, and what it held of
// the interrupted view is dropped (the next view's snapshot covers it). A snapshot that cannot be
// taken, sent, decoded or restored is an `error` event at the member concerned, which releases what
// it held, its state stale at best (the next view change tries again); nothing throws.

import { Buffer } from "node:buffer";
import type { View } from "../specs/group.ts";

/** What an application's state is saved as: bytes, or a JSON value. */
export type Snapshot = Uint8Array | JsonValue;
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The application's state transfer hooks. */
export interface StateHooks {
  /** The application's state now (called at a view boundary, at the donor). */
  snapshot(): Snapshot;
  /** Replaces the application's state with a donor's snapshot (before any delivery of the view). */
  restore(snapshot: Snapshot): void;
}

/** What state transfer does through the member. */
export interface TransferIo {
  /** Casts a runtime message in the current view. */
  cast(body: Uint8Array): void;
  /** Sends a runtime message to one member of the current view. */
  send(to: number, body: Uint8Array): void;
  error(error: Error): void;
  /** A snapshot was restored (or, at the donor, sent). */
  transferred(event: TransferEvent): void;
}

export interface TransferEvent {
  readonly view: number;
  readonly role: "donor" | "receiver";
  /** The donor's rank; at the donor, the members it sent the snapshot to. */
  readonly donor: number;
  readonly to?: readonly number[];
  readonly bytes: number;
}

const BOUNDARY = 1;
const NO_DONOR = -1;
const SNAPSHOT = 2;

/** How good a member's application state is. */
export const NONE = 0;
export const STALE = 1;
export const GOOD = 2;
type Level = typeof NONE | typeof STALE | typeof GOOD;

interface Boundary {
  readonly prev: number;
  readonly level: Level;
  readonly hooks: boolean;
}

type Phase =
  /** No transfer under way: deliveries pass. */
  | { readonly kind: "settled" }
  /** Waiting for the boundaries that name the donor. */
  | { readonly kind: "collecting" }
  /** This member is the donor: its snapshot, encoded, for the members that need it. */
  | { readonly kind: "donor"; readonly encoded: Uint8Array; readonly sentTo: number[] }
  /** Waiting for the donor's snapshot. */
  | { readonly kind: "awaiting"; readonly donor: number };

export class StateTransfer {
  private view: View | undefined;
  private prevId = -1;
  private phase: Phase = { kind: "settled" };
  private boundaries = new Map<number, Boundary>();
  /** Snapshots that came before this member knew the donor, by sender. */
  private early = new Map<number, { readonly decoded: Decoded; readonly bytes: number }>();
  private held: (() => void)[] = [];

  constructor(
    private readonly rank: number,
    private readonly hooks: StateHooks | undefined,
    private readonly io: TransferIo,
    /** The largest snapshot taken or accepted, in bytes. */
    private readonly maxSnapshot: number,
    /** A process that joined: it has no state until it receives one. */
    joiner: boolean,
  ) {
    this.level = joiner ? NONE : GOOD;
  }

  private level: Level;

  /** Does this member's application lack the group's state (a newcomer not yet given it, or an excluded member)? */
  get needsState(): boolean {
    return this.level !== GOOD;
  }

  private demote(): void {
    if (this.level === GOOD) this.level = STALE;
  }

  /** Must deliveries wait? */
  get holding(): boolean {
    return this.phase.kind === "collecting" || this.phase.kind === "awaiting";
  }

  /** A delivery of the current view: now, or once the state is settled. */
  deliver(handOver: () => void): void {
    if (this.holding) this.held.push(handOver);
    else handOver();
  }

  /** The member was told it was excluded: its state is no longer the group's. */
  excluded(): void {
    this.demote();
  }

  /** `next` is installed, coming from `prev`: casts this member's boundary if others are in it. */
  viewInstalled(prev: View, next: View): void {
    if (this.phase.kind === "awaiting") this.demote();
    // Undecided: this member holds what it delivered of the last view. If it has good state, it keeps it (and the deliveries); if not, the next view's snapshot covers them.
    if (this.holding && this.level === GOOD) this.release();
    this.held = [];
    this.view = next;
    this.prevId = prev.id;
    this.boundaries = new Map();
    this.early = new Map();
    if (next.members.size < 2) {
      this.phase = { kind: "settled" };
      return;
    }
    this.phase = { kind: "collecting" };
    this.io.cast(encodeBoundary({ prev: prev.id, level: this.level, hooks: this.hooks !== undefined }));
  }

  /** A runtime message delivered (cast) or received (sent) from `from` in the current view. */
  message(from: number, body: Uint8Array): void {
    if (this.view === undefined || !this.view.members.has(from)) return;
    if (body[0] === BOUNDARY) {
      const boundary = decodeBoundary(body);
      if (boundary === undefined) return this.io.error(new Error(`state transfer: member ${from} sent a malformed boundary`));
      this.boundaries.set(from, boundary);
      if (this.phase.kind === "collecting") this.decide();
      else if (this.phase.kind === "donor") this.giveTo([from]);
    } else if (body[0] === SNAPSHOT) {
      const decoded = decodeSnapshot(body, this.maxSnapshot);
      // One of an earlier view (which virtual synchrony rules out, but a stray packet is not trusted): ignored.
      if (typeof decoded !== "string" && decoded.view !== this.view.id) return;
      if (this.phase.kind === "awaiting" && this.phase.donor === from) this.restore(from, decoded, body.length);
      else if (this.phase.kind === "collecting") this.early.set(from, { decoded, bytes: body.length });
    }
  }

  /** Names the donor once the boundaries that decide it are in; then gives, keeps, or waits. */
  private decide(): void {
    const view = this.view!;
    const donor = this.donor(view.members.toArray().sort((a, b) => a - b));
    if (donor === undefined) return;
    if (donor === NO_DONOR) {
      this.phase = { kind: "settled" };
      if (this.level !== GOOD && this.hooks) this.io.error(new Error(`state transfer: no member of view ${view.id} has state to give (every member is a newcomer or has no state hooks)`));
      return this.release();
    }
    if (donor === this.rank) return this.donate();
    if (!this.needsSnapshot(this.boundaries.get(this.rank) ?? this.own(), this.boundaries.get(donor)!)) {
      this.level = GOOD;
      this.phase = { kind: "settled" };
      return this.release();
    }
    this.phase = { kind: "awaiting", donor };
    const early = this.early.get(donor);
    if (early !== undefined) this.restore(donor, early.decoded, early.bytes);
  }

  /** The donor of the view, NO_DONOR, or undefined while the boundaries that decide it are not all in. */
  private donor(members: readonly number[]): number | typeof NO_DONOR | undefined {
    for (const q of members) {
      const b = this.boundaries.get(q);
      if (b === undefined) return undefined;
      if (b.level === GOOD && b.hooks) return q;
    }
    return members.find((q) => this.boundaries.get(q)!.level === STALE && this.boundaries.get(q)!.hooks) ?? NO_DONOR;
  }

  /** This member's boundary, as it cast it. */
  private own(): Boundary {
    return { prev: this.prevId, level: this.level, hooks: this.hooks !== undefined };
  }

  /** As donor: the snapshot at the boundary (nothing of the view delivered yet), for each member that needs it. */
  private donate(): void {
    const view = this.view!;
    let encoded: Uint8Array;
    try {
      encoded = encodeSnapshot(view.id, this.hooks!.snapshot(), this.maxSnapshot);
    } catch (e) {
      this.io.error(new Error(`state transfer: the snapshot for view ${view.id} could not be taken: ${(e as Error).message}`));
      encoded = encodeSnapshotError(view.id, `the donor (member ${this.rank}) could not take its snapshot: ${(e as Error).message}`);
    }
    this.phase = { kind: "donor", encoded, sentTo: [] };
    this.level = GOOD;
    this.release();
    this.giveTo([...this.boundaries.keys()]);
  }

  private giveTo(members: readonly number[]): void {
    const phase = this.phase;
    if (phase.kind !== "donor") return;
    const mine = this.own();
    const to = members.filter((q) => q !== this.rank && !phase.sentTo.includes(q) && this.needsSnapshot(this.boundaries.get(q)!, mine));
    if (to.length === 0) return;
    for (const q of to) this.io.send(q, phase.encoded);
    phase.sentTo.push(...to);
    this.io.transferred({ view: this.view!.id, role: "donor", donor: this.rank, to, bytes: phase.encoded.length });
  }

  /** Does a member whose boundary is `b` need the snapshot of a donor whose boundary is `donor`? Not if it has the same state: as good, from the same view. */
  private needsSnapshot(b: Boundary, donor: Boundary): boolean {
    return b.level === NONE || b.level !== donor.level || b.prev !== donor.prev;
  }

  private restore(donor: number, decoded: Decoded, bytes: number): void {
    const view = this.view!;
    this.phase = { kind: "settled" };
    const problem = this.restored(donor, decoded);
    if (problem === undefined) {
      this.level = GOOD;
      this.io.transferred({ view: view.id, role: "receiver", donor, bytes });
    } else {
      this.demote();
      this.io.error(new Error(`state transfer: ${problem}`));
    }
    this.release();
  }

  /** Restores the donor's snapshot; what went wrong, if anything. */
  private restored(donor: number, decoded: Decoded): string | undefined {
    const view = this.view!.id;
    if (typeof decoded === "string") return `the snapshot member ${donor} sent for view ${view} ${decoded}`;
    if (this.hooks === undefined) return `member ${donor} sent this member its state, but its application gave no restore hook`;
    try {
      this.hooks.restore(decoded.snapshot);
      return undefined;
    } catch (e) {
      return `restoring member ${donor}'s snapshot of view ${view} failed: ${(e as Error).message}`;
    }
  }

  private release(): void {
    const held = this.held;
    this.held = [];
    for (const handOver of held) handOver();
  }
}

function encodeBoundary(b: Boundary): Uint8Array {
  return Buffer.concat([Uint8Array.of(BOUNDARY), Buffer.from(JSON.stringify(b), "utf8")]);
}

function decodeBoundary(body: Uint8Array): Boundary | undefined {
  try {
    const b = JSON.parse(Buffer.from(body.subarray(1)).toString("utf8")) as Partial<Boundary>;
    if (!Number.isSafeInteger(b.prev) || (b.level !== NONE && b.level !== STALE && b.level !== GOOD) || typeof b.hooks !== "boolean") return undefined;
    return { prev: b.prev!, level: b.level, hooks: b.hooks };
  } catch {
    return undefined;
  }
}

// A snapshot message: SNAPSHOT, a 4-byte length of a JSON header {view, kind: "bytes" | "json" | "error", error?}, the header, then the snapshot's bytes.

function snapshotMessage(header: object, data: Uint8Array): Uint8Array {
  const h = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(h.length);
  return Buffer.concat([Uint8Array.of(SNAPSHOT), length, h, data]);
}

export function encodeSnapshot(view: number, snapshot: Snapshot, max: number): Uint8Array {
  const bytes = snapshot instanceof Uint8Array;
  const data = bytes ? snapshot : Buffer.from(JSON.stringify(snapshot) ?? "null", "utf8");
  if (data.length > max) throw new RangeError(`the snapshot is ${data.length} bytes, more than the ${max} allowed (maxSnapshot)`);
  return snapshotMessage({ view, kind: bytes ? "bytes" : "json" }, data);
}

function encodeSnapshotError(view: number, error: string): Uint8Array {
  return snapshotMessage({ view, kind: "error", error }, new Uint8Array(0));
}

/** A snapshot message's view and snapshot, or what is wrong with it (a sentence's end: "is …"). */
export type Decoded = { readonly view: number; readonly snapshot: Snapshot } | string;

export function decodeSnapshot(body: Uint8Array, max: number): Decoded {
  if (body.length < 5 || body[0] !== SNAPSHOT) return "is not a snapshot message";
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const length = buf.readUInt32BE(1);
  if (5 + length > body.length) return `is truncated: its header says ${length} bytes, ${body.length - 5} are left`;
  let header: { view?: unknown; kind?: unknown; error?: unknown };
  try {
    header = JSON.parse(buf.toString("utf8", 5, 5 + length)) as typeof header;
  } catch (e) {
    return `has a header that is not JSON: ${(e as Error).message}`;
  }
  const view = header.view;
  if (!Number.isSafeInteger(view)) return "has no view id";
  if (header.kind === "error") return `is an error: ${String(header.error)}`;
  const data = body.subarray(5 + length);
  if (data.length > max) return `is ${data.length} bytes, more than the ${max} allowed (maxSnapshot)`;
  if (header.kind === "bytes") return { view: view as number, snapshot: Uint8Array.from(data) };
  if (header.kind !== "json") return `has an unknown kind ${JSON.stringify(header.kind)}`;
  try {
    return { view: view as number, snapshot: JSON.parse(Buffer.from(data).toString("utf8")) as JsonValue };
  } catch (e) {
    return `is not valid JSON: ${(e as Error).message}`;
  }
}
