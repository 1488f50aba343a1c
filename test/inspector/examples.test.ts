// The examples/ scripts run through `el2scope script` against the demo hypervisor and print the
// expected values (the same ones gdb shows for the first stage-2 data abort).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
function script(name: string, extra: string[] = []) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'script', join(root, 'examples', name), '--kernel', join(root, 'targets', 'build', 'demo-hyp.elf'), ...extra], {
    cwd: root,
    encoding: 'utf8',
    timeout: 90_000,
  });
  return r;
}

describe('examples/ scripts', () => {
  it('first-stage2-fault prints VTTBR_EL2, HPFAR_EL2, ESR_EL2 decoded and FAR_EL2', () => {
    const r = script('first-stage2-fault.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('VTTBR_EL2 = 0x5000040085000 (VMID 5, BADDR 0x40085000)');
    expect(r.stdout).toContain('HPFAR_EL2 = 0x90000 (faulting IPA page 0x9000000)');
    expect(r.stdout).toContain('ESR_EL2   = 0x93810005 (EC=0x24 DABT_LOW ISV=1 SAS=word SRT=w1 WnR=0 DFSC=0x5)');
    expect(r.stdout).toContain('FAR_EL2   = 0x9000018');
  });

  it('trap-count counts every exception of the boot by class', () => {
    const r = script('trap-count.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('guest exited (0): PSCI SYSTEM_OFF');
    // the demo guest prints through the unmapped UART IPA: one stage-2 abort per byte it writes
    expect(r.stdout).toMatch(/^\s+450\s+EL1->EL2 DABT_LOW$/m);
    expect(r.stdout).toMatch(/^\s+2\s+EL1->EL2 SMC64$/m);
    expect(r.stdout).toMatch(/^\s+1\s+EL1->EL2 HVC64$/m);
    expect(r.stdout).not.toContain('not delivered');
  });

  it('stage2-map dumps the VM\'s IPA -> PA ranges', () => {
    const r = script('stage2-map.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('VMID 5: 32-bit IPA space, stage 2 enabled');
    expect(r.stdout).toContain('IPA   0x40000000 -> PA   0x44000000  size 0x200000  RWX  (level 2)');
  });

  it('a missing script is a usage error (exit 2, one line)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli.ts'), 'script', 'no-such-file.ts'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
