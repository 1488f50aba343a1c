// Thread-id syntax (GDB manual "thread-id syntax"): `ppid.tid`, `tid`, `-1` (all), `0` (any).
// Returns the thread part as a number (-1 all, 0 any) or undefined when malformed.
export function parseThreadId(s: string): number | undefined {
  let t = s;
  if (t.startsWith('p')) {
    const dot = t.indexOf('.');
    if (dot < 0) return -1; // a whole process: all its threads
    t = t.slice(dot + 1);
  }
  if (t === '-1') return -1;
  if (!/^[0-9a-fA-F]{1,8}$/.test(t)) return undefined;
  return parseInt(t, 16);
}

export function formatThreadId(tid: number): string {
  return tid.toString(16);
}
