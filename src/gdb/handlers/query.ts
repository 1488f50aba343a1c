// q / Q packets: qSupported (computed from the target's optional members), qXfer, qRcmd, thread
// queries, QStartNoAckMode, qSymbol.
import { hexToText, parseHexNum, textToHex } from '../protocol/hex';
import { escapeBinary, Framed, framePacket } from '../protocol/packet';
import { formatThreadId, parseThreadId } from '../protocol/thread-id';
import { E, NO_REPLY, type Handler, type Reply, type Session, threadOrDefault } from './context';

export const PACKET_SIZE = 0x20000;

export function supportedFeatures(s: Session): string[] {
  const t = s.target;
  const f = [`PacketSize=${PACKET_SIZE.toString(16)}`, 'QStartNoAckMode+', 'vContSupported+', 'qXfer:threads:read+'];
  // binary memory reads (`x`), offered to a client that says it speaks GDB's form of the packet
  if (s.gdbFeatures.has('binary-upload')) f.push('binary-upload+');
  if (t.targetXml) f.push('qXfer:features:read+');
  if (t.memoryMapXml) f.push('qXfer:memory-map:read+');
  if (t.breakpoints) f.push('swbreak+', 'hwbreak+');
  return f;
}

function xfer(data: string, offset: number, length: number): Uint8Array | string {
  // the common case (gdb asks for a small ASCII document from 0): the reply is the text itself
  if (offset === 0 && data.length <= length && !/[^\x20-\x7e\n]|[$#}*]/.test(data)) return 'l' + data;
  const all = Buffer.from(data, 'utf8');
  if (offset >= all.length) return Buffer.from('l');
  const chunk = all.subarray(offset, offset + length);
  const more = offset + length < all.length;
  const body = escapeBinary(chunk);
  const out = new Uint8Array(body.length + 1);
  out[0] = more ? 0x6d : 0x6c; // 'm' more / 'l' last
  out.set(body, 1);
  return out;
}

function threadsXml(s: Session): string {
  const t = s.target;
  let x = '<?xml version="1.0"?>\n<threads>\n';
  for (const tid of t.threads()) {
    const extra = t.threadExtraInfo ? t.threadExtraInfo(tid) : '';
    x += `  <thread id="${formatThreadId(tid)}" core="${tid - 1}" name="vCPU${tid - 1}">${extra}</thread>\n`;
  }
  return x + '</threads>\n';
}

// gdb 13 reads the thread list after every stop: the framed reply is kept while the list reads the
// same (each vCPU's EL and security state are in it)
const threadsCache = new WeakMap<Session, { xml: string; off: number; len: number; reply: Framed }>();

function threadsReply(s: Session, pkt: string): Reply {
  // qXfer:threads:read::offset,length
  const comma = pkt.indexOf(',', 20);
  const off = comma < 0 ? undefined : parseHexNum(pkt.slice(20, comma));
  const len = comma < 0 ? undefined : parseHexNum(pkt.slice(comma + 1));
  if (off === undefined || len === undefined) return E(0);
  const ln = Math.min(len, PACKET_SIZE - 16);
  const xml = threadsXml(s);
  const c = threadsCache.get(s);
  if (c !== undefined && c.xml === xml && c.off === off && c.len === ln) return c.reply;
  const reply = new Framed(framePacket(xfer(xml, off, ln)));
  threadsCache.set(s, { xml, off, len: ln, reply });
  return reply;
}

export const handleQuery: Handler = (s, pkt) => {
  const t = s.target;
  if (pkt.startsWith('qSupported')) {
    const feats = pkt.indexOf(':') >= 0 ? pkt.slice(pkt.indexOf(':') + 1).split(';') : [];
    s.gdbFeatures = new Set(feats.filter((x) => x.endsWith('+')).map((x) => x.slice(0, -1)));
    return supportedFeatures(s).join(';');
  }
  if (pkt === 'QStartNoAckMode') return 'OK'; // the session switches after sending this reply
  if (pkt.startsWith('qXfer:threads:read::')) return threadsReply(s, pkt);
  if (pkt.startsWith('qXfer:')) {
    // qXfer:object:read:annex:offset,length
    const m = /^qXfer:([a-z-]+):read:([^:]*):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(pkt);
    if (!m) return pkt.includes(':read:') ? E(0) : '';
    const off = parseHexNum(m[3]);
    const len = parseHexNum(m[4]);
    if (off === undefined || len === undefined) return E(0);
    const ln = Math.min(len, PACKET_SIZE - 16);
    if (m[1] === 'features' && t.targetXml) {
      const x = t.targetXml(m[2]);
      return x === undefined ? E(0) : xfer(x, off, ln);
    }
    if (m[1] === 'memory-map' && t.memoryMapXml) return xfer(t.memoryMapXml(), off, ln);
    if (m[1] === 'threads') return xfer(threadsXml(s), off, ln);
    return '';
  }
  if (pkt.startsWith('qRcmd,')) {
    if (!t.monitor) return '';
    const cmd = hexToText(pkt.slice(6));
    if (cmd === undefined) return E(1);
    let out: string;
    try {
      out = t.monitor(cmd, threadOrDefault(s, s.gThread));
    } catch (e) {
      out = `error: ${(e as Error).message}\n`;
    }
    if (out !== '') {
      if (out.length < 8192) return textToHex(out);
      for (let i = 0; i < out.length; i += 8192) s.console(out.slice(i, i + 8192));
    }
    return 'OK';
  }
  if (pkt === 'qC') return 'QC' + formatThreadId(t.threads()[0] === undefined ? 1 : s.gThread > 0 ? s.gThread : t.threads()[0]);
  if (pkt === 'qAttached' || pkt.startsWith('qAttached:')) return '1';
  if (pkt === 'qfThreadInfo') return 'm' + t.threads().map(formatThreadId).join(',');
  if (pkt === 'qsThreadInfo') return 'l';
  if (pkt.startsWith('qThreadExtraInfo,')) {
    const tid = parseThreadId(pkt.slice(17));
    if (tid === undefined || !t.threads().includes(tid)) return E(1);
    return textToHex(t.threadExtraInfo ? t.threadExtraInfo(tid) : `vCPU${tid - 1}`);
  }
  if (pkt === 'qSymbol::') return 'OK';
  if (pkt === 'qOffsets') return '';
  return undefined;
};

/** ?, H, T, D, k, vKill, vMustReplyEmpty */
export const handleControl: Handler = (s, pkt) => {
  const t = s.target;
  switch (pkt[0]) {
    case '?':
      if (pkt !== '?') return E(1);
      if (t.isRunning()) {
        // gdb asks while we run (new connection): stop first, report when stopped
        s.running = true;
        t.interrupt();
        return NO_REPLY;
      }
      return s.stopReply(t.stopStatus());
    case 'H': {
      const op = pkt[1];
      const tid = parseThreadId(pkt.slice(2));
      if ((op !== 'g' && op !== 'c') || tid === undefined) return E(1);
      if (tid > 0 && !t.threads().includes(tid)) return E(1);
      if (op === 'g') s.gThread = tid;
      else s.cThread = tid;
      return 'OK';
    }
    case 'T': {
      const tid = parseThreadId(pkt.slice(1));
      return tid !== undefined && t.threads().includes(tid) ? 'OK' : E(1);
    }
    case 'D':
      t.detach?.();
      s.closeAfterReply = true;
      return 'OK';
    case 'k':
      if (pkt !== 'k') return undefined;
      t.kill?.();
      s.closeAfterReply = true;
      return NO_REPLY;
  }
  if (pkt.startsWith('vKill')) {
    t.kill?.();
    s.closeAfterReply = true;
    return 'OK';
  }
  if (pkt === 'vMustReplyEmpty') return '';
  return undefined;
};
