// `monitor ...` commands (qRcmd). Output goes back to gdb's console.
import { EC, ecName } from '../cpu/exceptions';
import { debugTranslate, type MemView } from '../mmu/debug';
import { describeHcr, formatException } from '../debug/describe';
import { viewRegIndex, viewRegisters } from '../debug/registers';
import type { El2Target } from './el2target';
import { findSmmu, formatState, formatSte, steReport, formatEvents, formatTranslate, formatEvent } from '../smmu/describe';

/** `monitor smmu catch on` listeners, per SMMU */
const smmuCatch = new WeakMap<object, (e: Parameters<typeof formatEvent>[0]) => void>();

const HELP = `el2scope monitor commands:
  help                         this text
  catch el1|el2|el3 [EC...]    stop at the handler's first instruction after an exception is taken
                               to that EL (ECs as numbers, e.g. 0x24, or names, e.g. DABT_LOW HVC64)
  catch irq                    stop on IRQ/FIQ taken
  catch all | none | list      all ELs and interrupts / clear / show
  catch eret                   stop after ERET
  range-step traps hide|show   gdb's line steps (next/step, vCont;r) run a trap the line takes to a
                               higher EL to its return (hide, default) or stop in the handler (show)
  break-el EL ADDR             breakpoint only when executing at EL
  break-vmid N ADDR            breakpoint only when executing in VMID N (EL0/EL1 under stage 2)
  break-pa PADDR               breakpoint on a physical address of the executed instruction
  watch-pa PADDR LEN [r|w|a]   watchpoint on a physical address range (default w)
  breaks                       list breakpoints and watchpoints (gdb's and the monitor's)
  delete ID | delete all       remove monitor breakpoints/watchpoints
  mem va|ipa|pa                what addresses in x/m/M/X mean (current VA, IPA via stage 2, PA)
  mem ipa vmid N               IPAs of VMID N (its last VTTBR_EL2 seen)
  mem regime el1|el2|el3 [vmid N] [asid N]   VAs of that translation regime
  mem                          show the current view
  walk ADDR                    stage 1 and stage 2 walk of ADDR (current view), each descriptor
  el2 info                     HCR_EL2 decoded bit by bit, VTTBR/VTCR, current EL
  trap-log [N]                 last N exceptions taken (default 16), with decoded ESR
  reg NAME [VALUE]             read or write a system register of the selected vCPU
  smmu                         SMMUv3 state: registers, queues, valid STEs, TLB
  smmu ste SID                 one stream's STE (and CD) decoded, and whether a stale copy is cached
  smmu events [N]              event-queue records not yet consumed and the last N events generated
  smmu translate SID ADDR [w]  the SMMU walk for a DMA read (or write) of ADDR by stream SID
  smmu catch on|off            stop (as if interrupted) after the instruction during which the SMMU
                               records an event (a DMA fault, a bad STE...), and print the event
(walk, el2 info and reg use gdb's selected thread's vCPU)
Limits: breakpoints and watchpoints are emulated (no patching of guest memory); their number is
unlimited; watchpoint length up to 64 KiB.
`;

const hx = (v: bigint | number) => '0x' + v.toString(16);

function parseNum(s: string | undefined): bigint | undefined {
  if (s === undefined) return undefined;
  try {
    if (/^0x[0-9a-f]+$/i.test(s)) return BigInt(s);
    if (/^[0-9]+$/.test(s)) return BigInt(s);
  } catch {
    return undefined;
  }
  return undefined;
}

function parseEc(s: string): number | undefined {
  const n = parseNum(s);
  if (n !== undefined) return n < 64n ? Number(n) : undefined;
  const v = (EC as Record<string, number>)[s.toUpperCase()];
  return v;
}

function viewName(v: MemView): string {
  switch (v.kind) {
    case 'va':
      return 'va (current regime)';
    case 'pa':
      return 'pa';
    case 'ipa':
      return `ipa${v.vmid !== undefined ? ' vmid ' + v.vmid : ''}`;
    case 'va-regime':
      return `regime el${v.el}${v.vmid !== undefined ? ' vmid ' + v.vmid : ''}${v.asid !== undefined ? ' asid ' + v.asid : ''}`;
  }
}

export function runMonitor(t: El2Target, line: string, cpuIdx = 0): string {
  const a = line.trim().split(/\s+/).filter((x) => x !== '');
  const core = t.core;
  const cmd = a[0] ?? 'help';
  switch (cmd) {
    case 'help':
      return HELP;
    case 'catch': {
      const what = a[1] ?? 'list';
      if (what !== 'list') t.sessionCatches = true;
      const k = core.catches;
      if (what === 'list') {
        // each EL with its own EC filter, e.g. `catch: el1 el2[0x16(HVC64)] irq`
        const els = [...k.els].sort().map((e) => {
          const f = [...(k.ecs.get(e) ?? [])].map((x) => `${hx(x)}(${ecName(x)})`);
          return 'el' + e + (f.length ? `[${f.join(',')}]` : '');
        });
        return `catch: ${els.length ? els.join(' ') : 'no ELs'}${k.irq ? ' irq' : ''}${k.eret ? ' eret' : ''}\n`;
      }
      if (what === 'none') {
        core.setCatch([], false, []);
        k.eret = false;
        return 'catch: cleared\n';
      }
      if (what === 'all') {
        core.setCatch([1, 2, 3], true, []);
        return 'catch: all exceptions\n';
      }
      if (what === 'irq') {
        k.irq = true;
        return 'catch: irq/fiq\n';
      }
      if (what === 'eret') {
        k.eret = true;
        return 'catch: eret\n';
      }
      const m = /^el([123])$/i.exec(what);
      if (!m) return `catch: unknown '${what}' (el1|el2|el3|irq|all|none|list|eret)\n`;
      const ecs: number[] = [];
      for (const s of a.slice(2)) {
        const e = parseEc(s);
        if (e === undefined) return `catch: bad EC '${s}'\n`;
        ecs.push(e);
      }
      // each EL keeps its own EC filter: `catch el2 HVC64` leaves an `catch el1` untouched
      core.catchEl(Number(m[1]), ecs);
      return `catch: exceptions taken to EL${m[1]}${ecs.length ? ' with EC ' + ecs.map((e) => `${hx(e)} ${ecName(e)}`).join(', ') : ''}\n`;
    }
    case 'range-step': {
      // range-step traps hide|show: what gdb's line steps (vCont;r) do when the line traps upwards
      if (a[1] === 'traps' && (a[2] === 'hide' || a[2] === 'show')) core.hideTrapsInRangeStep = a[2] === 'hide';
      else if (a.length > 1) return 'usage: range-step traps hide|show\n';
      return `range-step: traps to a higher EL are ${core.hideTrapsInRangeStep ? 'run to their return (hidden)' : 'stops in the handler (shown)'}\n`;
    }
    case 'break-el': {
      const el = parseNum(a[1]);
      const addr = parseNum(a[2]);
      if (el === undefined || el > 3n || addr === undefined) return 'usage: break-el EL ADDR\n';
      const b = core.addBreakpoint({ type: 'hw', addr, el: Number(el), owner: 'monitor' });
      return `breakpoint ${b.id} at ${hx(addr)} (EL${el} only)\n`;
    }
    case 'break-vmid': {
      const vmid = parseNum(a[1]);
      const addr = parseNum(a[2]);
      if (vmid === undefined || addr === undefined) return 'usage: break-vmid N ADDR\n';
      const b = core.addBreakpoint({ type: 'hw', addr, vmid: Number(vmid), owner: 'monitor' });
      return `breakpoint ${b.id} at ${hx(addr)} (VMID ${vmid} only)\n`;
    }
    case 'break-pa': {
      const addr = parseNum(a[1]);
      if (addr === undefined) return 'usage: break-pa PADDR\n';
      const b = core.addBreakpoint({ type: 'hw', addr, physical: true, owner: 'monitor' });
      return `breakpoint ${b.id} at PA ${hx(addr)}\n`;
    }
    case 'watch-pa': {
      const addr = parseNum(a[1]);
      const len = parseNum(a[2] ?? '4');
      const kind = { r: 'read', w: 'write', a: 'access' }[a[3] ?? 'w'] as 'read' | 'write' | 'access' | undefined;
      if (addr === undefined || len === undefined || len === 0n || len > 0x10000n || !kind) return 'usage: watch-pa PADDR LEN [r|w|a]\n';
      const w = core.addWatchpoint({ kind, addr, len: Number(len), physical: true, owner: 'monitor' });
      return `watchpoint ${w.id} (${kind}) at PA ${hx(addr)} len ${len}\n`;
    }
    case 'breaks': {
      let s = '';
      for (const b of core.breakpoints.values())
        s += `${b.id}: ${b.type}break ${b.physical ? 'PA ' : ''}${hx(b.addr)}${b.el !== undefined ? ' EL' + b.el : ''}${b.vmid !== undefined ? ' VMID ' + b.vmid : ''} (${b.owner})\n`;
      for (const w of core.watchpoints.values()) s += `${w.id}: watch ${w.kind} ${w.physical ? 'PA ' : ''}${hx(w.addr)} len ${w.len} (${w.owner})\n`;
      return s || 'no breakpoints or watchpoints\n';
    }
    case 'delete': {
      if (a[1] === 'all') {
        const n = core.removeBreakpoint((b) => b.owner === 'monitor') + core.removeWatchpoint((w) => w.owner === 'monitor');
        return `deleted ${n}\n`;
      }
      const id = parseNum(a[1]);
      if (id === undefined) return 'usage: delete ID|all\n';
      const n = core.removeBreakpoint((b) => b.owner === 'monitor' && b.id === Number(id)) + core.removeWatchpoint((w) => w.owner === 'monitor' && w.id === Number(id));
      return n ? `deleted ${id}\n` : `no monitor breakpoint ${id}\n`;
    }
    case 'mem': {
      const v = a[1];
      if (v === undefined) return `memory view: ${viewName(core.memView)}\n`;
      t.sessionView = true;
      if (v === 'va') core.memView = { kind: 'va' };
      else if (v === 'pa') core.memView = { kind: 'pa' };
      else if (v === 'ipa') {
        if (a.length > 2 && (a.length !== 4 || a[2] !== 'vmid' || parseNum(a[3]) === undefined)) return 'usage: mem ipa [vmid N]\n';
        const vmid = a[2] === 'vmid' ? parseNum(a[3]) : undefined;
        core.memView = { kind: 'ipa', vmid: vmid === undefined ? undefined : Number(vmid) };
      } else if (v === 'regime') {
        const m = /^el([0-3])$/i.exec(a[2] ?? '');
        if (!m) return 'usage: mem regime el1|el2|el3 [vmid N] [asid N]\n';
        const view: MemView = { kind: 'va-regime', el: Number(m[1]) as 0 | 1 | 2 | 3 };
        // qualifiers come in pairs: a dangling `vmid` must not silently select every VMID
        if ((a.length - 3) % 2 !== 0) return 'usage: mem regime el1|el2|el3 [vmid N] [asid N]\n';
        for (let i = 3; i + 1 < a.length; i += 2) {
          const n = parseNum(a[i + 1]);
          if (n === undefined) return `bad number '${a[i + 1]}'\n`;
          if (a[i] === 'vmid') view.vmid = Number(n);
          else if (a[i] === 'asid') view.asid = Number(n);
          else return `unknown qualifier '${a[i]}'\n`;
        }
        core.memView = view;
      } else return 'usage: mem va|ipa|pa | mem regime el1 [vmid N] [asid N]\n';
      return `memory view: ${viewName(core.memView)}\n`;
    }
    case 'walk': {
      const addr = parseNum(a[1]);
      if (addr === undefined) return 'usage: walk ADDR\n';
      const c = t.machine.cpus[cpuIdx];
      const r = debugTranslate(c, addr, core.memView);
      let s = `walk ${hx(addr)} (${viewName(core.memView)}):\n`;
      const extra = r as { regime?: string; notes?: string[] };
      if (extra.regime) s += `  regime: ${extra.regime}\n`;
      for (const n of extra.notes ?? []) s += `  note: ${n}\n`;
      for (const st of r.steps)
        s += `  S${st.stage} L${st.level} desc@${hx(st.tableAddr)} = ${hx(st.descriptor).padEnd(18)} -> ${hx(st.output)} ${st.note}\n`;
      if (r.steps.length === 0) s += '  (no table walk)\n';
      // an IPA exists only where stage 2 is part of the translation (or the view is IPAs)
      const hasIpa = r.ipa !== undefined && (core.memView.kind === 'ipa' || /stage 2/.test(extra.regime ?? ''));
      if (r.ok) s += `  => ${hasIpa ? 'IPA ' + hx(r.ipa!) + ' ' : ''}PA ${hx(r.pa ?? 0n)}${r.attrs ? ' ' + r.attrs : ''}\n`;
      else s += `  => fault: ${r.fault ?? 'unknown'}\n`;
      return s;
    }
    case 'el2': {
      if (a[1] !== 'info') return 'usage: el2 info\n';
      const c = t.machine.cpus[cpuIdx];
      const get = (n: string) => {
        const i = viewRegIndex(n);
        return i === undefined ? undefined : viewRegisters()[i].read(c);
      };
      let s = describeHcr(get('HCR_EL2') ?? 0n) + '\n';
      for (const n of ['VTTBR_EL2', 'VTCR_EL2', 'SCTLR_EL2', 'VBAR_EL2', 'SCR_EL3']) {
        const v = get(n);
        if (v !== undefined) s += `${n} = ${hx(v)}\n`;
      }
      s += `vCPU${c.index} at EL${c.el}, VMID ${c.currentVmid()}, ${c.e2h() ? 'VHE (E2H=1)' : 'nVHE'}\n`;
      return s;
    }
    case 'trap-log': {
      const n = parseNum(a[1] ?? '16');
      if (n === undefined) return 'usage: trap-log [N]\n';
      const l = core.traps(Number(n));
      if (l.length === 0) return 'trap log empty\n';
      return l.map((e) => `#${e.seq} vCPU${e.cpu} @${e.icount} ${formatException(e)}`).join('\n') + '\n';
    }
    case 'reg': {
      const i = a[1] ? viewRegIndex(a[1]) : undefined;
      if (i === undefined) return 'usage: reg NAME [VALUE]\n';
      const r = viewRegisters()[i];
      const c = t.machine.cpus[cpuIdx];
      if (a[2] !== undefined) {
        const v = parseNum(a[2]);
        if (v === undefined || !r.write(c, v)) return `cannot write ${r.name}\n`;
      }
      return `${r.name} = ${hx(r.read(c))}\n`;
    }
    case 'smmu': {
      const s = findSmmu(t.machine);
      if (!s) return 'no SMMU on this machine\n';
      const sub = a[1] ?? 'state';
      if (sub === 'state') return formatState(s);
      if (sub === 'ste') {
        const sid = parseNum(a[2]);
        if (sid === undefined || sid > 0xffffffffn) return 'usage: smmu ste SID\n';
        return formatSte(steReport(s, Number(sid)));
      }
      if (sub === 'events') {
        const n = parseNum(a[2] ?? '16');
        if (n === undefined) return 'usage: smmu events [N]\n';
        return formatEvents(s, Math.min(Number(n), 256));
      }
      if (sub === 'translate') {
        const sid = parseNum(a[2]);
        const addr = parseNum(a[3]);
        if (sid === undefined || addr === undefined || sid > 0xffffffffn || addr >= 1n << 48n) return 'usage: smmu translate SID ADDR [w]\n';
        return formatTranslate(s.debugTranslate(Number(sid), Number(addr), a[4] === 'w'));
      }
      if (sub === 'catch') {
        const on = a[2] === 'on';
        if (!on && a[2] !== 'off') return 'usage: smmu catch on|off\n';
        const prev = smmuCatch.get(s);
        if (prev) s.eventListeners.splice(s.eventListeners.indexOf(prev), 1);
        smmuCatch.delete(s);
        if (on) {
          const l = (e: Parameters<typeof formatEvent>[0]) => {
            core.emit('message', 'SMMU event: ' + formatEvent(e));
            for (const c of t.machine.cpus) {
              c.debugStop = true; // stop at the next instruction boundary
              c.exitLoop = true;
            }
            core.pause();
          };
          smmuCatch.set(s, l);
          s.eventListeners.push(l);
        }
        return `smmu catch ${on ? 'on' : 'off'}\n`;
      }
      return 'usage: smmu [ste SID | events [N] | translate SID ADDR [w] | catch on|off]\n';
    }
  }
  return `unknown monitor command '${cmd}' (try 'monitor help')\n`;
}
