// Vertiq dashboard: plain JS over the REST API, refreshed every 2 seconds.
'use strict';
const history = {};            // queue -> [jobs/s samples]
const sparks = {};             // queue -> runs per minute of its last hour (from its history), once read
let selected = null;
let token = localStorage.getItem('vertiq.token') || '';

async function api(method, path, body) {
  const headers = {};
  if (token) headers['Authorization'] = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    token = prompt('This Vertiq needs an API token') || '';
    localStorage.setItem('vertiq.token', token);
    throw new Error('unauthorized');
  }
  const json = await res.json();
  if (!res.ok) throw new Error(json.message || res.statusText);
  return json;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => (k.startsWith('on') ? (e[k] = v) : e.setAttribute(k, v)));
  children.forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return e;
}

/**
 * Draws rows keyed by `attr` in place: a row whose key stays keeps its element, and so does each cell whose markup
 * is unchanged (a canvas is always redrawn). A refresh then does not pull a row out from under a click, a text
 * selection or a browser test holding it. `make(item)` gives [key, cells, onclick].
 */
function renderRows(tbody, attr, items, make) {
  const old = new Map([...tbody.children].map(tr => [tr.getAttribute(attr), tr]));
  items.forEach((item, i) => {
    const [key, cells, onclick] = make(item);
    let tr = old.get(String(key));
    if (tr) {
      old.delete(String(key));
      cells.forEach((td, j) => {
        const cur = tr.children[j];
        if (!cur) tr.append(td);
        else if (td.querySelector('canvas') || cur.outerHTML !== td.outerHTML) cur.replaceWith(td);
      });
    } else {
      tr = el('tr', { class: 'clickable', [attr]: key, onclick }, ...cells);
    }
    if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] || null);
  });
  old.forEach(tr => tr.remove());
}

/** A wait as people read it: 850 ms, 12.3 s, 4.5 min, 2.1 h. */
function age(ms) {
  if (ms < 1000) return ms + ' ms';
  if (ms < 60_000) return (ms / 1000).toFixed(1) + ' s';
  if (ms < 3_600_000) return (ms / 60_000).toFixed(1) + ' min';
  return (ms / 3_600_000).toFixed(1) + ' h';
}

function time(ms) { return ms ? new Date(ms).toLocaleTimeString([], { timeZoneName: 'short' }) : ''; }

/** A time as "3 min ago" or "in 5 s", with the absolute time and its zone on hover (a <time> element). */
function when(ms) {
  if (!ms) return '';
  const d = Date.now() - ms;
  const text = Math.abs(d) < 1000 ? 'now' : d > 0 ? age(d) + ' ago' : 'in ' + age(-d);
  const abs = new Date(ms).toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
    minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
  return el('time', { datetime: new Date(ms).toISOString(), title: abs }, text);
}

/** A time in a schedule's zone and, when it differs, in the viewer's: "03:00 CET (Berlin) · 02:00 UTC here". */
function zoned(ms, tz) {
  // (dateStyle cannot be combined with timeZoneName)
  const opts = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  let there;
  try { there = new Date(ms).toLocaleString([], { ...opts, timeZone: tz }); } catch (e) { there = tz; }
  const here = new Date(ms).toLocaleString([], opts);
  const viewer = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return viewer === tz ? there : there + ' (' + tz + ') · ' + here + ' here';
}

/** A job's id as a link to its page (rows are clickable too, but a link is reachable by keyboard). */
function jobLink(queue, id) {
  return el('a', { href: '#/queues/' + encodeURIComponent(queue) + '/jobs/' + encodeURIComponent(id), onclick: e => e.stopPropagation() }, id);
}

/** The runs per minute of a history's last hour (a shorter history is padded with zeros in front). */
function lastHour(h) {
  const runs = h.completed.map((c, i) => c + h.failed[i]).slice(-60);
  return Array(60 - runs.length).fill(0).concat(runs);
}

function spark(values) {
  const c = el('canvas', { width: 160, height: 28 });
  const g = c.getContext('2d');
  const max = Math.max(1, ...values);
  g.strokeStyle = '#3367d6';
  g.lineWidth = 1.5;
  g.beginPath();
  values.forEach((v, i) => {
    const x = (i / Math.max(1, 59)) * 158 + 1, y = 27 - (v / max) * 25;
    i ? g.lineTo(x, y) : g.moveTo(x, y);
  });
  g.stroke();
  return c;
}

async function refresh() {
  try {
    if (!document.body.dataset.role) await loadRole();
    const data = await api('GET', '/queues');
    document.getElementById('status').textContent = 'updated ' + new Date().toLocaleTimeString();
    const rel = data.reload || {};
    const relEl = document.getElementById('reload');
    relEl.textContent = rel.status === 'rejected' ? 'last conf reload REJECTED: ' + (rel.errors || []).join('; ')
      : rel.status === 'accepted' ? 'conf reloaded ' + time(rel.at) + ': ' + (rel.changes || []).join(', ') : '';
    relEl.className = rel.status === 'rejected' ? 'rejected' : 'muted';
    const shown = view === 'queue' ? data.queues.filter(q => q.queue === selected) : data.queues;
    if (view === 'overview') await showSummary(data);
    renderRows(document.querySelector('#queues tbody'), 'data-queue', shown, q => {
      const h = (history[q.queue] = history[q.queue] || []);
      h.push(q.throughput || 0);
      if (h.length > 60) h.shift();
      const c = q.counts;
      const pause = el('button', { 'data-role': 'operate', onclick: e => { e.stopPropagation(); act(q.queue, q.paused ? 'resume' : 'pause'); } },
        q.paused ? 'Resume' : 'Pause');
      const w = q.workers ? q.workers.instances + ' × ' + q.workers.concurrency + ' (' + q.workers.threading + ')' : q.served === false ? 'no workers' : 'on other nodes';
      return [q.queue, [
        el('td', {}, el('a', { href: '#/queues/' + encodeURIComponent(q.queue), onclick: e => e.stopPropagation() }, q.queue),
          q.paused ? el('span', { class: 'paused' }, ' paused') : ''),
        el('td', { class: 'num ready' }, c.ready), el('td', { class: 'num' }, c.delayed), el('td', { class: 'num' }, c.active),
        el('td', { class: 'num completed', title: 'kept by retention / completed since the queue began' },
          c.completed + ' / ' + (q.totals.completed || 0)), el('td', { class: 'num dead' }, c.dead),
        el('td', { class: 'num latency', title: 'how long the next job to run has been waiting' }, age(q.latencyMs || 0)),
        el('td', { class: 'num' }, (q.throughput || 0).toFixed(1)),
        el('td', { title: sparks[q.queue] ? 'runs per minute, the last hour' : 'jobs/s since this page opened' }, spark(sparks[q.queue] || h)),
        el('td', {}, w), el('td', {}, pause)],
        () => select(q.queue)];
    });
    if (view === 'overview' || view === 'nodes') await showNodes();
    if (view === 'queue') await showQueue(selected);
    if (view === 'schedules') await showAllSchedules(data.queues.map(q => q.queue));
    if (view === 'flows') await showAllFlows(data.queues.map(q => q.queue));
  } catch (e) {
    document.getElementById('status').textContent = 'error: ' + e.message;
  }
}

/**
 * The overview's figures: jobs processed and failed since midnight here (from each queue's minute history), the
 * rate now, running and dead jobs, the nodes, the Redis server and the newest failures of every queue. The history
 * and failures are read again every 30 s, the rest at every refresh.
 */
const summary = { at: 0 };
async function showSummary(data) {
  const sum = f => data.queues.reduce((n, q) => n + f(q), 0);
  document.getElementById('sum-rate').textContent = sum(q => q.throughput || 0).toFixed(1);
  document.getElementById('sum-running').textContent = sum(q => q.counts.active);
  document.getElementById('sum-dead').textContent = sum(q => q.counts.dead);
  if (Date.now() - summary.at < 30_000) return;
  summary.at = Date.now();
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const minutes = Math.min(1440, Math.max(1, Math.ceil((Date.now() - midnight) / 60_000)));
  const names = data.queues.map(q => q.queue);
  const [histories, redis, nodes, fails] = await Promise.all([
    Promise.all(names.map(q => api('GET', '/queues/' + encodeURIComponent(q) + '/history?minutes=' + minutes))),
    api('GET', '/redis'), api('GET', '/nodes'),
    Promise.all(names.map(q => api('GET', '/queues/' + encodeURIComponent(q) + '/failures?limit=10')
      .then(f => f.failures.map(x => ({ ...x, queue: q })))))]);
  const total = key => histories.reduce((n, h) => n + h[key].reduce((a, b) => a + b, 0), 0);
  names.forEach((q, i) => { sparks[q] = lastHour(histories[i]); });
  document.getElementById('sum-processed').textContent = total('completed').toLocaleString();
  document.getElementById('sum-failed').textContent = total('failed').toLocaleString();
  document.getElementById('sum-nodes').textContent = nodes.nodes.length;
  const mb = b => (b / 1048576).toFixed(1) + ' MiB';
  document.getElementById('redis-info').textContent = redis.server + ' · memory ' + mb(redis.usedMemory)
    + (redis.maxMemory ? ' of ' + mb(redis.maxMemory) + ' (' + Math.round(100 * redis.usedMemory / redis.maxMemory) + '%)' : ' (no maxmemory)')
    + ' · ' + redis.clients + ' clients · up ' + age(redis.uptimeSeconds * 1000);
  const newest = fails.flat().sort((a, b) => b.at - a.at).slice(0, 10);
  document.querySelector('#all-failures tbody').replaceChildren(...newest.map(f => el('tr', {},
    el('td', {}, el('a', { href: '#/queues/' + encodeURIComponent(f.queue) }, f.queue)),
    el('td', {}, el('a', { href: '#/queues/' + encodeURIComponent(f.queue) + '/jobs/' + encodeURIComponent(f.id) }, f.id)),
    el('td', {}, when(f.at)), el('td', { class: 'err' }, f.error))));
}

/** Every schedule of every queue, its next fire in its own zone and the viewer's (read every 10 s). */
const allSchedules = { at: 0 };
async function showAllSchedules(queues) {
  if (Date.now() - allSchedules.at < 10_000) return;
  allSchedules.at = Date.now();
  const lists = await Promise.all(queues.map(q => api('GET', '/queues/' + encodeURIComponent(q) + '/schedules')
    .then(r => r.schedules.map(s => ({ ...s, queue: q })))));
  document.querySelector('#schedules-all tbody').replaceChildren(...lists.flat().map(s => el('tr', {},
    el('td', {}, el('a', { href: '#/queues/' + encodeURIComponent(s.queue) }, s.queue)), el('td', {}, s.name),
    el('td', {}, s.spec.cron ? s.spec.cron + ' ' + (s.spec.tz || 'UTC') : 'every ' + s.spec.every),
    el('td', {}, s.nextFireAt ? zoned(s.nextFireAt, s.spec.tz || 'UTC') : '—'), el('td', { class: 'num' }, s.fires),
    el('td', {}, s.paused ? 'paused' : 'active'))));
}

/**
 * The open flows and batches of every queue: the jobs waiting for their children (a flow's parent, a batch's record),
 * each with how many of its children it still waits for, linked to its page (which shows its children or the batch's
 * progress). Paged 50 per queue through the API's cursors: "Next page" moves every queue that has more.
 */
const allFlows = { at: 0, page: 0, cursors: [{}], more: false };
async function showAllFlows(queues) {
  if (Date.now() - allFlows.at < 5_000) return;
  allFlows.at = Date.now();
  const from = allFlows.cursors[allFlows.page];
  const pages = await Promise.all(queues.filter(q => allFlows.page === 0 || from[q] !== undefined)
    .map(q => api('GET', '/queues/' + encodeURIComponent(q) + '/jobs?state=waiting&limit=50&cursor=' + (from[q] || 0))
      .then(r => ({ queue: q, total: r.total, next: r.nextCursor, jobs: r.jobs.map(j => ({ ...j, queue: q })) }))));
  const next = {};
  pages.forEach(p => { if (p.next) next[p.queue] = p.next; });
  allFlows.cursors[allFlows.page + 1] = next;
  allFlows.more = Object.keys(next).length > 0;
  const total = pages.reduce((n, p) => n + p.total, 0);
  document.getElementById('flows-page').textContent = 'page ' + (allFlows.page + 1) + ' · ' + total.toLocaleString()
    + ' open in all' + (allFlows.more ? '' : ' (last page)');
  document.getElementById('flows-next').disabled = !allFlows.more;
  document.getElementById('flows-prev').disabled = allFlows.page === 0;
  const rows = pages.flatMap(p => p.jobs);
  const body = document.querySelector('#flows-all tbody');
  const left = j => {
    const f = j.flow || {};
    const all = f.children ? f.children.length : undefined;
    return f.waitingFor === undefined ? '' : all ? f.waitingFor + ' of ' + all : String(f.waitingFor);
  };
  body.replaceChildren(...rows.map(j => el('tr', { 'data-id': j.id }, el('td', {}, j.queue),
    el('td', {}, el('a', { href: '#/queues/' + encodeURIComponent(j.queue) + '/jobs/' + encodeURIComponent(j.id) }, j.id)),
    el('td', {}, j.name), el('td', {}, j.flow && j.flow.batch ? 'batch' : 'flow parent'),
    el('td', { class: 'num' }, left(j)), el('td', {}, when(j.createdAt)))));
  if (!rows.length) body.append(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'no open flow or batch')));
}
document.getElementById('flows-next').onclick = () => {
  if (!allFlows.more) return;
  allFlows.page++;
  allFlows.at = 0;
  refresh();
};
document.getElementById('flows-prev').onclick = () => {
  allFlows.page = Math.max(0, allFlows.page - 1);
  allFlows.at = 0;
  refresh();
};

/**
 * Every live node (the node registry in Redis): what it runs, and the jobs running on it now (up to 10 a queue, as of
 * its last heartbeat), each a link to its page: what Sidekiq calls the Busy tab.
 */
async function showNodes() {
  const data = await api('GET', '/nodes');
  renderRows(document.querySelector('#nodes tbody'), 'data-node', data.nodes, n => {
    const queues = Object.entries(n.queues || {}).map(([q, w]) => q + ' ' + w.instances + ' × ' + w.concurrency + ': ' + w.running).join(', ');
    const age = Math.max(0, Math.round((Date.now() - n.heartbeatAt) / 1000));
    const busy = el('td', { class: 'busy' });
    Object.entries(n.queues || {}).forEach(([q, w]) => (w.jobs || []).forEach(j => busy.append(el('div', {},
      el('a', { href: '#/queues/' + encodeURIComponent(q) + '/jobs/' + encodeURIComponent(j.id) }, q + ' #' + j.id + ' ' + j.name),
      el('span', { class: 'muted' }, ' for ' + Math.max(0, Math.round((Date.now() - j.startedAt) / 1000)) + ' s, attempt ' + j.attempt)))));
    return [n.id, [el('td', {}, n.host + ' (pid ' + n.pid + ')', n.id === data.self ? el('span', { class: 'muted' }, ' this node') : ''),
      el('td', {}, n.version), el('td', {}, when(n.startedAt)), el('td', {}, age + ' s ago'),
      el('td', { class: 'num' }, n.running), el('td', {}, queues), busy], null];
  });
}

async function act(queue, what) {
  await api('POST', '/queues/' + encodeURIComponent(queue) + '/' + what);
  refresh();
}

function select(queue) {
  location.hash = '#/queues/' + encodeURIComponent(queue);
}

async function showQueue(queue) {
  const q = encodeURIComponent(queue);
  const [dead, fails] = await Promise.all([api('GET', '/queues/' + q + '/jobs?state=dead&limit=50'),
    api('GET', '/queues/' + q + '/failures?limit=20')]);
  const deadBody = document.querySelector('#dead tbody');
  // rows are kept by job id, and ids repeat across queues: another queue's list starts from scratch
  if (deadBody.dataset.queue !== queue) deadBody.replaceChildren();
  deadBody.dataset.queue = queue;
  renderRows(deadBody, 'data-id', dead.jobs, j => [j.id, [
      el('td', {}, jobLink(queue, j.id)), el('td', {}, j.name), el('td', { class: 'err' }, j.error ? j.error.message : ''),
      el('td', {}, when(j.finishedAt)),
      el('td', {},
        el('button', { class: 'retry', 'data-role': 'operate', onclick: async e => { e.stopPropagation(); await api('POST', '/queues/' + q + '/dead/retry', { ids: [j.id] }); refresh(); } }, 'Retry'),
        ' ',
        el('button', { class: 'danger delete', 'data-role': 'admin', onclick: async e => { e.stopPropagation(); await api('DELETE', '/queues/' + q + '/jobs/' + j.id); refresh(); } }, 'Delete'))],
    () => { location.hash = '#/queues/' + q + '/jobs/' + j.id; }]);
  await showLimits(queue);
  await showJobs(queue);
  await showHistory(queue);
  await showMetrics(queue);
  const fbody = document.querySelector('#failures tbody');
  fbody.replaceChildren();
  for (const f of fails.failures) {
    fbody.append(el('tr', { class: 'clickable', onclick: () => { location.hash = '#/queues/' + q + '/jobs/' + f.id; } },
      el('td', {}, jobLink(queue, f.id)), el('td', {}, when(f.at)), el('td', { class: 'err' }, f.error)));
  }
}

/**
 * The queue's last hour or 24 hours, minute by minute, drawn with uPlot (served from the jar): runs completed and
 * failed, and the mean wait from due to start. Read again every 30 s, or when another queue or range is shown.
 */
const charts = { queue: null, at: 0, jobs: null, wait: null, minutes: 60 };
async function showHistory(queue, force) {
  if (!force && charts.queue === queue && Date.now() - charts.at < 30_000) return;
  const h = await api('GET', '/queues/' + encodeURIComponent(queue) + '/history?minutes=' + charts.minutes);
  document.querySelectorAll('#history-ranges button').forEach(b => b.classList.toggle('on', Number(b.dataset.minutes) === charts.minutes));
  charts.queue = queue;
  charts.at = Date.now();
  if (h.stepMs === 60000) sparks[queue] = lastHour(h);
  const xs = h.completed.map((_, i) => (h.from + i * h.stepMs) / 1000);
  // the y axis starts at 0 and reaches at least 1 (an idle hour is a flat line at 0, not a scale of 0 to 0), and its
  // labels are whole numbers as people read them
  const yScale = { range: (u, min, max) => [0, Math.max(1, max * 1.1)] };
  const yAxis = { values: (u, ticks) => ticks.map(v => v >= 1000 ? (v / 1000).toFixed(v % 1000 ? 1 : 0) + 'k' : String(Math.round(v * 10) / 10)) };
  const draw = (id, old, series, data) => {
    if (old) old.destroy();
    const box = document.getElementById(id);
    box.replaceChildren();
    return new uPlot({ width: Math.max(280, box.clientWidth), height: 180, series: [{}, ...series],
      scales: { x: { time: true }, y: yScale }, axes: [{}, yAxis], legend: { live: false } }, [xs, ...data], box);
  };
  charts.jobs = draw('chart-jobs', charts.jobs, [{ label: 'completed', stroke: '#2e7d32' }, { label: 'failed', stroke: '#b00020' }],
    [h.completed, h.failed]);
  // a step without a started run has no wait: the lines span it, and each step with one shows as a point
  const waitLine = (label, stroke) => ({ label, stroke, spanGaps: true, points: { show: true, size: 4 } });
  charts.wait = draw('chart-wait', charts.wait, [waitLine('p50 ms', '#1d4ed8'), waitLine('p95 ms', '#b45309')],
    [h.waitP50Ms, h.waitP95Ms]);
  const per = h.stepMs === 60000 ? 'minute' : 'hour';
  document.getElementById('chart-jobs-title').textContent = 'Runs per ' + per;
}
document.querySelectorAll('#history-ranges button').forEach(b => b.onclick = () => {
  charts.minutes = Number(b.dataset.minutes);
  if (selected) showHistory(selected, true);
});

/**
 * Runs, failures and run-time percentiles per job name over the chosen period (GET /queues/{q}/metrics), the most
 * run first; read again every 10 s (the workers add theirs every 5 s), or when the queue or the period changes.
 */
const jobMetrics = { queue: null, period: '1h', at: 0 };
async function showMetrics(queue, force) {
  if (!force && jobMetrics.queue === queue && Date.now() - jobMetrics.at < 10_000) return;
  const m = await api('GET', '/queues/' + encodeURIComponent(queue) + '/metrics?period=' + jobMetrics.period);
  jobMetrics.queue = queue;
  jobMetrics.at = Date.now();
  document.querySelectorAll('#metrics-periods button').forEach(b => b.classList.toggle('on', b.dataset.period === jobMetrics.period));
  const ms = v => v < 1 ? v.toFixed(3) + ' ms' : age(Math.round(v));
  const body = document.querySelector('#job-metrics tbody');
  body.replaceChildren(...m.jobs.map(j => el('tr', { 'data-name': j.name }, el('td', {}, j.name),
    el('td', { class: 'num' }, j.runs), el('td', { class: 'num' + (j.failures ? ' err' : '') }, j.failures),
    el('td', { class: 'num' }, ms(j.meanMs)), el('td', { class: 'num' }, ms(j.p50Ms)), el('td', { class: 'num' }, ms(j.p95Ms)),
    el('td', { class: 'num' }, ms(j.p99Ms)))));
  if (!m.jobs.length) body.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'no runs in this period')));
}
document.querySelectorAll('#metrics-periods button').forEach(b => b.onclick = () => {
  jobMetrics.period = b.dataset.period;
  if (selected) showMetrics(selected, true);
});

/** The queue's limits and limiter state, its schedules and its groups (the first page of them). */
async function showLimits(queue) {
  const q = encodeURIComponent(queue);
  const [info, sched, groups] = await Promise.all([api('GET', '/queues/' + q), api('GET', '/queues/' + q + '/schedules'),
    api('GET', '/queues/' + q + '/groups?limit=100')]);
  const l = info.limits || {}, st = info.limiter || {}, parts = [];
  if (l.rateLimit) parts.push('rate ' + l.rateLimit.max + ' per ' + l.rateLimit.per
    + (st.startedInWindow !== undefined ? ' (' + st.startedInWindow + ' started in the window now)' : ''));
  if (l.globalConcurrency) parts.push('at most ' + l.globalConcurrency + ' running across every node');
  if (l.groups && l.groups.concurrency) parts.push('each group at most ' + l.groups.concurrency + ' running');
  if (l.groups && l.groups.rateLimit) parts.push('each group ' + l.groups.rateLimit.max + ' per ' + l.groups.rateLimit.per);
  if (st.limitedUntil) parts.push('held by "retry later" until ' + time(st.limitedUntil));
  document.getElementById('limits').textContent = parts.length ? parts.join(' · ') : 'no limits';
  const sbody = document.querySelector('#schedules tbody');
  if (sbody.dataset.queue !== queue) sbody.replaceChildren();
  sbody.dataset.queue = queue;
  renderRows(sbody, 'data-schedule', sched.schedules, s => {
    const when = s.spec.cron ? s.spec.cron + ' ' + (s.spec.tz || 'UTC') : 'every ' + s.spec.every;
    const path = '/queues/' + q + '/schedules/' + encodeURIComponent(s.name) + '/';
    const button = (label, what, cls) => el('button', { class: cls, 'data-role': 'operate', onclick: async e => { e.stopPropagation();
      await api('POST', path + what); showLimits(queue); } }, label);
    return [s.name, [el('td', {}, s.name, s.paused ? el('span', { class: 'paused' }, ' paused') : ''), el('td', {}, when),
      el('td', {}, s.nextFireAt ? zoned(s.nextFireAt, s.spec.tz || 'UTC') : '—'), el('td', { class: 'num' }, s.fires),
      el('td', {}, s.paused ? button('Resume', 'resume', 'resume') : button('Pause', 'pause', 'pause'), ' ',
        button('Run now', 'trigger', 'trigger'))], null];
  });
  const gbody = document.querySelector('#groups tbody');
  if (gbody.dataset.queue !== queue) gbody.replaceChildren();
  gbody.dataset.queue = queue;
  document.getElementById('groups-more').textContent = groups.next ? '(first 100 shown)' : '';
  renderRows(gbody, 'data-group', groups.groups, g => {
    const state = g.paused ? 'paused' : g.limited === 'rate' ? 'rate limited until ' + time(g.limitedUntil)
      : g.limited === 'concurrency' ? 'at its concurrency' : '';
    const what = g.paused ? 'resume' : 'pause';
    // limits set at run time (PUT .../groups/{g}/limits) over the queue's own, with the group's weight
    const lim = g.limits ? [g.limits.concurrency ? 'at most ' + g.limits.concurrency + ' running' : '',
      g.limits.rateLimit ? g.limits.rateLimit.max + ' per ' + g.limits.rateLimit.per + (g.limits.rateLimit.smooth ? ' (smooth)' : '') : '',
      'weight ' + g.limits.weight].filter(x => x).join(', ') : 'the queue\'s';
    return [g.name, [el('td', {}, g.name), el('td', { class: 'num' }, g.waiting), el('td', { class: 'num' }, g.active),
      el('td', {}, state), el('td', {}, lim), el('td', {}, el('button', { class: what, 'data-role': 'operate', onclick: async e => { e.stopPropagation();
        await api('POST', '/queues/' + q + '/groups/' + encodeURIComponent(g.name) + '/' + what); showLimits(queue); } },
        g.paused ? 'Resume' : 'Pause'))], null];
  });
}

// the jobs browser: one state at a time, a page of 50 through the API's cursors
let jobsState = 'ready';
const chosen = new Set(); // ids ticked in the jobs table, for its bulk actions
let jobsCursor = '0';
let jobsNext = null;

async function showJobs(queue) {
  const q = encodeURIComponent(queue);
  document.querySelectorAll('#state-tabs button').forEach(b => b.classList.toggle('on', b.dataset.state === jobsState));
  const page = await api('GET', '/queues/' + q + '/jobs?state=' + jobsState + '&limit=50&cursor=' + jobsCursor);
  jobsNext = page.nextCursor || null;
  document.getElementById('jobs-page').textContent = 'from #' + (Number(jobsCursor) + 1) + (jobsNext ? '' : ' (last page)');
  document.getElementById('jobs-next').disabled = !jobsNext;
  const body = document.querySelector('#jobs tbody');
  if (body.dataset.view !== queue + '/' + jobsState) {
    body.replaceChildren();
    chosen.clear();
  }
  body.dataset.view = queue + '/' + jobsState;
  // the actions this state's jobs take, one by one or chosen in bulk
  document.getElementById('bulk-retry').hidden = jobsState !== 'dead';
  document.getElementById('bulk-promote').hidden = jobsState !== 'delayed';
  document.getElementById('bulk-priority').hidden = !['ready', 'delayed'].includes(jobsState);
  document.getElementById('bulk-cancel').hidden = !['ready', 'delayed', 'active'].includes(jobsState);
  document.getElementById('bulk-delete').hidden = jobsState === 'active';
  document.getElementById('clean-older').hidden = !['completed', 'dead'].includes(jobsState);
  document.getElementById('chosen-count').textContent = chosen.size;
  const pick = j => el('td', {}, el('input', { type: 'checkbox', class: 'pick', 'aria-label': 'select job ' + j.id, onclick: e => {
    e.stopPropagation();
    if (e.target.checked) chosen.add(j.id); else chosen.delete(j.id);
    document.getElementById('chosen-count').textContent = chosen.size;
  } }));
  renderRows(body, 'data-id', page.jobs, j => [j.id, [pick(j), el('td', {}, jobLink(queue, j.id)), el('td', {}, j.name), el('td', {}, j.group || ''),
    el('td', { class: 'num' }, j.priority), el('td', { class: 'num' }, j.attemptsMade), el('td', {}, when(j.createdAt)),
    el('td', {}, when(j.finishedAt || j.runAt)), el('td', { class: 'err' }, j.error ? j.error.message : '')],
    () => { location.hash = '#/queues/' + q + '/jobs/' + j.id; }]);
}

/** A job's page (its address is #/queues/<queue>/jobs/<id>, so it can be linked): every value shown as text. */
async function showJob(queue, id) {
  const q = encodeURIComponent(queue);
  let job;
  try {
    job = await api('GET', '/queues/' + q + '/jobs/' + encodeURIComponent(id));
  } catch (e) {
    document.getElementById('status').textContent = 'job ' + id + ': ' + e.message;
    return;
  }
  document.getElementById('jobid').textContent = queue + ' / ' + id + ' (' + job.name + ')';
  document.getElementById('jobstate').textContent = job.state;
  document.getElementById('job-payload').textContent = JSON.stringify(job.payload, null, 2);
  document.getElementById('job-result').textContent = job.result === undefined ? '—' : JSON.stringify(job.result, null, 2);
  // the results of the steps a run finished (a later run reuses them), set as text like all job data
  document.getElementById('job-steps').textContent = job.steps || job.signals || job.cursor !== undefined
    ? JSON.stringify({ cursor: job.cursor, progress: job.progress, steps: job.steps || {}, signals: job.signals || {} }, null, 2)
    : '—';
  const options = {};
  ['priority', 'group', 'attempts', 'backoff', 'timeoutMs', 'uniqueKey', 'uniqueFor', 'progress', 'stalls', 'deferrals'].forEach(k => {
    if (job[k] !== undefined) options[k] = job[k];
  });
  ['createdAt', 'runAt', 'startedAt', 'finishedAt'].forEach(k => { if (job[k]) options[k] = new Date(job[k]).toISOString(); });
  document.getElementById('job-options').textContent = JSON.stringify(options, null, 2);
  document.querySelector('#job-history tbody').replaceChildren(...(job.history || []).map(r => el('tr', {},
    el('td', {}, r.attempt), el('td', {}, when(r.startedAt)), el('td', {}, when(r.finishedAt)),
    el('td', { class: r.completed ? '' : 'err' }, r.completed ? 'completed' : r.error))));
  document.getElementById('job-error').textContent = job.error ? job.error.message + '\n' + (job.error.trace || '') : '';
  document.getElementById('job-log').textContent = (job.logs || []).map(l => new Date(l.at).toISOString() + '  ' + l.line).join('\n') || '—';
  document.getElementById('jobjson').textContent = JSON.stringify(job, null, 2);
  await showFlow(queue, id, job);
  const path = '/queues/' + q + '/jobs/' + encodeURIComponent(id);
  const action = (label, cls, run, role = 'operate') => el('button', { class: cls, 'data-role': role, onclick: async () => {
    try { await run(); } catch (e) { alert(e.message); }
    showJob(queue, id); refresh();
  } }, label);
  const actions = [];
  if (job.state === 'delayed') actions.push(action('Run now', 'promote', () => api('POST', path + '/promote')));
  if (job.state === 'ready' || job.state === 'delayed') {
    actions.push(action('Priority…', 'priority', () => {
      const p = prompt('New priority (-1000 to 1000)', job.priority);
      return p === null ? Promise.resolve() : api('PATCH', path, { priority: Number(p) });
    }));
  }
  if (job.state === 'ready' || job.state === 'delayed' || job.state === 'active') {
    // a waiting job is deleted; a running one's handler is told and its run ends as cancelled
    actions.push(action('Cancel', 'danger cancel', () => confirm('Cancel job ' + id + '?') ? api('POST', path + '/cancel') : Promise.resolve()));
  }
  if (job.state === 'dead') actions.push(action('Retry', 'retry', () => api('POST', '/queues/' + q + '/dead/retry', { ids: [id] })));
  if (job.state !== 'active') actions.push(action('Delete', 'danger delete', () => api('DELETE', path), 'admin'));
  document.getElementById('job-actions').replaceChildren(...actions.flatMap(b => [b, ' ']));
}

/** A flow's place on a job's page: a link to its parent, and its children with their states (one tree read). */
async function showFlow(queue, id, job) {
  const box = document.getElementById('job-flow');
  box.hidden = !job.parent && !job.flow;
  if (box.hidden) return;
  const link = (q, i, text) => el('a', { href: '#/queues/' + encodeURIComponent(q) + '/jobs/' + encodeURIComponent(i) }, text);
  document.getElementById('job-parent').replaceChildren(...(job.parent
    ? ['Parent: ', link(job.parent.queue, job.parent.id, job.parent.queue + ' / ' + job.parent.id)] : []),
    ...(job.flow ? [' When a child is dead: ' + job.flow.onChildDead + (job.flow.waitingFor !== undefined
      ? '; waiting for ' + job.flow.waitingFor + ' more' : '')] : []));
  // a batch's record: its progress and its callbacks
  const batchLine = document.getElementById('job-batch');
  batchLine.replaceChildren();
  if (job.flow && job.flow.batch) {
    const b = await api('GET', '/queues/' + encodeURIComponent(queue) + '/batches/' + encodeURIComponent(id));
    batchLine.append('Batch ' + (b.done ? 'done' : b.open ? 'open' : 'closed') + ': ' + b.pending + ' pending, '
      + b.succeeded + ' succeeded, ' + b.failed + ' failed',
      ...['onSuccess', 'onComplete'].filter(k => b[k]).flatMap(k => ['; ' + k + ': ', link(b[k].queue, b[k].id, b[k].id + ' (' + b[k].state + ')')]));
  }
  const tree = job.flow ? await api('GET', '/queues/' + encodeURIComponent(queue) + '/jobs/' + encodeURIComponent(id) + '/flow') : {};
  document.querySelector('#job-children tbody').replaceChildren(...(tree.children || []).map(c => el('tr', {},
    el('td', {}, link(c.queue, c.id, c.queue + ' / ' + c.id)), el('td', {}, c.name || ''), el('td', {}, c.state),
    el('td', { class: c.error ? 'err' : '' }, c.error ? c.error : c.result === undefined ? '' : JSON.stringify(c.result)))));
}

/**
 * Each page has its own address, title and heading, and opens at its top: #/ the overview, #/nodes, #/schedules,
 * #/queues/<q> a queue, #/queues/<q>/jobs/<id> a job. A section names the pages it belongs to in data-views; the
 * back and forward buttons move between addresses like any other page's.
 */
let view = 'overview';
function route() {
  const hash = location.hash || '#/';
  const m = hash.match(/^#\/queues\/([^/]+)(?:\/jobs\/([^/]+))?$/);
  const crumbs = document.getElementById('crumbs');
  crumbs.replaceChildren();
  let title;
  const loads = [];
  if (m) {
    const queue = decodeURIComponent(m[1]);
    if (selected !== queue) { jobsCursor = '0'; }
    selected = queue;
    view = m[2] ? 'job' : 'queue';
    const queueLink = el('a', { href: '#/queues/' + encodeURIComponent(queue) }, queue);
    if (m[2]) {
      const id = decodeURIComponent(m[2]);
      title = 'Job ' + id;
      crumbs.append(el('a', { href: '#/' }, 'Overview'), ' › queue ', queueLink, ' › job ' + id);
      loads.push(showJob(queue, id));
    } else {
      title = 'Queue ' + queue;
      crumbs.append(el('a', { href: '#/' }, 'Overview'), ' › queue ' + queue); // refresh() draws it
    }
  } else {
    selected = null;
    view = { '#/nodes': 'nodes', '#/schedules': 'schedules', '#/flows': 'flows' }[hash] || 'overview';
    title = { overview: 'Overview', nodes: 'Nodes', schedules: 'Schedules', flows: 'Flows and batches' }[view];
  }
  document.body.dataset.view = view;
  document.querySelectorAll('[data-views]').forEach(s => { s.hidden = !s.dataset.views.split(' ').includes(view); });
  document.querySelectorAll('nav a').forEach(a => {
    if (a.dataset.nav === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  document.getElementById('page-title').textContent = title;
  document.title = title + ' · Vertiq';
  window.scrollTo(0, 0);
  // the page's data is drawn: what bin/bench dashboard times in the browser
  delete document.body.dataset.rendered;
  const drawn = hash;
  Promise.all([...loads, refresh()]).then(() => { if (location.hash === drawn || (!location.hash && drawn === '#/')) document.body.dataset.rendered = drawn; });
}
window.addEventListener('hashchange', route);
document.querySelectorAll('#state-tabs button').forEach(b => b.onclick = () => {
  jobsState = b.dataset.state;
  jobsCursor = '0';
  if (selected) showJobs(selected);
});
document.getElementById('jobs-next').onclick = () => { if (jobsNext) { jobsCursor = jobsNext; showJobs(selected); } };
document.getElementById('jobs-first').onclick = () => { jobsCursor = '0'; showJobs(selected); };

/** Runs one API call per chosen job (a failure says which job), then redraws. */
async function bulk(what, call) {
  const ids = [...chosen];
  if (!ids.length || !confirm(what + ' ' + ids.length + ' job(s)?')) return;
  const q = '/queues/' + encodeURIComponent(selected) + '/jobs/';
  const failed = [];
  for (const id of ids) {
    try { await call(q + encodeURIComponent(id), id); } catch (e) { failed.push(id + ': ' + e.message); }
  }
  chosen.clear();
  document.querySelectorAll('#jobs input.pick').forEach(c => { c.checked = false; });
  if (failed.length) alert(failed.join('\n'));
  refresh();
}
document.getElementById('bulk-retry').onclick = () => bulk('Retry', async (path, id) =>
  api('POST', '/queues/' + encodeURIComponent(selected) + '/dead/retry', { ids: [id] }));
document.getElementById('bulk-promote').onclick = () => bulk('Run now', path => api('POST', path + '/promote'));
document.getElementById('bulk-priority').onclick = () => {
  const p = prompt('New priority for the ticked jobs (-1000 to 1000)', '0');
  if (p !== null) bulk('Set priority ' + p + ' on', path => api('PATCH', path, { priority: Number(p) }));
};
document.getElementById('bulk-cancel').onclick = () => bulk('Cancel', path => api('POST', path + '/cancel'));
document.getElementById('bulk-delete').onclick = () => bulk('Delete', path => api('DELETE', path));
document.getElementById('clean-older').onclick = async () => {
  const age = prompt('Delete the ' + jobsState + ' jobs of ' + selected + ' that finished more than this long ago (e.g. 1h, 7d; 0ms for all)', '1h');
  if (age === null) return;
  try {
    const r = await api('DELETE', '/queues/' + encodeURIComponent(selected) + '/jobs?state=' + jobsState + '&olderThan=' + encodeURIComponent(age));
    document.getElementById('search-result').textContent = r.deleted + ' deleted';
  } catch (e) { alert(e.message); }
  refresh();
};
/** Search by id or unique key (what Redis can answer without reading every job): one match opens its page. */
document.getElementById('search-go').onclick = async () => {
  const text = document.getElementById('search').value.trim();
  if (!text) return;
  const out = document.getElementById('search-result');
  try {
    const r = await api('GET', '/queues/' + encodeURIComponent(selected) + '/search?q=' + encodeURIComponent(text));
    out.textContent = r.jobs.length ? r.jobs.length + ' found' : 'no job with that id or unique key';
    if (r.jobs.length) location.hash = '#/queues/' + encodeURIComponent(selected) + '/jobs/' + encodeURIComponent(r.jobs[r.jobs.length - 1].id);
  } catch (e) { out.textContent = e.message; }
};
document.getElementById('search').addEventListener('keydown', e => { if (e.key === 'Enter') document.getElementById('search-go').click(); });
document.getElementById('job-close').onclick = () => { location.hash = '#/queues/' + encodeURIComponent(selected); };
/** Changes the selected queue's worker instances on the node serving this page, or on every node that runs it. */
async function scale(nodes) {
  const n = Number(document.getElementById('scale-n').value);
  const out = document.getElementById('scale-result');
  try {
    const r = await api('POST', '/admin/queues/' + encodeURIComponent(selected) + '/scale', { instances: n, nodes });
    out.textContent = nodes === 'all' ? 'asked of ' + r.nodes + ' node(s)' : 'now ' + r.instances + ' here';
  } catch (e) {
    out.textContent = e.message;
  }
  refresh();
}
document.getElementById('scale-this').onclick = () => scale('this');
document.getElementById('scale-all').onclick = () => scale('all');
document.getElementById('retry-all').onclick = async () => { await api('POST', '/queues/' + encodeURIComponent(selected) + '/dead/retry'); refresh(); };
document.getElementById('clear-dead').onclick = async () => {
  if (confirm('Delete every dead job of ' + selected + '?')) { await api('DELETE', '/queues/' + encodeURIComponent(selected) + '/dead'); refresh(); }
};
/**
 * The caller's role (GET /whoami) on the page's body: the actions its token may not take are hidden (each action
 * names its role in data-role; the API answers them 403 anyway).
 */
async function loadRole() {
  try {
    document.body.dataset.role = (await api('GET', '/whoami')).role;
  } catch (e) { /* asked again at the next load: the token prompt came first */ }
}
loadRole().then(route);
setInterval(refresh, 2000);
