// Run to the first stage-2 data abort taken to EL2 and print what a hypervisor engineer reads first.
//   npx el2scope script examples/first-stage2-fault.ts --kernel targets/build/demo-hyp.elf
import type { ScriptMain } from '../src/script';

const main: ScriptMain = async (client, { log }) => {
  await client.catchExceptions([2], { ecs: [0x24] }); // EL2, EC 0x24 = data abort from a lower EL
  const stopped = client.nextStop();
  await client.resume();
  const stop = await stopped;
  log(`stopped: ${stop.reason} ${stop.message ?? ''}`.trim());
  const el2 = await client.call<{ registers: Record<string, { value: string; fields?: Record<string, unknown> }> }>('el2.state', { cpu: 0 });
  const r = el2.registers;
  log(`VTTBR_EL2 = ${r.VTTBR_EL2.value} (VMID ${r.VTTBR_EL2.fields?.VMID}, BADDR ${r.VTTBR_EL2.fields?.BADDR})`);
  log(`HPFAR_EL2 = ${r.HPFAR_EL2.value} (faulting IPA page ${r.HPFAR_EL2.fields?.ipaPage})`);
  log(`ESR_EL2   = ${r.ESR_EL2.value} (${r.ESR_EL2.fields?.decoded})`);
  log(`FAR_EL2   = ${r.FAR_EL2.value}`);
  await client.catchExceptions([]);
};
export default main;
