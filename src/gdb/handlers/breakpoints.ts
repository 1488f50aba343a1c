// Z0-Z4 / z0-z4: breakpoints and watchpoints. Conditions/commands suffixes (`;X...`) are ignored.
import { parseHexBig, parseHexNum } from '../protocol/hex';
import { E, type Handler } from './context';

export const handleBreakpoints: Handler = (s, pkt) => {
  const insert = pkt[0] === 'Z';
  const body = pkt.slice(1).split(';')[0];
  const f = body.split(',');
  if (f.length !== 3) return E(1);
  const type = parseHexNum(f[0]);
  const addr = parseHexBig(f[1]);
  const kind = parseHexNum(f[2]);
  if (type === undefined || addr === undefined || kind === undefined) return E(1);
  const t = s.target;
  if (type === 0 || type === 1) {
    if (!t.breakpoints) return '';
    const ok = insert ? t.breakpoints.add(type, addr, kind) : t.breakpoints.remove(type, addr, kind);
    return ok ? 'OK' : E(0x0e);
  }
  if (type === 2 || type === 3 || type === 4) {
    if (!t.watchpoints) return '';
    if (kind === 0 || kind > 0x10000) return E(0x16);
    const ok = insert ? t.watchpoints.add(type, addr, kind) : t.watchpoints.remove(type, addr, kind);
    return ok ? 'OK' : E(0x0e);
  }
  return ''; // unknown type: unsupported
};
