// The cogov live page: one session per tab. It reads the session's event stream
// (aggregates only) and steers it through the JSON API; everything it shows is computed
// by the server from the engines' aggregates.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const PER_METRIC = 9;        // explored mean, lo, hi; reference mean, lo, hi; diff mean, lo, hi
  const PER_PLACE_METRIC = 6;  // explored mean, lo, hi; reference mean, lo, hi
  const COLOR = { explored: '#1f6fb4', reference: '#c2571a', diff: '#2e7d32' };
  const BAND = { explored: 'rgba(31,111,180,0.16)', reference: 'rgba(194,87,26,0.16)', diff: 'rgba(46,125,50,0.18)' };

  const S = {
    app: null,          // /api/info
    id: null,           // session id
    info: null,         // the session's run (setup event)
    metricNames: [],    // metric order in a day row
    days: [],           // day summaries
    changes: [],
    status: null,
    snapshot: null,
    charts: [],         // {metric, el, main, diff, readout}
    chartMetrics: null, // user's chart list (kept across resets)
    chartLabel: null,   // the scenario it belongs to
    community: null,    // selected community
    communityChart: null,
    rects: [],          // district hit boxes
    redraw: false,
  };

  async function api(method, path, body) {
    const opts = { method, headers: {} };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    const type = r.headers.get('content-type') || '';
    const data = type.includes('json') ? await r.json() : await r.text();
    if (!r.ok) throw new Error(data && data.error ? data.error : 'HTTP ' + r.status);
    return data;
  }
  const sessionPath = (p) => `api/sessions/${S.id}/${p}`;

  function showError(msg) {
    $('error').textContent = msg || '';
    $('error').hidden = !msg;
  }
  async function attempt(f) {
    try {
      showError('');
      return await f();
    } catch (e) {
      showError(e.message);
      return undefined;
    }
  }
  const fmt = (v) => {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    return (+v.toPrecision(4)).toString();
  };
  const num = (v) => (v === null || v === undefined ? null : v);

  // ----- set-up --------------------------------------------------------------------------

  async function start() {
    try {
      S.app = await api('GET', 'api/info');
    } catch (e) {
      fatal('cannot reach the server: ' + e.message);
      return;
    }
    fillStatic();
    try {
      const s = await api('POST', 'api/sessions', {});
      S.id = s.id;
    } catch (e) {
      fatal(e.message);
      return;
    }
    $('csv').href = sessionPath('file?arm=explored&replicate=0&file=timeseries');
    const events = new EventSource(sessionPath('events'));
    events.addEventListener('reset', () => onReset());
    events.addEventListener('setup', (e) => onSetup(JSON.parse(e.data)));
    events.addEventListener('status', (e) => onStatus(JSON.parse(e.data)));
    events.addEventListener('changes', (e) => onChanges(JSON.parse(e.data)));
    events.addEventListener('days', (e) => onDays(JSON.parse(e.data)));
    events.addEventListener('snapshot', (e) => onSnapshot(JSON.parse(e.data)));
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) fatal('the connection to the server was lost; reload the page');
    };
    // Closing the tab frees its session at once (the server also frees it when the stream ends).
    window.addEventListener('pagehide', () => navigator.sendBeacon(sessionPath('close')));
    wire();
    requestAnimationFrame(frame);
  }

  function fatal(msg) {
    $('fatal').textContent = msg;
    $('fatal').hidden = false;
  }

  function fillStatic() {
    const sel = $('scenario');
    for (const s of S.app.scenarios) {
      const o = document.createElement('option');
      o.value = s.name;
      o.textContent = `${s.name} (${s.residents.toLocaleString()} residents)`;
      o.title = s.description;
      sel.appendChild(o);
    }
    const add = $('add-metric');
    for (const m of S.app.metrics) {
      const o = document.createElement('option');
      o.value = m.name;
      o.textContent = m.name;
      o.title = `${m.doc} (${m.unit})`;
      add.appendChild(o);
    }
    const pm = $('place-metric');
    S.app.place_metrics.forEach((m, k) => {
      const o = document.createElement('option');
      o.value = k;
      o.textContent = m.name;
      o.title = m.doc;
      pm.appendChild(o);
    });
    const list = $('param-list');
    for (const p of S.app.steerable) {
      const o = document.createElement('option');
      o.value = p;
      list.appendChild(o);
    }
    const box = $('mechanisms');
    for (const m of S.app.mechanisms) {
      const div = document.createElement('div');
      div.className = 'mech';
      const sw = m.params.find((p) => p.name === 'enabled');
      const head = document.createElement('label');
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.dataset.path = sw.path;
      cb.dataset.type = 'boolean';
      cb.id = 'switch-' + m.key;
      head.appendChild(cb);
      head.append(' ' + m.title.replace(/`/g, ''));
      head.title = m.key;
      div.appendChild(head);
      const det = document.createElement('details');
      const sum = document.createElement('summary');
      sum.textContent = 'intensities';
      det.appendChild(sum);
      for (const p of m.params) {
        if (p.name === 'enabled' || (p.type !== 'float' && p.type !== 'integer')) continue;
        const l = document.createElement('label');
        l.title = `${p.doc} (${p.unit || 'no unit'})`;
        const span = document.createElement('span');
        span.textContent = p.name;
        const inp = document.createElement('input');
        inp.type = 'number';
        inp.step = p.type === 'integer' ? '1' : 'any';
        if (p.min !== null) inp.min = p.min;
        if (p.max !== null) inp.max = p.max;
        inp.dataset.path = p.path;
        inp.dataset.type = p.type;
        l.append(span, inp);
        det.appendChild(l);
      }
      div.appendChild(det);
      box.appendChild(div);
    }
  }

  function wire() {
    const control = (body) => attempt(() => api('POST', sessionPath('control'), body));
    $('play').onclick = () => control({ action: 'play' });
    $('pause').onclick = () => control({ action: 'pause' });
    $('step').onclick = () => control({ action: 'step', steps: 1 });
    $('step10').onclick = () => control({ action: 'step', steps: 10 });
    $('speed').onchange = () => control({ action: 'speed', speed: +$('speed').value });
    $('load').onclick = () => attempt(() => api('POST', sessionPath('reset'), { scenario: $('scenario').value }));
    $('upload').onchange = async () => {
      const f = $('upload').files[0];
      if (!f) return;
      const text = await f.text();
      await attempt(() => api('POST', sessionPath('reset'), { upload: { name: f.name, text } }));
      $('upload').value = '';
    };
    $('reset').onclick = () => attempt(() => api('POST', sessionPath('reset'), resetBody()));
    $('mechanisms').addEventListener('change', (e) => {
      const el = e.target;
      if (!el.dataset.path) return;
      const value = el.dataset.type === 'boolean' ? el.checked
        : el.dataset.type === 'integer' ? parseInt(el.value, 10) : parseFloat(el.value);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        showError(`${el.dataset.path}: not a number`);
        return;
      }
      steer({ [el.dataset.path]: value });
    });
    $('param-set').onclick = () => {
      const path = $('param-path').value.trim();
      const raw = $('param-value').value.trim();
      let value;
      try { value = JSON.parse(raw); } catch (_) { value = raw; }
      if (path) steer({ [path]: value });
    };
    $('add-chart').onclick = () => {
      const m = $('add-metric').value;
      if (!S.chartMetrics.includes(m)) {
        S.chartMetrics.push(m);
        buildCharts();
      }
    };
    $('export').onclick = () => attempt(async () => {
      const text = await api('GET', sessionPath('export'));
      const area = $('export-text');
      area.value = text;
      area.hidden = false;
      const name = (S.info ? S.info.name : 'scenario') + '_live.toml';
      $('run-command').textContent = `cogov run ${name} --seed ${S.info ? S.info.seeds[0] : ''}`;
      $('run-command').hidden = false;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/toml' }));
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
    $('place-metric').onchange = () => { drawDistrict(); drawCommunity(); };
    $('place-arm').onchange = () => drawDistrict();
    $('district').addEventListener('click', (e) => {
      const r = $('district').getBoundingClientRect();
      const x = e.clientX - r.left, y = e.clientY - r.top;
      const hit = S.rects.find((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h);
      S.community = hit ? hit.c : null;
      drawDistrict();
      loadCommunity();
    });
    window.addEventListener('resize', () => { buildCharts(); drawDistrict(); drawCommunity(); });
    setInterval(() => { if (S.community !== null && running()) loadCommunity(); }, 1000);
  }

  function resetBody() {
    const int = (id) => {
      const v = $(id).value.trim();
      return v === '' ? undefined : Number(v);
    };
    const world = {};
    for (const [id, key] of [['w-residents', 'world.residents'], ['w-streets', 'world.streets'],
      ['w-communities', 'world.communities'], ['w-grids', 'world.grids'], ['w-ticks', 'ticks']]) {
      const v = int(id);
      if (v !== undefined) world[key] = v;
    }
    const body = { world, reference: $('w-reference').value };
    const seed = $('w-seed').value.trim();
    if (seed !== '') body.seed = seed; // a string: large seeds keep every digit
    const r = int('w-replicates');
    if (r !== undefined) body.replicates = r;
    return body;
  }

  function when() {
    return document.querySelector('input[name=when]:checked').value;
  }

  async function steer(set) {
    const ok = await attempt(() => api('POST', sessionPath('steer'), { set, when: when() }));
    if (ok === undefined) syncControls();
  }

  const running = () => S.status && (S.status.state === 'running' || S.status.state === 'warming_up');

  // ----- events --------------------------------------------------------------------------

  function onReset() {
    S.info = null;
    S.days = [];
    S.snapshot = null;
    S.community = null;
    $('community').textContent = '';
    S.communityChart = null;
    $('export-text').hidden = true;
  }

  function onSetup(d) {
    S.info = d.info;
    S.metricNames = d.metrics;
    const i = d.info;
    $('title').textContent = `${i.name} · ${i.label} · ${i.residents.toLocaleString()} residents · ${i.replicates} replicate${i.replicates > 1 ? 's' : ''} per arm · reference: ${i.reference}`;
    $('description').textContent = i.description;
    if ([...$('scenario').options].some((o) => o.value === i.label)) $('scenario').value = i.label;
    $('w-residents').value = i.residents;
    $('w-streets').value = i.layout.streets;
    $('w-communities').value = i.layout.community_street.length;
    $('w-grids').value = i.layout.grid_community.length;
    $('w-ticks').value = i.ticks;
    $('w-seed').value = i.seed;
    $('w-replicates').value = i.replicates;
    $('w-reference').value = i.reference;
    // A newly loaded scenario brings its own charts; a reset keeps the user's.
    if (S.chartMetrics === null || S.chartLabel !== i.label) {
      S.chartLabel = i.label;
      const wanted = (i.plot_metrics || []).filter((m) => S.metricNames.includes(m));
      S.chartMetrics = (wanted.length ? wanted : ['active_share', 'trust_institutional_mean', 'complaints']).slice(0, 4);
    }
    syncControls();
    buildCharts();
    drawDistrict();
    renderChanges();
  }

  function onStatus(s) {
    S.status = s;
    const el = $('status');
    el.dataset.state = s.state;
    const words = {
      building: `building worlds ${s.built[0]}/${s.built[1]}`,
      paused: 'paused',
      warming_up: `warm-up ${s.tick}/${s.warmup}`,
      running: 'running',
      finished: 'finished',
      failed: 'failed',
    };
    let text = `${words[s.state] || s.state} · day ${s.days}/${s.horizon}`;
    if (s.state === 'running' || s.state === 'warming_up') text += ` · ${Math.round(s.ticks_per_second)} ticks/s`;
    el.textContent = text;
    if (s.message) showError(s.message);
    const total = s.warmup + s.horizon;
    $('progress').firstElementChild.style.width = total ? `${(100 * s.tick) / total}%` : '0';
    $('play').disabled = s.state === 'finished' || s.state === 'building' || s.state === 'failed';
    $('step').disabled = $('play').disabled;
    $('step10').disabled = $('play').disabled;
    syncControls();
  }

  function onChanges(list) {
    S.changes = list;
    renderChanges();
    syncControls();
    S.redraw = true;
  }

  function onDays(d) {
    if (d.from !== S.days.length) return; // a stale frame from before a reset
    for (const row of d.rows) S.days.push(row);
    S.redraw = true;
  }

  function onSnapshot(s) {
    S.snapshot = s;
    drawDistrict();
    drawPipeline();
  }

  function renderChanges() {
    const ol = $('changes');
    ol.textContent = '';
    for (const c of S.changes) {
      const li = document.createElement('li');
      const sets = Object.entries(c.set).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ');
      li.textContent = `day ${c.day}: ${sets}${c.note ? ' (' + c.note + ')' : ''}`;
      ol.appendChild(li);
    }
    if (!S.changes.length) ol.textContent = 'none yet';
  }

  // The controls show the settings in force now: the start values, then the changes whose
  // day has begun (the next one takes effect at the start of its day).
  function syncControls() {
    if (!S.info) return;
    const values = Object.assign({}, S.info.mechanisms);
    const done = S.status ? S.status.days : 0;
    for (const c of S.changes) {
      if (c.day <= done) Object.assign(values, c.set);
    }
    for (const el of document.querySelectorAll('#mechanisms [data-path]')) {
      if (document.activeElement === el) continue;
      const v = values[el.dataset.path];
      if (v === undefined) continue;
      if (el.type === 'checkbox') el.checked = !!v;
      else el.value = v;
    }
  }

  // ----- charts --------------------------------------------------------------------------

  function buildCharts() {
    if (!S.info || typeof uPlot === 'undefined') return;
    const box = $('charts');
    box.textContent = '';
    S.charts = [];
    const width = Math.max(300, Math.min(box.clientWidth || 600, 900) / (box.clientWidth > 960 ? 2 : 1) - 24);
    for (const name of S.chartMetrics) {
      const k = S.metricNames.indexOf(name);
      if (k < 0) continue;
      const meta = S.app.metrics.find((m) => m.name === name);
      const card = document.createElement('div');
      card.className = 'chart';
      card.dataset.metric = name;
      const head = document.createElement('div');
      head.className = 'head';
      const title = document.createElement('b');
      title.textContent = name;
      title.title = meta ? `${meta.doc} (${meta.unit})` : name;
      const close = document.createElement('button');
      close.textContent = '×';
      close.title = 'remove this chart';
      close.onclick = () => {
        S.chartMetrics = S.chartMetrics.filter((m) => m !== name);
        buildCharts();
      };
      head.append(title, close);
      const readout = document.createElement('div');
      readout.className = 'readout';
      const main = document.createElement('div');
      const diff = document.createElement('div');
      card.append(head, readout, main, diff);
      box.appendChild(card);
      const unit = meta ? meta.unit : '';
      const mainPlot = new uPlot(mainOptions(unit, width), [[], [], [], [], [], [], []], main);
      const diffPlot = S.info.reference === 'none' ? null
        : new uPlot(diffOptions(unit, width), [[], [], [], [], []], diff);
      S.charts.push({ metric: name, k, main: mainPlot, diff: diffPlot, readout });
    }
    S.redraw = true;
  }

  function markers(u) {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = '#7a4fb0';
    ctx.fillStyle = '#7a4fb0';
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.5 * devicePixelRatio;
    const seen = new Set();
    for (const c of S.changes) {
      if (seen.has(c.day)) continue;
      seen.add(c.day);
      const x = Math.round(u.valToPos(c.day, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x - 5 * devicePixelRatio, u.bbox.top);
      ctx.lineTo(x + 5 * devicePixelRatio, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + 7 * devicePixelRatio);
      ctx.fill();
    }
    ctx.restore();
  }

  function xScale() {
    return { time: false, range: () => [0, Math.max(1, S.info ? S.info.ticks - 1 : 1)] };
  }

  function mainOptions(unit, width) {
    const hidden = { stroke: 'transparent', points: { show: false } };
    return {
      width, height: 190,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: xScale() },
      axes: [{ label: 'day', size: 36 }, { label: unit, size: 56 }],
      series: [
        {},
        Object.assign({ label: 'explored low' }, hidden),
        Object.assign({ label: 'explored high' }, hidden),
        { label: 'explored', stroke: COLOR.explored, width: 2, points: { show: false } },
        Object.assign({ label: 'reference low' }, hidden),
        Object.assign({ label: 'reference high' }, hidden),
        { label: 'reference', stroke: COLOR.reference, width: 2, points: { show: false } },
      ],
      bands: [
        { series: [2, 1], fill: BAND.explored },
        { series: [5, 4], fill: BAND.reference },
      ],
      hooks: { draw: [markers] },
    };
  }

  function diffOptions(unit, width) {
    return {
      width, height: 120,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: xScale() },
      axes: [{ size: 30 }, { label: 'difference', size: 56 }],
      series: [
        {},
        { label: 'low', stroke: 'transparent', points: { show: false } },
        { label: 'high', stroke: 'transparent', points: { show: false } },
        { label: 'difference', stroke: COLOR.diff, width: 2, points: { show: false } },
        { label: 'zero', stroke: '#999', width: 1, dash: [3, 3], points: { show: false } },
      ],
      bands: [{ series: [2, 1], fill: BAND.diff }],
      hooks: { draw: [markers] },
    };
  }

  function updateCharts() {
    const n = S.days.length;
    const x = new Array(n);
    for (let d = 0; d < n; d++) x[d] = d;
    for (const c of S.charts) {
      const cols = [];
      for (let j = 0; j < PER_METRIC; j++) cols.push(new Array(n));
      const base = c.k * PER_METRIC;
      for (let d = 0; d < n; d++) {
        const row = S.days[d];
        for (let j = 0; j < PER_METRIC; j++) cols[j][d] = num(row[base + j]);
      }
      c.main.setData([x, cols[1], cols[2], cols[0], cols[4], cols[5], cols[3]]);
      if (c.diff) c.diff.setData([x, cols[7], cols[8], cols[6], new Array(n).fill(0)]);
      if (n) {
        const last = S.days[n - 1];
        const v = (j) => num(last[base + j]);
        let text = `day ${n - 1}: explored ${fmt(v(0))}`;
        if (S.info.reference !== 'none') {
          text += ` · reference ${fmt(v(3))} · <span class="d">difference ${fmt(v(6))} [${fmt(v(7))}, ${fmt(v(8))}]</span>`;
        }
        c.readout.innerHTML = text;
        c.readout.dataset.day = n - 1;
        c.readout.dataset.diff = v(6) === null ? '' : v(6);
        c.readout.dataset.low = v(7) === null ? '' : v(7);
        c.readout.dataset.high = v(8) === null ? '' : v(8);
      } else {
        c.readout.textContent = '';
      }
    }
  }

  function frame() {
    if (S.redraw) {
      S.redraw = false;
      updateCharts();
    }
    requestAnimationFrame(frame);
  }

  // ----- district ------------------------------------------------------------------------

  // Streets are columns (width by residents), communities stack inside them (height by
  // residents), grids split each community into columns (width by residents).
  function layoutRects(W, H) {
    const L = S.info.layout;
    const rects = [];
    const communities = L.community_street.map((s, c) => ({ c, s, n: L.community_residents[c] }));
    const total = communities.reduce((a, b) => a + b.n, 0) || 1;
    let x = 0;
    for (let s = 0; s < L.streets; s++) {
      const cs = communities.filter((c) => c.s === s);
      const sn = cs.reduce((a, b) => a + b.n, 0);
      const w = (W * sn) / total;
      let y = 0;
      for (const c of cs) {
        const h = (H * c.n) / (sn || 1);
        const grids = [];
        const gs = L.grid_community.map((gc, g) => ({ g, gc })).filter((o) => o.gc === c.c);
        const gn = gs.reduce((a, o) => a + L.grid_residents[o.g], 0) || 1;
        let gx = x;
        for (const o of gs) {
          const gw = (w * L.grid_residents[o.g]) / gn;
          grids.push({ g: o.g, x: gx, y, w: gw, h });
          gx += gw;
        }
        rects.push({ c: c.c, x, y, w, h, grids });
        y += h;
      }
      x += w;
    }
    return rects;
  }

  function colour(t, diverging) {
    t = Math.max(0, Math.min(1, t));
    if (diverging) {
      // blue (negative) – white – red (positive)
      const a = t < 0.5 ? [33, 102, 172] : [178, 24, 43];
      const f = Math.abs(t - 0.5) * 2;
      return `rgb(${Math.round(255 + (a[0] - 255) * f)},${Math.round(255 + (a[1] - 255) * f)},${Math.round(255 + (a[2] - 255) * f)})`;
    }
    // a light-to-dark blue-green ramp
    const stops = [[247, 252, 240], [168, 221, 181], [78, 179, 211], [8, 104, 172], [8, 48, 107]];
    const p = t * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(p));
    const f = p - i;
    const c = stops[i].map((v, j) => Math.round(v + (stops[i + 1][j] - v) * f));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  function drawDistrict() {
    const canvas = $('district');
    if (!S.info) return;
    const W = canvas.clientWidth || 600;
    const H = 360;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = W * dpr;
    canvas.height = H * dpr;
    canvas.style.height = H + 'px';
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const rects = layoutRects(W, H);
    S.rects = rects;
    const k = +$('place-metric').value;
    const armSel = $('place-arm').value;
    const snap = S.snapshot;
    let value = () => null;
    let diverging = false;
    if (snap && snap.arms.length) {
      if (armSel === 'diff' && snap.arms.length > 1) {
        diverging = true;
        value = (g) => snap.arms[0].grids[g][k] - snap.arms[1].grids[g][k];
      } else {
        const a = snap.arms[Math.min(+armSel || 0, snap.arms.length - 1)];
        value = (g) => a.grids[g][k];
      }
    }
    const vals = [];
    for (const r of rects) for (const g of r.grids) { const v = value(g.g); if (v !== null && Number.isFinite(v)) vals.push(v); }
    let lo = Math.min(...vals), hi = Math.max(...vals);
    if (!vals.length) { lo = 0; hi = 1; }
    if (diverging) { const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; lo = -m; hi = m; }
    if (hi - lo < 1e-12) { hi = lo + 1; }
    for (const r of rects) {
      for (const g of r.grids) {
        const v = value(g.g);
        ctx.fillStyle = v === null || !Number.isFinite(v) ? '#eee' : colour((v - lo) / (hi - lo), diverging);
        ctx.fillRect(g.x, g.y, g.w, g.h);
        ctx.strokeStyle = 'rgba(255,255,255,0.7)';
        ctx.lineWidth = 0.5;
        ctx.strokeRect(g.x, g.y, g.w, g.h);
      }
      ctx.strokeStyle = r.c === S.community ? '#000' : '#333';
      ctx.lineWidth = r.c === S.community ? 3 : 1;
      ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
      if (r.w > 28 && r.h > 14) {
        ctx.fillStyle = 'rgba(0,0,0,0.75)';
        ctx.font = '11px "DejaVu Sans", sans-serif';
        ctx.fillText('c' + r.c, r.x + 3, r.y + 12);
      }
    }
    // Streets: thick separators.
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    const xs = new Set(rects.map((r) => r.x));
    for (const x of xs) { ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, H); ctx.stroke(); }
    legend(lo, hi, diverging);
  }

  function legend(lo, hi, diverging) {
    const box = $('district-legend');
    box.textContent = '';
    const c = document.createElement('canvas');
    c.width = 200;
    c.height = 10;
    const ctx = c.getContext('2d');
    for (let i = 0; i < 200; i++) { ctx.fillStyle = colour(i / 199, diverging); ctx.fillRect(i, 0, 1, 10); }
    const a = document.createElement('span'); a.textContent = fmt(lo);
    const b = document.createElement('span'); b.textContent = fmt(hi);
    const m = S.app.place_metrics[+$('place-metric').value];
    const t = document.createElement('span'); t.className = 'muted';
    t.textContent = `${m.name}${diverging ? ' (explored − reference)' : ''}: ${m.doc}`;
    box.append(a, c, b, t);
  }

  async function loadCommunity() {
    if (S.community === null || !S.id) { $('community').textContent = ''; S.communityChart = null; return; }
    try {
      S.communityData = await api('GET', sessionPath(`community?c=${S.community}`));
      drawCommunity();
    } catch (e) {
      showError(e.message);
    }
  }

  function drawCommunity() {
    const d = S.communityData;
    const box = $('community');
    if (S.community === null || !d || d.community !== S.community || !S.info) { box.textContent = ''; return; }
    const k = +$('place-metric').value;
    const m = S.app.place_metrics[k];
    const base = k * PER_PLACE_METRIC;
    const col = (j) => d.values.map((v) => num(v[base + j]));
    const data = [d.days, col(1), col(2), col(0), col(4), col(5), col(3)];
    box.textContent = '';
    const h = document.createElement('b');
    h.textContent = `community ${S.community}: ${m.name}`;
    box.appendChild(h);
    const div = document.createElement('div');
    box.appendChild(div);
    const opts = mainOptions(m.unit, Math.max(300, box.clientWidth - 10));
    opts.height = 170;
    S.communityChart = new uPlot(opts, data, div);
  }

  // ----- pipeline ------------------------------------------------------------------------

  function drawPipeline() {
    const t = $('pipeline');
    const s = S.snapshot;
    if (!s) return;
    const stages = ['latent', 'known', 'routed', 'deliberation', 'funding', 'working'];
    const closed = ['resolved', 'failed', 'escalated'];
    t.textContent = '';
    const head = t.createTHead().insertRow();
    const th = (text, cls) => { const e = document.createElement('th'); e.textContent = text; if (cls) e.className = cls; head.appendChild(e); };
    th('');
    stages.forEach((x, i) => th((i ? '→ ' : '') + x));
    closed.forEach((x, i) => th(x + (i === 0 ? ' (since day 0)' : ''), i === 0 ? 'sep' : ''));
    const names = ['explored', 'reference'];
    const body = t.createTBody();
    s.arms.forEach((a, i) => {
      const row = body.insertRow();
      const c0 = row.insertCell();
      c0.textContent = names[i];
      c0.style.color = COLOR[names[i]];
      for (const x of stages) row.insertCell().textContent = fmt(a.pipeline[x]);
      closed.forEach((x, j) => { const c = row.insertCell(); c.textContent = fmt(a.pipeline[x]); if (j === 0) c.className = 'sep'; });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
