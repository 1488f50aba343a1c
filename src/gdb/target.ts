// What the GDB protocol layer needs from a target. Optional members are optional protocol features:
// qSupported is computed from which ones exist (the shape of the gdbstub crate's target traits).
// No emulator imports here: src/gdb/el2target.ts adapts the debug core to this interface.

export type StopEvent =
  | {
      kind: 'signal';
      signal: number;
      thread: number;
      /** stop-reason pair for the T packet */
      reason?: 'swbreak' | 'hwbreak' | 'watch' | 'rwatch' | 'awatch';
      /** data address for watch reasons */
      addr?: bigint;
    }
  | { kind: 'exited'; code: number };

export interface ResumeAction {
  op: 'c' | 's' | 't';
  /** thread id, or -1 for all / any */
  thread: number;
  signal?: number;
  /** vCont `r`: step while the PC is in [start, end) */
  range?: [bigint, bigint];
}

export interface BreakpointOps {
  /** type: 0 = software, 1 = hardware; kind is the breakpoint kind (4 for A64) */
  add(type: 0 | 1, addr: bigint, kind: number): boolean;
  remove(type: 0 | 1, addr: bigint, kind: number): boolean;
}

export interface WatchpointOps {
  /** type: 2 = write, 3 = read, 4 = access */
  add(type: 2 | 3 | 4, addr: bigint, len: number): boolean;
  remove(type: 2 | 3 | 4, addr: bigint, len: number): boolean;
}

export interface GdbTarget {
  /** thread ids (1-based), in order */
  threads(): number[];
  /** `g`: hex of the registers in the g packet */
  readRegisters(tid: number): string;
  writeRegisters?(tid: number, data: Uint8Array): boolean;
  /** `p`: hex of register n, undefined if there is no such register */
  readRegister(tid: number, n: number): string | undefined;
  writeRegister?(tid: number, n: number, data: Uint8Array): boolean;
  /** registers sent in stop replies as `n:hex;` pairs (speed: with PC/SP/CPSR and FP/LR gdb needs
   * no `g` per step) */
  expedite?(tid: number): string;
  /** bytes readable from addr (possibly fewer than len), undefined if none */
  readMemory(tid: number, addr: bigint, len: number): Uint8Array | undefined;
  writeMemory?(tid: number, addr: bigint, data: Uint8Array): boolean;
  /** start resuming; the stop arrives through onStop */
  resume(actions: ResumeAction[]): void;
  /** Ctrl-C */
  interrupt(): void;
  isRunning(): boolean;
  /** current stop status for `?` */
  stopStatus(): StopEvent;
  /** subscribe to stops and console text; returns an unsubscribe function */
  subscribe(onStop: (e: StopEvent) => void, onConsole: (text: string) => void): () => void;
  breakpoints?: BreakpointOps;
  watchpoints?: WatchpointOps;
  /** qXfer:features:read */
  targetXml?(annex: string): string | undefined;
  /** qXfer:memory-map:read */
  memoryMapXml?(): string;
  threadExtraInfo?(tid: number): string;
  /** qRcmd: returns console output; tid is gdb's selected thread */
  monitor?(cmd: string, tid: number): string;
  /** gdb detached: let the machine run free */
  detach?(): void;
  /** gdb connection lost without detach */
  disconnected?(): void;
  kill?(): void;
}
