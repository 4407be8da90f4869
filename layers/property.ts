// The service properties layers provide and require.
//
// Each layer states what it adds to the stack and what it needs from the layers below it; a stack
// is checked against these when it is built. A property names a guarantee about the events that
// cross a layer boundary, in the terms of the group service (specs/group.ts): casts and sends, their
// delivery, and the protocol events layers exchange (Ack, Stable).

export const SERVICE_PROPERTIES = {
  transport: "best-effort sends and casts among the members of the view",
  reliableFifoCast: "every cast reaches every live member, once, in the order it was cast",
  castCounts: "Ack events report how many casts of each member have been delivered",
  reliableFifoSend: "every send reaches its live destination, once, in the order it was sent",
  stability: "Stable events report how many casts of each member every member has delivered",
  fragmentation: "messages of any length",
  selfDelivery: "a member delivers its own casts",
  flowControl: "a member has at most a window of its casts unstable; the rest wait in its own stack",
  failureDetection: "Suspect events name the members of the view that have not been heard from for a while",
  sharedSuspicion: "Suspect events name the members suspected here and those another member of the view, not suspected itself, said it suspects",
  totalOrder: "every member delivers the casts of a view in one order, the same at every member",
  sealedDatagrams: "every datagram authenticated and encrypted under its view's key, which only the view's members hold; forged, replayed and other views' datagrams dropped",
  viewMembership: "views that leave out suspected members, installed after a flush: members that move together from a view delivered the same casts in it",
  partitionMerge: "a MergeRequest event merges the view into a concurrent one: both are flushed, and the members of both install one view",
  partitionHealing: "concurrent views of the group find each other and merge; a member that a newer view left out is told (Excluded) and rejoins",
  protocolSwitching: "any member may ask the group to switch to another total order protocol: the group switches at the next view change, all of its members together",
} as const;

export type ServiceProperty = keyof typeof SERVICE_PROPERTIES;

/** `reliableFifoCast (every cast reaches …)`: the property with what it means, for error messages. */
export function describeProperty(p: ServiceProperty): string {
  return `${p} (${SERVICE_PROPERTIES[p]})`;
}
