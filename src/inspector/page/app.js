// el2scope inspector page: a plain-JS JSON-RPC client over the server's WebSocket (no build step).
// It refreshes its panes on events (stopped, exception, uart, vm-switch) and every 500 ms while the
// machine runs.
'use strict';
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  let ws;
  let nextId = 1;
  const pending = new Map();
  let cpu = 0;
  let running = false;
  const traps = [];

  function call(method, params = {}) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  function setStatus(text, cls) {
    const s = $('status');
    s.textContent = text;
    s.className = 'status ' + (cls || '');
  }

  function connect() {
    ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
    ws.onopen = () => setStatus('connected');
    ws.onclose = () => setStatus('disconnected', 'exited');
    ws.onmessage = (ev) => {
      const msgs = [].concat(JSON.parse(ev.data));
      for (const m of msgs) {
        if (m.id !== undefined && m.id !== null && pending.has(m.id)) {
          const p = pending.get(m.id);
          pending.delete(m.id);
          if (m.error) p.reject(new Error(m.error.message));
          else p.resolve(m.result);
        } else if (m.method) onEvent(m.method, m.params);
      }
    };
  }

  function onEvent(method, p) {
    switch (method) {
      case 'hello':
        running = p.running;
        setStatus(running ? 'running' : 'stopped', running ? 'running' : 'stopped');
        init();
        break;
      case 'stopped':
        running = false;
        if (p.reason === 'exited') setStatus(`exited (${p.code}): ${p.why}`, 'exited');
        else setStatus(`stopped: ${p.reason}${p.message ? ' — ' + p.message : ''}`, 'stopped');
        refreshAll();
        break;
      case 'resumed':
        running = true;
        setStatus('running', 'running');
        break;
      case 'exited':
        running = false;
        setStatus(`exited (${p.code}): ${p.why}`, 'exited');
        refreshAll();
        break;
      case 'uart': {
        const u = $('uart');
        u.textContent = (u.textContent + p.text).slice(-20000);
        u.scrollTop = u.scrollHeight;
        break;
      }
      case 'exception':
        traps.push(p);
        if (traps.length > 2000) traps.splice(0, traps.length - 2000);
        scheduleTraps();
        break;
      case 'vm-switch':
        refreshStage2();
        break;
      default:
        break;
    }
  }

  function renderCpus(list) {
    const sel = $('cpu-select');
    if (sel.options.length !== list.length) {
      sel.innerHTML = list.map((c) => `<option value="${c.index}">${c.index}</option>`).join('');
      sel.value = String(cpu);
    }
    $('cpus').tBodies[0].innerHTML = list
      .map((c) => `<tr><td>${c.index}</td><td>${c.mode}</td><td>${c.secure ? 'S' : 'NS'}</td><td>${esc(c.pc)}${c.symbol ? ' <span class="muted">' + esc(c.symbol) + '</span>' : ''}</td><td>${c.pstate.nzcv}</td><td>${c.pstate.daif}</td><td>${c.vmid}</td><td>${c.off ? 'off' : c.halted ? 'wfi' : 'run'}</td></tr>`)
      .join('');
  }

  function renderEl2(st) {
    const hcr = st.registers.HCR_EL2;
    $('hcr').innerHTML = hcr
      ? Object.entries(hcr.fields).map(([k, v]) => `<span class="bit${v ? ' on' : ''}" title="HCR_EL2.${k}">${k}</span>`).join('')
      : '';
    $('el2regs').tBodies[0].innerHTML = Object.entries(st.registers)
      .map(([name, r]) => {
        let extra = '';
        if (r.fields && name !== 'HCR_EL2') extra = r.fields.decoded ? r.fields.decoded : Object.entries(r.fields).map(([k, v]) => `${k}=${v}`).join(' ');
        return `<tr><td>${name}</td><td>${esc(r.value)}</td><td class="muted">${esc(extra)}</td></tr>`;
      })
      .join('');
  }

  function renderStage2(m) {
    $('s2-info').textContent = `VMID ${m.vmid}, ${m.ipaBits}-bit IPA, stage 2 ${m.enabled ? 'enabled' : 'disabled'}${m.note ? ' — ' + m.note : ''}`;
    const svg = $('stage2');
    const W = svg.clientWidth || 800;
    const ranges = m.ranges;
    const total = ranges.reduce((a, r) => a + Number(BigInt(r.size)), 0) || 1;
    let x = 0;
    const colors = { 'RWX': '#c0392b', 'RW-': '#2b5fb4', 'R-X': '#7d3cb4', 'R--': '#2a7d2e', '-W-': '#a4661b', '---': '#999' };
    const parts = [];
    for (const r of ranges) {
      // width proportional to the log of the size so small MMIO pages stay visible
      const w = Math.max(4, (Math.log2(Number(BigInt(r.size))) / Math.log2(total + 1)) * (W / Math.max(ranges.length, 1)));
      parts.push(`<g><rect x="${x}" y="20" width="${w - 1}" height="60" fill="${colors[r.perm] || '#555'}"><title>IPA ${r.ipa} → PA ${r.pa}, ${r.size}, ${r.perm}</title></rect>` + `<text x="${x + 2}" y="14">${r.ipa}</text><text x="${x + 2}" y="95">${r.perm}</text></g>`);
      x += w;
    }
    if (!ranges.length) parts.push('<text x="4" y="40">no stage-2 mappings</text>');
    svg.innerHTML = parts.join('');
    $('s2ranges').tBodies[0].innerHTML = ranges.slice(0, 200).map((r) => `<tr><td>${r.ipa}</td><td>${r.pa}</td><td>${r.size}</td><td>${r.perm}</td><td>${r.level}</td></tr>`).join('');
  }

  let trapFrame = false;
  function scheduleTraps() {
    if (trapFrame) return;
    trapFrame = true;
    setTimeout(() => {
      trapFrame = false;
      renderTraps();
    }, 100);
  }

  function renderTraps() {
    const ecf = $('filter-ec').value.trim();
    const vmf = $('filter-vmid').value.trim();
    const ec = ecf ? Number(ecf) : undefined;
    const vm = vmf ? Number(vmf) : undefined;
    const rows = traps.filter((t) => (ec === undefined || t.ec === ec) && (vm === undefined || t.vmid === vm)).slice(-300);
    $('trap-count').textContent = `${rows.length} shown of ${traps.length}`;
    $('traps').tBodies[0].innerHTML = rows
      .map((t) => `<tr><td>${t.seq}</td><td>${t.cpu}</td><td>EL${t.from}→EL${t.to} ${t.kind}</td><td>${esc(t.ecName)}</td><td>${esc(t.decoded)}${t.far ? ' FAR=' + t.far : ''}${t.ipa ? ' IPA=' + t.ipa : ''}</td><td>${t.elr}${t.symbol ? ' <span class="muted">' + esc(t.symbol) + '</span>' : ''}</td><td>${t.vmid}</td></tr>`)
      .join('');
  }

  function renderGic(g) {
    if (!g.present) {
      $('lrs').tBodies[0].innerHTML = '<tr><td colspan="7">no GIC</td></tr>';
      return;
    }
    const ci = g.cpuInterfaces[cpu];
    $('lrs').tBodies[0].innerHTML = ci.listRegisters.map((l) => `<tr><td>${l.lr}</td><td>${l.state}</td><td>${l.vINTID}</td><td>${l.pINTID}</td><td>${l.hw}</td><td>${l.group}</td><td>${l.priority}</td></tr>`).join('');
    $('gic-misc').textContent = `ICH_HCR ${ci.ichHcr} VMCR ${ci.ichVmcr} MISR ${ci.ichMisr} ELRSR ${ci.ichElrsr} | PMR ${ci.pmr} RPR ${ci.rpr} | lines: ${Object.entries(ci.lines).filter(([, v]) => v).map(([k]) => k).join(' ') || 'none'}`;
  }

  function renderTimers(t) {
    $('counts').textContent = `CNTPCT ${t.cntpct}  CNTVOFF ${t.cntvoff}  CNTVCT ${t.cntvct}  next deadline ${t.nextDeadline ?? 'none'}`;
    $('timers').tBodies[0].innerHTML = t.timers.map((x) => `<tr><td>${x.name}</td><td>${x.intid}</td><td>${x.enabled ? 'EN' : 'en'}${x.masked ? ' MASK' : ''}${x.istatus ? ' ISTATUS' : ''}</td><td>${x.cval}</td><td>${x.tval}</td><td>${x.output ? '●' : '○'}</td></tr>`).join('');
  }

  async function refreshStage2() {
    try {
      renderStage2(await call('stage2.map', { cpu }));
    } catch (e) {
      $('s2-info').textContent = e.message;
    }
  }

  async function refreshAll() {
    try {
      renderCpus(await call('cpu.list'));
      renderEl2(await call('el2.state', { cpu }));
      renderGic(await call('gic.state'));
      renderTimers(await call('timers.state', { cpu }));
      await refreshStage2();
    } catch (e) {
      console.error(e);
    }
  }

  async function init() {
    try {
      const log = await call('trapLog.read', { n: 500 });
      traps.splice(0, traps.length, ...log);
      renderTraps();
      const c = await call('catch.get');
      $('catch-el2').checked = c.els.includes(2);
    } catch (e) {
      console.error(e);
    }
    refreshAll();
  }

  $('btn-pause').onclick = () => call('machine.pause');
  $('btn-continue').onclick = () => call('machine.resume');
  $('btn-step').onclick = async () => {
    await call('machine.step', { cpu, count: 1 });
    refreshAll();
  };
  $('catch-el2').onchange = async (ev) => {
    const c = await call('catch.get');
    const els = new Set(c.els);
    if (ev.target.checked) els.add(2);
    else els.delete(2);
    await call('catch.set', { els: [...els], irq: c.irq, ecs: c.ecs, eret: c.eret });
  };
  $('cpu-select').onchange = (ev) => {
    cpu = Number(ev.target.value);
    refreshAll();
  };
  $('filter-ec').oninput = renderTraps;
  $('filter-vmid').oninput = renderTraps;
  setInterval(() => {
    if (running && ws && ws.readyState === 1) refreshAll();
  }, 500);
  connect();
})();
