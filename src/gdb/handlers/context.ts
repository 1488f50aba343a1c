// What a packet handler sees of the session. Handlers return the reply payload, NO_REPLY when the
// reply comes later (resume: the stop reply) or not at all (k), or undefined for "not mine".
import type { GdbTarget, StopEvent } from '../target';
import type { Framed } from '../protocol/packet';

export const NO_REPLY = Symbol('no-reply');
export type Reply = string | Uint8Array | Framed | typeof NO_REPLY | undefined;

export interface Session {
  readonly target: GdbTarget;
  /** thread for register/memory operations (Hg) */
  gThread: number;
  /** thread for c/s (Hc) */
  cThread: number;
  noAck: boolean;
  /** a resume was issued: the next stop is reported as the reply */
  running: boolean;
  /** send an O packet (console output) */
  console(text: string): void;
  /** format a stop reply */
  stopReply(e: StopEvent): string;
  /** close the connection after the current reply */
  closeAfterReply: boolean;
  /** packets (qSupported features) gdb said it supports */
  gdbFeatures: Set<string>;
}

export type Handler = (s: Session, pkt: string, raw: Uint8Array) => Reply;

export const E = (n: number) => 'E' + n.toString(16).padStart(2, '0');

/** Resolve a thread id from a packet (0 = any → first thread, -1 = all → first thread). */
export function threadOrDefault(s: Session, tid: number): number {
  const ts = s.target.threads();
  if (tid <= 0 || !ts.includes(tid)) return ts[0];
  return tid;
}
