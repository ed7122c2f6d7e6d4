// MovaCluster operator dashboard: one live frame per sample over server-sent events (read with fetch so the
// operator key travels in the Authorization header, never in a URL), rendered in place without reloads.
'use strict';
(() => {
  const PRIORITIES = ['Interactive', 'Standard', 'Batch'];
  const TERMINAL = new Set(['Completed', 'Failed', 'Cancelled']);
  const $ = (id) => document.getElementById(id);
  const previews = new Map(); // job id -> { seq, url }
  let key = null;

  function readKey() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get('key')) {
      sessionStorage.setItem('mova-operator-key', hash.get('key'));
      history.replaceState(null, '', location.pathname);
    }
    return sessionStorage.getItem('mova-operator-key');
  }

  function askForKey(message) {
    $('key-form').hidden = false;
    $('key-error').textContent = message || '';
    setLive(false, 'no key');
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    key = $('key-input').value.trim();
    sessionStorage.setItem('mova-operator-key', key);
    $('key-form').hidden = true;
    connect();
  });

  function setLive(on, text) {
    $('live').textContent = text;
    $('live').classList.toggle('off', !on);
  }

  function api(path, init = {}) {
    return fetch('/dashboard/api' + path, { ...init, headers: { ...(init.headers || {}), Authorization: 'Bearer ' + key } });
  }

  async function connect() {
    setLive(false, 'connecting…');
    try {
      const response = await api('/stream', { headers: { Accept: 'text/event-stream' } });
      if (response.status === 401 || response.status === 403) {
        sessionStorage.removeItem('mova-operator-key');
        askForKey(response.status === 401 ? 'That key is not valid.' : 'That key is not an operator key.');
        return;
      }
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      setLive(true, 'live');
      showPlan();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) render(JSON.parse(data));
        }
      }
    } catch (error) {
      console.warn('dashboard stream', error);
    }
    setLive(false, 'reconnecting…');
    setTimeout(connect, 2000);
  }

  async function showPlan() {
    const response = await api('/plan');
    if (!response.ok) return;
    const p = await response.json();
    $('plan-note').textContent = p.plan
      ? `Execution plan: ${p.plan} (${p.reason}) for ${p.gpuCount} × ${p.gpu} at ${p.resolution}; predicted ` +
        `${p.predictedJobsPerHour.toFixed(2)} jobs/h, ${Math.round(p.predictedLatencySeconds)} s per job, ` +
        `peak ${p.peakDeviceGiB.toFixed(1)} GiB per device, ${p.replicas} replica(s) of ${p.gpusPerReplica} GPU(s), experts ${p.expertResidency}.`
      : `Execution plan: none fits the configured fleet (${p.gpuCount} × ${p.gpu}): ${p.error}`;
  }

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props);
    for (const child of children) node.append(child);
    return node;
  }

  function fmtSeconds(seconds) {
    if (seconds == null) return '–';
    if (seconds < 60) return seconds.toFixed(seconds < 10 ? 1 : 0) + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' m ' + Math.round(seconds % 60) + ' s';
    return Math.floor(seconds / 3600) + ' h ' + Math.round((seconds % 3600) / 60) + ' m';
  }

  function fmtAgo(iso, now) {
    return fmtSeconds(Math.max(0, (now - Date.parse(iso)) / 1000)) + ' ago';
  }

  function fmtBytes(bytes) {
    if (bytes == null) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i ? 1 : 0) + ' ' + units[i];
  }

  function toast(text) {
    const box = $('toast');
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  async function act(path, label) {
    const response = await api(path, { method: 'POST' });
    if (!response.ok) {
      let message = 'HTTP ' + response.status;
      try { message = (await response.json()).detail || message; } catch { /* keep the status */ }
      toast(label + ' failed: ' + message);
    } else {
      toast(label + ' sent');
    }
  }

  // Keyed rows: created once, then updated in place so focus, selects and images survive each frame.
  function syncRows(tbody, items, id, create, update) {
    const existing = new Map([...tbody.rows].map((row) => [row.dataset.key, row]));
    let previous = null;
    for (const item of items) {
      const rowKey = id(item);
      let row = existing.get(rowKey);
      if (!row) {
        row = create(item);
        row.dataset.key = rowKey;
      }
      existing.delete(rowKey);
      update(row, item);
      const expected = previous ? previous.nextSibling : tbody.firstChild;
      if (row !== expected) tbody.insertBefore(row, expected);
      previous = row;
    }
    for (const stale of existing.values()) stale.remove();
  }

  function renderDepth(frame) {
    const tbody = $('depth').tBodies[0];
    syncRows(tbody, frame.depth, (d) => d.priority + '/' + d.tenant,
      () => el('tr', {}, el('td'), el('td'), el('td', { className: 'num' }), el('td', { className: 'num' })),
      (row, d) => {
        row.cells[0].textContent = d.priority;
        row.cells[1].textContent = d.tenant;
        row.cells[2].textContent = d.queued;
        row.cells[3].textContent = d.running;
      });
    $('depth-empty').hidden = frame.depth.length > 0;
  }

  function createJobRow(job) {
    const fill = el('div', { className: 'fill' });
    const text = el('span', { className: 'text' });
    const bar = el('div', { className: 'bar' }, fill, text);
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    const select = el('select', { className: 'priority-select', title: 'Re-prioritise (queued jobs)' });
    for (const p of PRIORITIES) select.append(el('option', { value: p, textContent: p }));
    select.addEventListener('change', () => act('/jobs/' + encodeURIComponent(job.id) + '/priority/' + select.value, 'Re-prioritise ' + job.id));
    const cancel = el('button', { className: 'danger cancel-job', type: 'button', textContent: 'Cancel' });
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      act('/jobs/' + encodeURIComponent(job.id) + '/cancel', 'Cancel ' + job.id);
    });
    const row = el('tr', {},
      el('td', {}, el('code', { textContent: job.id })), el('td'), el('td', {}, select), el('td'), el('td'),
      el('td', {}, bar), el('td'), el('td', {}, el('img', { className: 'preview', alt: '', hidden: true })), el('td', {}, cancel));
    row.dataset.jobId = job.id;
    return row;
  }

  function updateJobRow(row, job) {
    const [, tenant, priority, state, phase, progress, eta, preview, actions] = row.cells;
    tenant.textContent = job.tenant;
    const select = priority.firstChild;
    if (document.activeElement !== select) select.value = job.priority;
    select.disabled = job.state !== 'Queued';
    state.textContent = job.state + (job.cancelRequested && !TERMINAL.has(job.state) ? ' (cancelling)' : '') + (job.attempt > 1 ? ' · attempt ' + job.attempt : '');
    state.className = 'state-' + job.state;
    if (job.error) state.title = job.error;
    phase.textContent = job.state === 'Running' ? job.phase : (job.state === 'Queued' && job.position != null ? 'position ' + (job.position + 1) : '');
    const bar = progress.firstChild;
    const percent = job.steps > 0 ? Math.min(100, (100 * job.step) / job.steps) : 0;
    bar.firstChild.style.width = percent + '%';
    bar.lastChild.textContent = 'step ' + job.step + ' of ' + job.steps;
    bar.dataset.step = job.step;
    bar.dataset.steps = job.steps;
    bar.setAttribute('aria-valuenow', String(job.step));
    bar.setAttribute('aria-valuemax', String(job.steps));
    eta.textContent = TERMINAL.has(job.state) ? '' : fmtSeconds(job.etaSeconds);
    showPreview(preview.firstChild, job);
    actions.firstChild.hidden = TERMINAL.has(job.state);
  }

  async function showPreview(img, job) {
    if (job.previewSequence == null) return;
    const known = previews.get(job.id);
    if (known && known.seq >= job.previewSequence) {
      if (img.src !== known.url) { img.src = known.url; img.hidden = false; }
      return;
    }
    previews.set(job.id, { seq: job.previewSequence, url: known ? known.url : '' });
    const response = await api('/jobs/' + encodeURIComponent(job.id) + '/preview');
    if (!response.ok) return;
    const url = URL.createObjectURL(await response.blob());
    if (known && known.url) URL.revokeObjectURL(known.url);
    previews.set(job.id, { seq: job.previewSequence, url });
    img.src = url;
    img.alt = 'preview of ' + job.id + ' at sequence ' + job.previewSequence;
    img.hidden = false;
  }

  function renderJobs(frame) {
    syncRows($('jobs').tBodies[0], frame.jobs, (j) => j.id, createJobRow, updateJobRow);
    $('jobs-empty').hidden = frame.jobs.length > 0;
    const shown = new Set(frame.jobs.map((j) => j.id));
    for (const [id, entry] of previews) {
      if (!shown.has(id)) { if (entry.url) URL.revokeObjectURL(entry.url); previews.delete(id); }
    }
  }

  function renderWorkers(frame) {
    syncRows($('workers').tBodies[0], frame.workers, (w) => w.id,
      () => el('tr', {}, el('td'), el('td'), el('td'), el('td'), el('td'), el('td'), el('td', {}, el('div', { className: 'timeline' }))),
      (row, w) => {
        row.cells[0].textContent = w.id;
        row.cells[1].textContent = w.device;
        row.cells[2].textContent = w.silo;
        row.cells[3].textContent = w.model + (w.shards.length ? ' · ' + w.shards.join(', ') : '') + (w.outputIsNoise ? ' (random weights)' : '');
        row.cells[4].textContent = w.job || 'idle';
        row.cells[5].textContent = w.phase || '';
        const timeline = row.cells[6].firstChild;
        while (timeline.children.length < w.utilisation.length) timeline.append(el('span'));
        while (timeline.children.length > w.utilisation.length) timeline.lastChild.remove();
        w.utilisation.forEach((u, i) => {
          const bar = timeline.children[i];
          bar.style.height = Math.round(u * 100) + '%';
          bar.title = Math.round(u * 100) + '% busy, ' + Math.round((w.utilisation.length - i) * w.utilisationBucketSeconds) + ' s ago';
        });
        const recent = w.utilisation.length ? w.utilisation.reduce((a, b) => a + b, 0) / w.utilisation.length : 0;
        timeline.title = Math.round(recent * 100) + '% busy over the last 10 minutes';
      });
    $('workers-empty').hidden = frame.workers.length > 0;
  }

  function renderSilos(frame) {
    const now = Date.parse(frame.sampledAt);
    syncRows($('silos').tBodies[0], frame.silos, (s) => s.address,
      () => el('tr', {}, el('td'), el('td', {}, el('code')), el('td'), el('td'), el('td'),
        el('td', { className: 'num' }), el('td', { className: 'num' }), el('td', { className: 'num' })),
      (row, s) => {
        row.cells[0].textContent = s.name;
        row.cells[1].firstChild.textContent = s.address;
        row.cells[2].textContent = s.host;
        row.cells[3].textContent = s.status + (s.overloaded ? ' · overloaded' : '');
        row.cells[3].className = 'status-' + s.status;
        row.cells[4].textContent = fmtAgo(s.lastAlive, now);
        row.cells[5].textContent = s.activations ?? '–';
        row.cells[6].textContent = s.cpuPercent == null ? '–' : s.cpuPercent.toFixed(0) + ' %';
        row.cells[7].textContent = fmtBytes(s.memoryBytes);
      });
  }

  // Grouped bar chart in an SVG: series = [{ values, color }], labels under each group.
  function barChart(svg, labels, series, format) {
    const width = svg.clientWidth || 300, height = svg.clientHeight || 160, pad = 18;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.replaceChildren();
    const ns = 'http://www.w3.org/2000/svg';
    const max = Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v != null)));
    const text = (x, y, content, anchor) => {
      const t = document.createElementNS(ns, 'text');
      t.setAttribute('x', x); t.setAttribute('y', y); t.setAttribute('text-anchor', anchor || 'middle');
      t.textContent = content;
      svg.append(t);
    };
    if (max <= 0) { text(width / 2, height / 2, 'no data yet'); return; }
    text(4, 10, format(max), 'start');
    const group = (width - 2 * pad) / labels.length, bar = Math.max(1, (group - 4) / series.length);
    labels.forEach((label, i) => {
      series.forEach((s, k) => {
        const v = s.values[i];
        if (v == null || v <= 0) return;
        const h = ((height - 2 * pad) * v) / max;
        const r = document.createElementNS(ns, 'rect');
        r.setAttribute('x', pad + i * group + 2 + k * bar); r.setAttribute('y', height - pad - h);
        r.setAttribute('width', bar - 1); r.setAttribute('height', h); r.setAttribute('fill', s.color);
        const title = document.createElementNS(ns, 'title');
        title.textContent = label + ': ' + format(v);
        r.append(title);
        svg.append(r);
      });
      if (labels.length <= 12 || i % 2 === labels.length % 2) text(pad + i * group + group / 2, height - 5, label);
    });
  }

  function renderCharts(frame) {
    const css = getComputedStyle(document.documentElement);
    const color = (name) => css.getPropertyValue(name).trim();
    const labels = frame.hours.map((h) => new Date(h.hour).toISOString().slice(11, 13) + 'h');
    barChart($('chart-jobs'), labels, [
      { values: frame.hours.map((h) => h.completed), color: color('--ok') },
      { values: frame.hours.map((h) => h.failed), color: color('--fail') },
      { values: frame.hours.map((h) => h.cancelled), color: color('--cancel') },
    ], (v) => String(Math.round(v)));
    barChart($('chart-wait'), labels, [
      { values: frame.hours.map((h) => h.waitP50Seconds), color: color('--accent') },
      { values: frame.hours.map((h) => h.waitP95Seconds), color: color('--p95') },
    ], fmtSeconds);
    barChart($('chart-step'), labels, [{ values: frame.hours.map((h) => h.secondsPerStep), color: color('--accent') }],
      (v) => v.toFixed(v < 1 ? 3 : 1) + ' s');
  }

  function render(frame) {
    $('sampled').textContent = 'sampled ' + new Date(frame.sampledAt).toLocaleTimeString();
    $('sum-queued').textContent = frame.queued;
    $('sum-running').textContent = frame.running;
    $('sum-workers').textContent = frame.workers.length;
    $('sum-requeued').textContent = frame.requeued;
    $('sum-step').textContent = frame.millisecondsPerStep == null ? '–' : (frame.millisecondsPerStep / 1000).toFixed(3);
    renderDepth(frame);
    renderJobs(frame);
    renderWorkers(frame);
    renderSilos(frame);
    renderCharts(frame);
    const problems = $('problems');
    problems.hidden = frame.problems.length === 0;
    problems.textContent = frame.problems.join(' · ');
  }

  key = readKey();
  if (key) connect(); else askForKey();
})();
