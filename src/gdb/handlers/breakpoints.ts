// Z0-Z4 / z0-z4: breakpoints and watchpoints. Conditions/commands suffixes (`;X...`) are ignored.
import { parseHexBig, parseHexNum } from '../protocol/hex';
import { E, type Handler } from './context';

export const handleBreakpoints: Handler = (s, pkt) => {
  const insert = pkt[0] === 'Z';
  // Ztype,addr,kind[;cond...]
  const semi = pkt.indexOf(';');
  const end = semi < 0 ? pkt.length : semi;
  const c1 = pkt.indexOf(',');
  const c2 = c1 < 0 ? -1 : pkt.indexOf(',', c1 + 1);
  if (c1 < 0 || c2 < 0 || c2 >= end || pkt.indexOf(',', c2 + 1) >= 0 && pkt.indexOf(',', c2 + 1) < end) return E(1);
  const type = parseHexNum(pkt.slice(1, c1));
  const addr = parseHexBig(pkt.slice(c1 + 1, c2));
  const kind = parseHexNum(pkt.slice(c2 + 1, end));
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
