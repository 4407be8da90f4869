// Planted bugs of ENCRYPT: each the layer with a handler wrapped, kept here beside the model and
// never inside the layer. The model's `bug` parameter plants one; the tests show that `check`
// finds each, with a shortest counterexample.

import { ISet, range } from "../../ioa/index.ts";
import { distributorOf, encrypt } from "../encrypt.ts";
import type { GroupCrypto } from "../crypto.ts";
import type { AnyLayer } from "../layer.ts";
import { symbolicCrypto, symbolicPlaintext } from "./symbolic-crypto.ts";

/** ENCRYPT as the model runs it: the symbolic cipher, sequence numbers modulo 4 (a window of 1) and rejections counted up to 1, so that counters stay finite. */
export const MODEL_ENCRYPT = { crypto: symbolicCrypto, sequenceSpace: 4, window: 1, countUpTo: 1 } as const;

/**
 * The planted bugs, each ENCRYPT (as the model runs it, with `crypto`: the group's symbolic
 * cipher, outsiders and all) with a handler wrapped.
 */
export function vsyncSecureMutants(crypto: GroupCrypto = symbolicCrypto) {
  const layer = () => encrypt({ ...MODEL_ENCRYPT, crypto });
  return {
  /** A member takes a sealed packet of its view without checking its seal: as if the AEAD's tag were never verified. */
  "skips-authentication": layer().mutant(({ own }) => ({
    own(s, ev, header, io) {
      if (header?.type !== "Sealed" || s.key === "" || ev.type !== "Arrive" || ev.payload === undefined) return own!(s, ev, header, io);
      // What any packet "opens" to when nothing is checked: its plaintext, re-sealed as if it were genuine.
      const plaintext = symbolicPlaintext(ev.payload);
      const genuine = plaintext === undefined ? ev.payload : symbolicCrypto.seal(s.key, `d/${header.view}/${ev.peer}/${header.seq}`, plaintext);
      return own!(s, { ...ev, payload: genuine }, header, io);
    },
  })),
  /** A member takes a packet from outside its view without opening it under the pairwise key: as if a joiner's proof (and a merging view's) were never checked. */
  "admits-unchecked": layer().mutant(({ own }, { rank }) => ({
    own(s, ev, header, io) {
      if (header?.type !== "Cross" || ev.type !== "Arrive" || ev.payload === undefined) return own!(s, ev, header, io);
      const plaintext = symbolicPlaintext(ev.payload);
      const genuine = plaintext === undefined ? ev.payload : crypto.seal(crypto.pairKey(rank, ev.peer), `x/${ev.peer}/${rank}/${header.stamp}`, plaintext);
      return own!(s, { ...ev, payload: genuine }, header, io);
    },
  })),
  /** The distributor of a new view's key grants it to every process, those the view left out included. */
  "grants-excluded-members": layer().mutant(({ install }, { rank, n }, State) => {
    const everyoneElse = ISet.from(range(n).filter((q) => q !== rank));
    return {
      install(old, fresh, view) {
        const next = install!(old, fresh, view);
        return distributorOf(view.members) === rank ? State.with(next, { toGrant: everyoneElse, grantsDue: true }) : next;
      },
    };
  }),
  } satisfies Record<string, AnyLayer>;
}

export type VsyncSecureMutant = keyof ReturnType<typeof vsyncSecureMutants>;
export const VSYNC_SECURE_MUTANT_NAMES = Object.keys(vsyncSecureMutants()) as VsyncSecureMutant[];
