'use strict';
// The page talks to the same REST API as curl and Python do; errors show the problem's detail.
const $ = (id) => document.getElementById(id);

// The API key, if the server has one, goes in a header with every request (never in a URL: with
// protect-reads the server wants it for reads too); kept for this tab only.
const keyInput = $('api-key');
keyInput.value = sessionStorage.getItem('dl4j-serving-api-key') || '';
keyInput.addEventListener('change', () => {
  sessionStorage.setItem('dl4j-serving-api-key', keyInput.value);
  loadAll();
});

async function api(url, options = {}) {
  if (keyInput.value) {
    options.headers = { ...(options.headers || {}), 'X-API-Key': keyInput.value };
  }
  const response = await fetch(url, options);
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      if (problem.detail) detail = problem.detail;
    } catch (ignored) { /* not JSON */ }
    throw new Error(detail);
  }
  return response;
}

function showError(section, error) {
  const el = $(`${section}-error`);
  el.textContent = error.message || String(error);
  el.hidden = false;
}

function clearError(section) {
  const el = $(`${section}-error`);
  el.hidden = true;
  el.textContent = '';
}

// An <img> shows a blob fetched with the key; it stays hidden (no broken-image icon) until it has one.
function showImage(img, blob) {
  if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  img.src = URL.createObjectURL(blob);
  img.hidden = false;
}

// Takes an image away, so that an error never shows beside an earlier answer's pictures.
function hideImage(img) {
  if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  img.removeAttribute('src');
  img.hidden = true;
}

// Server-sent events read with fetch, so the key goes in a header: EventSource cannot send one.
async function streamEvents(url, onEvent, signal) {
  const response = await api(url, { signal, headers: { Accept: 'text/event-stream' } });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(type, data.join('\n'));
    }
  }
}

function jsonPost(body) {
  return { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

// ---- Digits: a drawing pad, uploads, the top 3 and what the model saw ----
const pad = $('pad');
const ink = pad.getContext('2d');
let drawing = false;

function clearPad() {
  ink.fillStyle = 'white';
  ink.fillRect(0, 0, pad.width, pad.height);
  ink.lineWidth = 20;
  ink.lineCap = 'round';
  ink.lineJoin = 'round';
  ink.strokeStyle = 'black';
}

function padPoint(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * pad.width / box.width, (event.clientY - box.top) * pad.height / box.height];
}

pad.addEventListener('pointerdown', (event) => {
  drawing = true;
  pad.setPointerCapture(event.pointerId);
  const [x, y] = padPoint(event);
  ink.beginPath();
  ink.moveTo(x, y);
  ink.lineTo(x + 0.1, y + 0.1);
  ink.stroke();
});
pad.addEventListener('pointermove', (event) => {
  if (!drawing) return;
  const [x, y] = padPoint(event);
  ink.lineTo(x, y);
  ink.stroke();
});
pad.addEventListener('pointerup', () => {
  drawing = false;
  classifyDrawing();
});
$('clear-pad').addEventListener('click', () => {
  clearPad();
  $('digit-result').replaceChildren();
});
$('classify-drawing').addEventListener('click', classifyDrawing);

function classifyDrawing() {
  pad.toBlob((blob) => classifyImage(blob, 'drawing.png'), 'image/png');
}

async function classifyImage(file, name) {
  clearError('digits');
  showImage($('uploaded'), file);
  const form = () => { const f = new FormData(); f.append('image', file, name); return f; };
  try {
    const [answer, prepared] = await Promise.all([
      api('predict', { method: 'POST', body: form() }).then((r) => r.json()),
      api('prepare', { method: 'POST', body: form() }).then((r) => r.blob())]);
    renderTop(answer.predictions[0]);
    showImage($('prepared'), prepared);
  } catch (error) {
    $('digit-result').replaceChildren();
    delete $('digit-result').dataset.top;
    hideImage($('uploaded'));
    hideImage($('prepared'));
    showError('digits', error);
  }
}

// Data from the server (labels, names, metrics) only ever goes in as text, never as markup.
function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function renderTop(prediction) {
  const list = $('digit-result');
  list.replaceChildren();
  for (const entry of prediction.top) {
    const item = document.createElement('li');
    item.dataset.label = entry.label;
    const percent = (entry.score * 100).toFixed(1);
    const bar = element('div', 'bar');
    bar.style.width = `${percent}%`;
    item.append(element('span', 'label', entry.label), bar, element('span', 'score', `${percent}%`));
    item.setAttribute('aria-label', `${entry.label}: ${percent} percent`);
    list.appendChild(item);
  }
  list.dataset.top = prediction.label;
}

$('digit-file').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (file) classifyImage(file, file.name);
});
const drop = $('drop-zone');
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer.files[0];
  if (file) classifyImage(file, file.name);
});
drop.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); $('digit-file').click(); }
});

// ---- Generator ----
$('gen-new-seed').addEventListener('click', () => {
  $('gen-seed').value = Math.floor(Math.random() * 2147483647);
});
$('gen-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError('generator');
  const grid = $('gen-grid');
  try {
    const body = { count: Number($('gen-count').value), seed: Number($('gen-seed').value) };
    const answer = await (await api('predict/mnist-dcgan', jsonPost(body))).json();
    grid.replaceChildren();
    answer.images.forEach((png, i) => {
      const img = document.createElement('img');
      img.src = `data:image/png;base64,${png}`;
      img.alt = `generated digit ${i + 1}`;
      grid.appendChild(img);
    });
    grid.dataset.seed = answer.seed;
  } catch (error) {
    showError('generator', error);
  }
});

// ---- Latent walk: frames between the first digits of two seeds ----
$('walk-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError('walk');
  const frames = $('walk-frames');
  try {
    const interpolate = {
      from: Number($('walk-from').value), to: Number($('walk-to').value), steps: Number($('walk-steps').value),
    };
    const answer = await (await api('predict/mnist-dcgan', jsonPost({ interpolate }))).json();
    frames.replaceChildren();
    answer.images.forEach((png, i) => {
      const img = document.createElement('img');
      img.src = `data:image/png;base64,${png}`;
      img.alt = `frame ${i + 1} of ${answer.images.length}`;
      frames.appendChild(img);
    });
  } catch (error) {
    showError('walk', error);
  }
});

// ---- Tabular: the nine breast-cancer features ----
async function buildTabularForm() {
  try {
    const model = await (await api('models/breast-cancer-logreg')).json();
    const descriptor = model.versions.find((v) => v.version === model.defaultVersion);
    const fields = $('tab-fields');
    fields.replaceChildren();
    descriptor.input.features.forEach((feature, i) => {
      const id = `tab-feature-${i}`;
      const label = element('label');
      label.htmlFor = id;
      const value = element('output', null, String(feature.min));
      label.append(element('span', null, feature.name.replaceAll('_', ' ')), value);
      const input = document.createElement('input');
      Object.assign(input, { type: 'range', id, name: feature.name, min: feature.min, max: feature.max, step: 1,
        value: feature.min });
      input.addEventListener('input', () => { value.textContent = input.value; });
      const wrap = element('div');
      wrap.append(label, input);
      fields.appendChild(wrap);
    });
  } catch (error) {
    showError('tabular', error);
  }
}
$('tab-threshold').addEventListener('input', () => { $('tab-threshold-value').textContent = $('tab-threshold').value; });
$('tab-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError('tabular');
  const features = {};
  for (const input of $('tab-fields').querySelectorAll('input')) features[input.name] = Number(input.value);
  const threshold = $('tab-threshold').value;
  try {
    const answer = await (await api(`predict/breast-cancer-logreg?threshold=${threshold}`, jsonPost({ features }))).json();
    const p = answer.predictions[0];
    $('tab-probability').textContent = p.probability.toFixed(3);
    $('tab-label').textContent = p.label;
    $('tab-threshold-used').textContent = p.threshold;
  } catch (error) {
    showError('tabular', error);
  }
});

// ---- Training: start, follow the event stream, cancel, recent jobs ----
let currentJob = null;
let events = null;

async function loadTrainers() {
  try {
    const trainers = await (await api('trainers')).json();
    const select = $('job-model');
    select.replaceChildren();
    for (const trainer of trainers) {
      const option = document.createElement('option');
      option.textContent = trainer.model;
      select.appendChild(option);
    }
    const optimizer = trainers[0].hyperparameters.find((h) => h.name === 'optimizer');
    $('job-optimizer').replaceChildren(...optimizer.choices.map((c) => new Option(c, c, c === 'adam', c === 'adam')));
  } catch (error) {
    showError('training', error);
  }
}

function showProgress(job) {
  $('job-progress').value = job.progress;
  const percent = Math.round(job.progress * 100);
  let text = `${job.status} ${percent}%`;
  if (job.epoch) text += ` - epoch ${job.epoch}`;
  if (job.loss !== undefined && job.loss !== null) text += `, loss ${Number(job.loss).toFixed(4)}`;
  if (job.resultVersion) text += ` - version ${job.resultVersion}`;
  if (job.error) text += ` - ${job.error}`;
  $('job-progress-text').textContent = text;
  $('job-progress-text').dataset.status = job.status;
}

async function refreshChart() {
  if (!currentJob) return;
  try {
    showImage($('job-chart'), await (await api(`jobs/${currentJob}/chart`)).blob());
  } catch (error) {
    showError('training', error);
  }
}

function follow(id) {
  if (events) events.abort();
  const following = new AbortController();
  events = following;
  currentJob = id;
  $('job-cancel').disabled = false;
  let last = { status: 'QUEUED', progress: 0 };
  const finished = () => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(last.status);
  streamEvents(`jobs/${id}/events`, (type, data) => {
    if (type === 'progress' || type === 'status') {
      last = { ...last, ...JSON.parse(data) };
      showProgress(last);
    }
    if (type === 'epoch') refreshChart();
    if (type === 'status' && finished()) following.abort();
  }, following.signal).then(() => {
    // The server ended the stream before the job did (a timeout): follow it again, as EventSource would.
    if (!finished() && events === following) setTimeout(() => { if (events === following) follow(id); }, 1000);
  }, (error) => {
    if (!following.signal.aborted) showError('training', error);
  }).finally(async () => {
    if (events !== following || !finished()) return;
    $('job-cancel').disabled = true;
    // The final status event carries no loss: the job itself has the last one.
    try {
      showProgress(await (await api(`jobs/${id}`)).json());
    } catch (error) {
      showError('training', error);
    }
    refreshChart();
    loadJobs();
    loadModels();
  });
}

$('job-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError('training');
  const model = $('job-model').value;
  const trainers = await (await api('trainers')).json();
  const accepted = new Set(trainers.find((t) => t.model === model).hyperparameters.map((h) => h.name));
  const wanted = {
    epochs: Number($('job-epochs').value), batchSize: Number($('job-batch').value),
    learningRate: Number($('job-lr').value), optimizer: $('job-optimizer').value,
  };
  if ($('job-examples').value) wanted.examples = Number($('job-examples').value);
  const hyperparameters = Object.fromEntries(Object.entries(wanted).filter(([k]) => accepted.has(k)));
  try {
    const job = await (await api('jobs', jsonPost({ model, hyperparameters, promote: $('job-promote').value }))).json();
    showProgress(job);
    follow(job.id);
    loadJobs();
  } catch (error) {
    showError('training', error);
  }
});
$('job-cancel').addEventListener('click', async () => {
  if (!currentJob) return;
  try {
    showProgress(await (await api(`jobs/${currentJob}/cancel`, { method: 'POST' })).json());
  } catch (error) {
    showError('training', error);
  }
});

async function loadJobs() {
  try {
    const jobs = await (await api('jobs')).json();
    const body = $('jobs-table').querySelector('tbody');
    body.replaceChildren();
    for (const job of jobs.slice(0, 10)) {
      const row = document.createElement('tr');
      row.dataset.job = job.id;
      for (const value of [job.id.slice(0, 8), job.name ?? job.model, job.status, `${Math.round(job.progress * 100)}%`,
        job.resultVersion ?? '', job.promotionReason ?? job.error ?? '']) {
        const cell = document.createElement('td');
        cell.textContent = value;
        row.appendChild(cell);
      }
      body.appendChild(row);
    }
  } catch (error) {
    showError('training', error);
  }
}

// ---- Models: versions, metrics, the default ----
async function loadModels() {
  clearError('models');
  try {
    const models = await (await api('models')).json();
    const list = $('models-list');
    list.replaceChildren();
    for (const model of models) {
      const div = element('div', 'model');
      div.dataset.model = model.name;
      const metrics = Object.entries(model.metrics || {}).filter(([k]) => k.startsWith('test_') || k.startsWith('training_'))
          .slice(0, 3).map(([k, v]) => `${k} ${Number(v).toPrecision(4)}`).join(', ');
      const select = element('select');
      select.setAttribute('aria-label', `default version of ${model.name}`);
      select.append(...model.versions.map((v) => new Option(v, v, v === model.defaultVersion, v === model.defaultVersion)));
      const label = element('label', null, 'Default ');
      label.append(select);
      div.append(element('strong', null, model.name), ` (${model.kind}) - default version `,
        element('span', 'default', String(model.defaultVersion)), ', versions ',
        element('span', 'versions', model.versions.join(', ')), element('br'), element('small', 'metrics', metrics),
        element('br'), label, ' ', element('button', null, 'Set default'));
      div.querySelector('button').type = 'button';
      div.querySelector('button').addEventListener('click', async () => {
        clearError('models');
        try {
          const version = Number(div.querySelector('select').value);
          await api(`models/${model.name}/default`, { method: 'PUT', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ version }) });
          loadModels();
        } catch (error) {
          showError('models', error);
        }
      });
      list.appendChild(div);
    }
  } catch (error) {
    showError('models', error);
  }
}
$('models-refresh').addEventListener('click', loadModels);

function loadAll() {
  for (const section of ['tabular', 'training', 'models']) clearError(section);
  buildTabularForm();
  loadTrainers();
  loadJobs();
  loadModels();
}

clearPad();
loadAll();
