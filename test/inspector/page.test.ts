// The inspector page in real headless Chromium (playwright-core driving /usr/bin/chromium): it
// connects with the token from its URL, shows vCPUs, EL2 registers, the stage-2 map, the trap log,
// the UART console, and its controls pause/step/continue the machine.
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InspectorClient } from '../../src/client/client';
import { createBoard, bootBoard } from '../../src/machine/board';
import { startInspector, type InspectorHandle } from '../../src/inspector/server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping inspector page tests: chromium not found at ${CHROMIUM}`);

/** Guest at EL2: builds a stage-2 table (VTTBR/VTCR), sets HCR_EL2.VM, prints, then HVCs forever. */
function program(): Uint8Array {
  const w: number[] = [];
  const movz = (rd: number, imm: number, sh: number) => 0xd2800000 | (sh << 21) | (imm << 5) | rd;
  const movk = (rd: number, imm: number, sh: number) => 0xf2800000 | (sh << 21) | (imm << 5) | rd;
  const msr = (enc: number, rt: number) => 0xd5100000 | enc | rt;
  // x0 = 0x40100000 (level-1 table): entry 1 -> block 0x40000000 RW (S2AP=11, AF, MemAttr 0xf)
  w.push(movz(0, 0x4010, 1));
  w.push(movz(1, 0x4000, 1));
  w.push(movk(1, 0x07fd, 0)); // 0x400007fd: L1 block, MemAttr=0xf, S2AP=RW, SH=inner, AF
  w.push(0xf9000401); // str x1, [x0, #8]
  // VTCR_EL2: T0SZ=25 (39-bit), SL0=1 (level 1), TG0=4K, PS=0 -> 0x80000059
  w.push(movz(2, 0x0059, 0));
  w.push(movk(2, 0x8000, 1));
  w.push(msr(0xc2140, 2)); // msr VTCR_EL2, x2 (S3_4_C2_C1_2)
  // VTTBR_EL2 = x0 | VMID 5 << 48
  w.push(movk(0, 5, 3));
  w.push(msr(0xc2100, 0)); // msr VTTBR_EL2, x0 (S3_4_C2_C1_0)
  // HCR_EL2 = VM | RW
  w.push(movz(3, 0x0001, 0));
  w.push(movk(3, 0x8000, 1));
  w.push(msr(0xc1100, 3)); // msr HCR_EL2, x3 (S3_4_C1_C1_0)
  // print "hi" on the UART
  w.push(movz(4, 0x0900, 1));
  w.push(movz(5, 0x68, 0));
  w.push(0x39000085); // strb w5, [x4]
  w.push(movz(5, 0x69, 0));
  w.push(0x39000085);
  // loop: count in x6; every 4096 iterations hvc #7 (to EL2 itself: vector 0x200, which ERETs)
  w.push(0x910004c6); // add x6, x6, #1
  w.push(0xf2402cdf); // tst x6, #0xfff
  w.push(0x54ffffc1); // b.ne loop
  w.push(0xd4000002 | (7 << 5)); // hvc #7
  w.push(0x17fffffc); // b loop
  const b = new Uint8Array(0x400);
  const dv = new DataView(b.buffer);
  w.forEach((x, i) => dv.setUint32(i * 4, x >>> 0, true));
  dv.setUint32(0x200, 0xd69f03e0, true); // eret
  return b;
}

let srv: InspectorHandle | null = null;
let srv2: InspectorHandle | null = null;
afterAll(async () => {
  await srv?.close();
  await srv2?.close();
});
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const LAUNCH_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!hasChromium)('inspector page in headless Chromium', () => {
  it('shows live state and drives the machine', async () => {
    const { chromium } = await import('playwright-core');
    const board = createBoard({ biosBytes: program(), ramMiB: 32 });
    bootBoard(board);
    srv = await startInspector(board.machine, { host: '127.0.0.1', port: 0, board });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(srv.url);
      await page.waitForSelector('#cpus tbody tr');
      expect(await page.textContent('#cpus tbody')).toContain('EL2h');
      await page.click('#btn-continue');
      await page.waitForFunction(() => document.getElementById('uart')!.textContent!.includes('hi'), null, { timeout: 10000 });
      await page.waitForFunction(() => document.querySelectorAll('#traps tbody tr').length > 0, null, { timeout: 10000 });
      expect(await page.textContent('#traps tbody')).toContain('HVC64');
      await page.click('#btn-pause');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('stopped'), null, { timeout: 10000 });
      // EL2 pane: HCR_EL2.VM shown set; VTTBR_EL2 VMID 5
      expect(await page.getAttribute('.bit[title="HCR_EL2.VM"]', 'class')).toContain('on');
      expect(await page.textContent('#el2regs')).toContain('VMID=5');
      // stage-2 map drawn: one 1 GiB RW range at IPA 0x40000000
      await page.waitForFunction(() => document.querySelectorAll('#stage2 rect').length > 0, null, { timeout: 10000 });
      expect(await page.textContent('#s2ranges')).toContain('0x40000000');
      // trap log filter by EC
      await page.fill('#filter-ec', '0x24');
      expect(await page.$$eval('#traps tbody tr', (r) => r.length)).toBe(0);
      await page.fill('#filter-ec', '0x16');
      expect(await page.$$eval('#traps tbody tr', (r) => r.length)).toBeGreaterThan(0);
      // step moves the PC by one instruction
      const pcBefore = board.machine.cpus[0].pc;
      await page.click('#btn-step');
      await page.waitForFunction((pc) => !document.querySelector('#cpus tbody td:nth-child(4)')!.textContent!.startsWith(pc), '0x' + pcBefore.toString(16), { timeout: 5000 });
      expect(board.machine.cpus[0].pc).not.toBe(pcBefore);
      // catch el2 from the page
      await page.check('#catch-el2');
      await page.click('#btn-continue');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('catch'), null, { timeout: 10000 });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('follows demo-hyp: the trap log fills, the run stops, the stage-2 map and registers match the protocol', async () => {
    const { chromium } = await import('playwright-core');
    const board = createBoard({ kernel: join(__dirname, '..', '..', 'targets', 'build', 'demo-hyp.elf') });
    bootBoard(board);
    srv2 = await startInspector(board.machine, { host: '127.0.0.1', port: 0, board });
    const client = await InspectorClient.connect(srv2.url);
    // stop when the guest asks the firmware to power off (its SMC, trapped to EL2 by HCR_EL2.TSC)
    await client.catchExceptions([2], { ecs: [0x17] });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
      await page.goto(srv2.url);
      await page.waitForSelector('#cpus tbody tr');
      await page.click('#btn-continue');
      await page.waitForFunction(() => document.querySelectorAll('#traps tbody tr').length >= 50, null, { timeout: 20000 });
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('stopped: catch'), null, { timeout: 20000 });
      expect(await page.textContent('#traps tbody')).toContain('DABT_LOW');
      expect(await page.textContent('#uart')).toContain('hello from the guest');
      // the page's stage-2 map and EL2 registers agree with the protocol's answers
      const map = await client.stage2Map(0);
      await page.waitForFunction(() => document.querySelectorAll('#s2ranges tbody tr').length > 0, null, { timeout: 10000 });
      const rows = await page.$$eval('#s2ranges tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
      expect(rows).toEqual(map.ranges.map((r) => [r.ipa, r.pa, r.size, r.perm, String(r.level)]));
      expect(await page.textContent('#s2-info')).toContain(`VMID ${map.vmid}`);
      const el2 = await client.call<any>('el2.state', { cpu: 0 });
      const el2Text = await page.textContent('#el2regs');
      expect(el2Text).toContain(el2.registers.VTTBR_EL2.value);
      expect(el2Text).toContain(el2.registers.ESR_EL2.value);
      const trapCount = (await client.trapLog(1024, { ec: 0x24 })).length;
      await page.fill('#filter-ec', '0x24');
      expect(await page.textContent('#trap-count')).toContain(`${Math.min(trapCount, 300)} shown`);
      // Pause while stopped is harmless; Continue then runs the guest to power-off
      await page.click('#btn-pause');
      await client.catchExceptions([]);
      await page.click('#btn-continue');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('exited (0)'), null, { timeout: 20000 });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'inspector-demo-hyp.png'), fullPage: true });
      expect(existsSync(join(ARTIFACTS, 'inspector-demo-hyp.png'))).toBe(true);
    } finally {
      await browser.close();
      await client.close();
    }
  });
});
