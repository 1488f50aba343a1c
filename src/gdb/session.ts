// One GDB connection: framing, acks, dispatch to the packet-family handlers, stop replies.
// Never throws to the socket: a handler failure becomes an E reply; a vanished client only
// unsubscribes (the machine's state is untouched).
import { Framed, framePacket, PacketReader } from './protocol/packet';
import { textToHex } from './protocol/hex';
import { formatThreadId } from './protocol/thread-id';
import type { GdbTarget, StopEvent } from './target';
import { NO_REPLY, type Handler, type Reply, type Session } from './handlers/context';
import { handleRegisters } from './handlers/registers';
import { handleMemory } from './handlers/memory';
import { handleResume } from './handlers/resume';
import { handleBreakpoints } from './handlers/breakpoints';
import { handleControl, handleQuery, PACKET_SIZE } from './handlers/query';

const HANDLERS: Record<string, Handler> = {
  g: handleRegisters,
  G: handleRegisters,
  p: handleRegisters,
  P: handleRegisters,
  m: handleMemory,
  x: handleMemory,
  M: handleMemory,
  X: handleMemory,
  c: handleResume,
  s: handleResume,
  C: handleResume,
  S: handleResume,
  Z: handleBreakpoints,
  z: handleBreakpoints,
  q: handleQuery,
  Q: handleQuery,
  '?': handleControl,
  H: handleControl,
  T: handleControl,
  D: handleControl,
  k: handleControl,
};

export interface Transport {
  write(b: Uint8Array): void;
  end(): void;
}

export class GdbSession implements Session {
  gThread = 0;
  cThread = 0;
  noAck = false;
  running = false;
  closeAfterReply = false;
  gdbFeatures = new Set<string>();
  private reader = new PacketReader(PACKET_SIZE + 64);
  private lastSent: Uint8Array | null = null;
  private unsub: () => void;
  private closed = false;

  constructor(
    readonly target: GdbTarget,
    private readonly io: Transport,
  ) {
    this.unsub = target.subscribe(
      (e) => this.onStop(e),
      (text) => {
        if (this.running) this.console(text);
      },
    );
  }

  /** Bytes from the socket. */
  feed(chunk: Uint8Array): void {
    if (this.closed) return;
    for (const ev of this.reader.feed(chunk)) {
      if (this.closed) return;
      switch (ev.kind) {
        case 'packet':
          if (!this.noAck) this.io.write(PLUS);
          this.dispatch(ev.data);
          break;
        case 'bad-checksum':
          if (!this.noAck) this.io.write(MINUS);
          break;
        case 'nack':
          if (!this.noAck && this.lastSent) this.io.write(this.lastSent);
          break;
        case 'interrupt':
          if (this.target.isRunning()) this.target.interrupt();
          break;
        case 'overflow':
          if (!this.noAck) this.io.write(MINUS);
          break;
        case 'ack':
          break;
      }
    }
  }

  private dispatch(raw: Uint8Array): void {
    const pkt = raw.length <= 64 ? String.fromCharCode.apply(null, raw as unknown as number[]) : Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
    let reply: Reply;
    try {
      const h = pkt.startsWith('vCont') ? handleResume : pkt.startsWith('v') ? handleControl : HANDLERS[pkt[0]];
      reply = h ? h(this, pkt, raw) : undefined;
    } catch {
      reply = 'E7f'; // a handler bug must never take the server down
    }
    if (reply === NO_REPLY) {
      if (this.closeAfterReply) this.close();
      return;
    }
    this.send(reply ?? '');
    if (pkt === 'QStartNoAckMode') {
      this.noAck = true;
      this.reader.noAck = true;
    }
    if (this.closeAfterReply) this.close();
  }

  send(payload: string | Uint8Array | Framed): void {
    if (this.closed) return;
    const f = payload instanceof Framed ? payload.bytes : framePacket(payload);
    this.lastSent = this.noAck ? null : f;
    this.io.write(f);
  }

  console(text: string): void {
    this.send('O' + textToHex(text));
  }

  private onStop(e: StopEvent): void {
    if (!this.running) return;
    this.running = false;
    this.send(this.stopReply(e));
  }

  stopReply(e: StopEvent): string {
    if (e.kind === 'exited') return 'W' + (e.code & 0xff).toString(16).padStart(2, '0');
    let r = 'T' + e.signal.toString(16).padStart(2, '0');
    if (e.reason === 'swbreak' || e.reason === 'hwbreak') r += e.reason + ':;';
    else if (e.reason) r += `${e.reason}:${(e.addr ?? 0n).toString(16)};`;
    r += 'thread:' + formatThreadId(e.thread) + ';';
    if (this.target.expedite) r += this.target.expedite(e.thread);
    // gdb selects the thread that stopped
    this.gThread = e.thread;
    return r;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsub();
    this.io.end();
  }

  /** the socket went away */
  lost(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsub();
    this.target.disconnected?.();
  }
}

const PLUS = Uint8Array.of(0x2b);
const MINUS = Uint8Array.of(0x2d);
