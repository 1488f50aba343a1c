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
  if (t.length === 0 || t.length > 8) return undefined;
  let v = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return undefined;
    v = v * 16 + d;
  }
  return v;
}

export function formatThreadId(tid: number): string {
  return tid.toString(16);
}
