// How soon the reliable layers (MNAK, PT2PT) send again what was not acknowledged: the delay of
// their retransmission timers. A delay, not a step of the automaton: the checker fires a timer at
// any moment whatever its delay, so this changes no state count — only the simulator's and the
// runtime's clocks.

export interface RetransmitOptions {
  /** Milliseconds between a layer's retransmissions (default 1,000). */
  readonly delay?: number;
}

/** The retransmission delay of layer `layer` given `options`; a delay that is not a positive number is an error. */
export function retransmitDelay(layer: string, options: RetransmitOptions = {}): number {
  const delay = options.delay ?? 1000;
  if (!(delay > 0)) throw new RangeError(`${layer}: the retransmission delay should be a positive number of milliseconds, but is ${delay}`);
  return delay;
}
