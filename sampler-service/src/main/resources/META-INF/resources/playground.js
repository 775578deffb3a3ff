// SFD playground: plain JavaScript, no external assets. Talks to the sampler's /api/v1 (same code
// path and error messages as the gRPC API), follows the live model by server-sent events.
(function () {
  'use strict';
  const API = 'api/v1';
  const $ = (id) => document.getElementById(id);
  const COLORS = { student: '#2958d8', same: '#d92d20', reference: '#079455' };
  let info = null;   // GET /playground
  let lastVersion = null;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs) {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  }

  // ---- live model ------------------------------------------------------------------------
  function showModel(m) {
    $('student-name').textContent = '· ' + m.student;
    if (!m.ready) {
      $('model-version').textContent = 'none loaded yet';
    } else {
      const v = 'v' + m.version;
      const badge = $('model-version');
      if (lastVersion !== null && lastVersion !== m.version) {
        badge.classList.add('changed');
        setTimeout(() => badge.classList.remove('changed'), 2500);
      }
      lastVersion = m.version;
      badge.textContent = v;
      badge.title = 'sha256 ' + m.sha256;
      $('model-dataset').textContent = m.dataset + ' [' + m.sampleShape.join('×') + ']'
        + (m.textPrompts ? ' · text prompts (' + m.pipeline + ', images ' + m.imageShape.join('×') + ')' : '');
      $('model-trained').textContent = m.trainedSteps.map((n, i) => n + ' (' + m.trainedNfe[i] + ')').join(', ')
        + (m.afs ? ' · AFS' : '');
      $('model-loaded').textContent = new Date(m.loadedAt).toLocaleString();
    }
    $('model-pinned').textContent = m.pinned ? 'v' + m.pinned : 'no (follows the newest)';
    const list = $('reloads');
    list.replaceChildren();
    (m.reloads || []).slice().reverse().forEach((r) => {
      const li = el('li', { class: r.result }, 'v' + r.version + ' ' + r.result + ' — ' + r.reason);
      li.title = r.at;
      list.appendChild(li);
    });
    if (!list.children.length) list.appendChild(el('li', { class: 'muted' }, 'none yet'));
  }

  function follow() {
    if (!window.EventSource) { poll(); return; }
    const es = new EventSource(API + '/model/events');
    es.addEventListener('model', (e) => {
      $('model-feed').textContent = 'live (server-sent events)';
      showModel(JSON.parse(e.data));
    });
    es.onerror = () => { $('model-feed').textContent = 'reconnecting…'; };
  }
  function poll() {
    $('model-feed').textContent = 'polling every 2 s';
    const tick = () => fetch(API + '/model').then((r) => r.json()).then(showModel).catch(() => {})
      .finally(() => setTimeout(tick, 2000));
    tick();
  }

  // ---- vocabulary ------------------------------------------------------------------------
  function showVocabulary(v) {
    const box = $('vocabulary');
    box.replaceChildren();
    if (!v) return;
    box.appendChild(el('div', {}, v.hint));
    if (info && info.model && info.model.textPrompts) {
      $('prompt').placeholder = 'free text, e.g. ' + ((v.examples && v.examples[0]) || 'a small red circle');
      if (v.examples && v.examples.length) {
        const line = el('div', {}, 'examples: ');
        v.examples.forEach((x) => {
          const b = el('span', { class: 'word', role: 'button', tabindex: '0' }, x);
          b.addEventListener('click', () => { $('prompt').value = x; });
          line.appendChild(b);
        });
        box.appendChild(line);
      }
    }
    Object.entries(v.groups || {}).forEach(([name, words]) => {
      const line = el('div', {}, name + ': ');
      words.forEach((w) => {
        const b = el('span', { class: 'word', role: 'button', tabindex: '0' }, w);
        b.addEventListener('click', () => { $('prompt').value = ($('prompt').value + ' ' + w).trim(); });
        line.appendChild(b);
      });
      box.appendChild(line);
    });
    if (v.examples && v.examples.length && !$('prompt').value) $('prompt').value = v.examples[0];
  }

  function loadInfo() {
    return fetch(API + '/playground').then((r) => r.json()).then((i) => {
      info = i;
      showModel(i.model);
      showVocabulary(i.vocabulary);
      const t = i.teacher;
      const compare = $('compare');
      if (t.unavailable) {
        compare.checked = false;
        compare.disabled = true;
        $('teacher-note').textContent = '(' + t.unavailable + ')';
      } else {
        compare.disabled = false;
        $('teacher-note').textContent = '(' + t.spec + ', ' + t.solver + ' at the same NFE and at NFE ' + t.referenceNfe + ')';
      }
      $('count').max = i.limits.maxCount;
      $('steps-value').max = i.limits.maxSteps;
      if (i.model.ready && i.model.trainedNfe && i.model.trainedNfe.length) $('steps-value').value = i.model.trainedNfe[0];
    });
  }

  // ---- requests --------------------------------------------------------------------------
  function requestBody() {
    const body = {};
    const prompt = $('prompt').value;
    if (prompt !== '') body.prompt = prompt;
    const n = $('steps-value').value.trim();
    if (n !== '') body[$('steps-mode').value] = Number(n);
    const g = $('guidance').value.trim();
    if (g !== '') body.guidance = Number(g);
    const seed = $('seed').value.trim();
    if (seed !== '') body.seed = seed; // a string: seeds are 63-bit
    const count = $('count').value.trim();
    body.count = count === '' ? 0 : Number(count);
    return body;
  }

  function post(path, body) {
    return fetch(API + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then((r) => r.json().then((j) => {
        if (!r.ok) { const e = new Error(j.message || ('HTTP ' + r.status)); e.code = j.code; throw e; }
        return j;
      }));
  }

  function showError(e) {
    const box = $('error');
    box.hidden = false;
    box.textContent = (e.code ? e.code + ': ' : '') + e.message;
  }

  function generate(ev) {
    ev.preventDefault();
    $('error').hidden = true;
    $('generate').disabled = true;
    const body = requestBody();
    const results = $('results');
    post('/generate', body).then((r) => {
      results.replaceChildren();
      const student = { title: 'Student v' + r.model.version, meta: 'N = ' + r.steps + ', NFE ' + r.nfe + ', ω = ' + r.guidance
          + ' · ' + r.timings.totalMs.toFixed(1) + ' ms (model call ' + r.timings.modelMs.toFixed(1) + ' ms, batch '
          + r.timings.batchSize + ')' + (r.promptTruncated ? ' · prompt truncated' : '') + (r.warning ? ' · ' + r.warning : ''),
        samples: r.samples, color: COLORS.student, version: 'v' + r.model.version, millis: r.timings.totalMs, id: 'student-column' };
      const columns = [student];
      render(columns);
      if (!$('compare').checked) return null;
      const seeds = r.samples.map((s) => s.seed);
      const tbody = { seeds: seeds, steps: r.steps, guidance: r.guidance };
      if (body.prompt !== undefined) tbody.prompt = body.prompt;
      return post('/teacher', tbody).then((t) => {
        t.columns.forEach((c, i) => columns.push({ title: 'Teacher ' + c.solver + ', NFE ' + c.nfe,
          meta: c.note + (c.samples.length ? ' · ' + c.millis.toFixed(1) + ' ms' : ''), samples: c.samples,
          color: i === 0 ? COLORS.same : COLORS.reference, version: t.teacher, millis: c.millis,
          id: i === 0 ? 'teacher-same-column' : 'teacher-reference-column' }));
        render(columns);
      });
    }).catch(showError).finally(() => { $('generate').disabled = false; });
  }

  // ---- drawing ---------------------------------------------------------------------------
  function render(columns) {
    const results = $('results');
    results.replaceChildren();
    const twoD = columns.some((c) => c.samples.length && c.samples[0].tensor && c.samples[0].tensor.values.length === 2);
    let extent = 3;
    if (twoD) columns.forEach((c) => c.samples.forEach((s) => s.tensor.values.forEach((v) => {
      if (Number.isFinite(v)) extent = Math.max(extent, Math.abs(v) * 1.1);
    })));
    columns.forEach((c) => {
      const col = el('div', { class: 'column', id: c.id });
      col.appendChild(el('h2', {}, c.title));
      col.appendChild(el('div', { class: 'meta' }, c.meta));
      if (twoD) col.appendChild(scatter(c, extent));
      else col.appendChild(grid(c));
      results.appendChild(col);
    });
  }

  function grid(c) {
    const g = el('div', { class: 'grid' });
    c.samples.forEach((s) => {
      const f = el('figure', { class: 'sample', 'data-seed': s.seed });
      if (s.png) {
        f.appendChild(el('img', { src: 'data:image/png;base64,' + s.png, alt: 'seed ' + s.seed }));
      } else {
        f.appendChild(el('div', {}, '[' + s.tensor.shape.join('×') + ']'));
      }
      const who = typeof c.version === 'number' ? 'v' + c.version : c.version;
      f.appendChild(el('figcaption', {}, 'seed ' + s.seed + ' · ' + who + ' · ' + (c.millis / c.samples.length).toFixed(1) + ' ms'));
      g.appendChild(f);
    });
    return g;
  }

  function scatter(c, extent) {
    const size = 300, pad = 18, scale = (size - 2 * pad) / (2 * extent);
    const X = (x) => pad + (x + extent) * scale;
    const Y = (y) => size - pad - (y + extent) * scale;
    const s = svg('svg', { class: 'scatter', width: size, height: size, viewBox: '0 0 ' + size + ' ' + size, role: 'img',
      'aria-label': c.title + ' scatter plot' });
    s.appendChild(svg('line', { class: 'axis', x1: X(-extent), y1: Y(0), x2: X(extent), y2: Y(0) }));
    s.appendChild(svg('line', { class: 'axis', x1: X(0), y1: Y(-extent), x2: X(0), y2: Y(extent) }));
    const t = svg('text', { x: size - pad, y: Y(0) - 3, 'text-anchor': 'end' });
    t.textContent = '±' + extent.toFixed(1);
    s.appendChild(t);
    const who = typeof c.version === 'number' ? 'v' + c.version : c.version;
    c.samples.forEach((p) => {
      const [x, y] = p.tensor.values;
      const dot = svg('circle', { class: 'point', cx: X(x), cy: Y(y), r: 3.2, fill: c.color, 'fill-opacity': 0.75,
        'data-seed': p.seed });
      const title = svg('title');
      title.textContent = 'seed ' + p.seed + ' · ' + who + ' · (' + x.toFixed(3) + ', ' + y.toFixed(3) + ')';
      dot.appendChild(title);
      s.appendChild(dot);
    });
    return s;
  }

  $('form').addEventListener('submit', generate);
  loadInfo().catch(showError).finally(follow);
})();
