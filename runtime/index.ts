// The UDP runtime: a stack automaton of layers/ hosted in a process, talking UDP.

export { parseAddress, formatAddress, type Address } from "./address.ts";
export { ConfigError } from "./config-error.ts";
export { newCounters, totalDropped, type Counters } from "./counters.ts";
export { Delivery, type MessageId } from "./delivery.ts";
export { parseFaultRates, type FaultRates } from "./faults.ts";
export { checkFailureDetector, parseFailureDetector } from "./failure-detector.ts";
export { withFaults } from "./faulty-transport.ts";
export { freePorts } from "./free-ports.ts";
export { groupCrypto, makeKeyPair, type Security } from "./group-crypto.ts";
export { Host, type HostOptions, type HostOutputs } from "./host.ts";
export { join, localPeers, Member, type BlockRequest, type JoinOptions, type LeaveOutcome, type MemberEvents } from "./member.ts";
export { Directory, type Entry } from "./directory.ts";
export { decodeJoin, encodeJoin, type JoinMessage } from "./join-protocol.ts";
export { parseSides, PartitionableTransport } from "./partition.ts";
export { decodeSnapshot, encodeSnapshot, StateTransfer, type JsonValue, type Snapshot, type StateHooks, type TransferEvent } from "./state-transfer.ts";
export { memoryNetwork } from "./memory-transport.ts";
export { STACK_NAMES, SWITCHING_STACKS, type StackName } from "./stacks.ts";
export { TOTAL_PROTOCOLS, type TotalProtocol } from "../layers/stacks/total.ts";
export { TraceRecorder } from "./trace-recorder.ts";
export type { DatagramHandler, Transport } from "./transport.ts";
export { udpTransport } from "./udp-transport.ts";
export { DROP_REASONS, fnv1a32, Wire, WIRE_VERSION, type Decoded, type DropReason } from "./wire.ts";
