// End to end: the CLI boots the demo hypervisor with --gdb --wait, gdb catches the first stage-2
// data abort (the guest's UART access trapped to EL2), prints the EL2 fault registers and lets the
// guest run to its PSCI SYSTEM_OFF (gdb sees the exit). Skips without the built target or gdb.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hasGdb, gdb } from './helpers';

const ELF = 'targets/build/demo-hyp.elf';
const haveElf = existsSync(ELF);
if (!haveElf) console.warn(`test/gdb/gdb-demo-hyp: ${ELF} not built, skipping`);

describe.skipIf(!hasGdb || !haveElf)('gdb: demo hypervisor through the CLI', () => {
  it('catches the first stage-2 data abort and sees the guest exit', async () => {
    const p = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli.ts', 'run', '--kernel', ELF, '--gdb', '127.0.0.1:0', '--wait'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('CLI did not start the gdb server: ' + stderr)), 20000);
      p.stderr.on('data', (d) => {
        stderr += d;
        const m = /gdb server listening on [^\s]*:(\d+)/.exec(stderr);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      });
    });
    const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
    try {
      const out = await gdb(port, ['monitor catch el2 DABT_LOW', 'continue', 'p/x $VTTBR_EL2', 'p/x $HPFAR_EL2', 'p/x $ESR_EL2', 'p/x $FAR_EL2', 'info threads', 'monitor catch none', 'continue'], 30000);
      expect(out).toMatch(/EL1->EL2 sync EC=0x24 DABT_LOW ISV=1 SAS=word SRT=w\d+ WnR=[01] DFSC=0x[0-9a-f]+ FAR=0x90000[0-9a-f]{2} HPFAR=0x90000 IPA=0x90000[0-9a-f]{2} ELR=0x4[0-9a-f]+ VMID=5/);
      expect(out).toMatch(/\$1 = 0x5[0-9a-f]{12}/); // VMID 5 in VTTBR_EL2[63:48]
      expect(out).toContain('$2 = 0x90000');
      expect(out).toMatch(/\$3 = 0x93[0-9a-f]{6}/); // EC 0x24, IL, ISV
      expect(out).toMatch(/vCPU0 EL2h NS/);
      expect(out).toContain('[Inferior 1 (Remote target) exited normally]');
      expect(await exited).toBe(0);
      expect(stdout).toContain('hello from the guest');
    } finally {
      p.kill();
    }
  }, 60000);
});
