// Chakrai dashboard: signs in with the user's own credentials, draws their heart rate and HRV, and
// marks stress episodes, all updating live over the WebSocket. The tokens live only in memory: the
// short-lived access token is renewed with the rotating refresh token before it expires (and once on a 401).
(() => {
  'use strict';
  const WINDOW_MS = 2 * 3600 * 1000;
  const state = { token: null, refresh: null, renewTimer: null, hr: [], hrv: [], episodes: [], interventions: [], risk: null, history: [],
    lastEvent: null, socket: null };
  const $ = (id) => document.getElementById(id);

  async function api(path, options = {}, retried = false) {
    const headers = Object.assign({ 'Content-Type': 'application/json' },
      state.token ? { Authorization: 'Bearer ' + state.token } : {});
    const r = await fetch(path, Object.assign({}, options, { headers }));
    if (r.status === 401 && state.refresh && !retried && !path.startsWith('/api/v2/auth/')) {
      await renew();
      return api(path, options, true);
    }
    const body = r.status === 204 ? null : await r.json();
    if (!r.ok) { throw new Error(body && body.error ? body.error.message : 'HTTP ' + r.status); }
    return body;
  }

  function keep(t) {
    state.token = t.access_token;
    state.refresh = t.refresh_token;
    clearTimeout(state.renewTimer);
    // renew at four fifths of the access token's life
    state.renewTimer = setTimeout(() => renew().catch(signedOut), t.expires_in * 800);
  }

  async function renew() {
    const t = await api('/api/v2/auth/refresh', { method: 'POST', body: JSON.stringify({ refresh_token: state.refresh }) });
    keep(t);
  }

  function signedOut(e) {
    state.token = null; state.refresh = null;
    $('login').hidden = false; $('live').hidden = true;
    $('error').textContent = (e && e.message) || 'signed out';
    if (state.socket) { state.socket.close(); }
  }

  async function signIn(ev) {
    ev.preventDefault();
    $('error').textContent = '';
    try {
      const t = await api('/api/v2/auth/token', { method: 'POST',
        body: JSON.stringify({ email: $('email').value, password: $('password').value }) });
      keep(t);
      $('password').value = '';
      $('login').hidden = true; $('live').hidden = false; $('side').hidden = false; $('wellbeing').hidden = false;
      $('groups').hidden = false;
      $('foryou').hidden = false;
      $('history').hidden = false;
      loadHistory();
      $('status').textContent = 'signed in as ' + $('email').value;
      await load();
      connect();
      await loadGroups();
      await loadHelps();
    } catch (e) {
      $('error').textContent = e.message;
    }
  }

  async function load() {
    const from = new Date(Date.now() - WINDOW_MS).toISOString();
    const [hr, hrv, preds, ints, risk, history] = await Promise.all([
      api('/api/v2/biometric/readings?data_type=heart_rate&limit=1000&from=' + encodeURIComponent(from)),
      api('/api/v2/biometric/readings?data_type=hrv&limit=1000&from=' + encodeURIComponent(from)),
      api('/api/v2/biometric/predictions?type=stress_episode&limit=100&from=' + encodeURIComponent(from)),
      api('/api/v2/biometric/interventions?limit=20'),
      api('/api/v2/prediction/current-risk'),
      api('/api/v2/prediction/assessments?limit=14')]);
    state.risk = risk;
    state.history = history.assessments.slice().reverse();
    state.hr = hr.readings.map(r => [Date.parse(r.timestamp), r.value]).reverse();
    state.hrv = hrv.readings.map(r => [Date.parse(r.timestamp), r.value]).reverse();
    state.episodes = preds.predictions.map(p => ({ id: p.id, t: Date.parse(p.prediction_time), level: p.predicted_value,
      triggers: p.trigger_factors })).reverse();
    await loadAnswers();
    state.interventions = ints.interventions;
    state.lastEvent = new Date().toISOString();
    render();
  }

  // the person's answers: which episodes have one, and how often the detector agreed with them
  async function loadAnswers() {
    const a = await api('/api/v2/biometric/answers?limit=500');
    state.answers = {};
    for (const x of a.answers) { if (x.prediction_id !== null) { state.answers[x.prediction_id] = x.answer; } }
    const s = a.summary;
    $('agreement').textContent = s.labelled === 0 ? 'No answers yet: the detector judges you as it judges everyone.'
      : 'Your detector agreed with ' + Math.round(100 * s.agreement) + '% of the ' + s.labelled + ' answer'
        + (s.labelled === 1 ? '' : 's') + ' it learns from (' + s.yes + ' stress, ' + s.no + ' not stress, '
        + s.check_ins + ' check-in' + (s.check_ins === 1 ? '' : 's') + ').';
    $('agreement').dataset.labelled = s.labelled;
  }

  async function loadEpisodeIds() {
    const from = new Date(Date.now() - WINDOW_MS).toISOString();
    const preds = await api('/api/v2/biometric/predictions?type=stress_episode&limit=100&from=' + encodeURIComponent(from));
    for (const p of preds.predictions) {
      const ep = state.episodes.find(x => x.t === Date.parse(p.prediction_time));
      if (ep) { ep.id = p.id; }
    }
    render();
  }

  async function answerEpisode(ep, answer) {
    try {
      await api('/api/v2/biometric/predictions/' + ep.id + '/answer', { method: 'POST', body: JSON.stringify({ answer }) });
    } catch (e) {
      $('error').textContent = e.message;
    }
    await loadAnswers();
    render();
  }

  async function checkIn() {
    const level = Number($('check-in-level').value);
    try {
      await api('/api/v2/biometric/check-ins', { method: 'POST', body: JSON.stringify({ stress_level: level }) });
      $('check-in-status').textContent = 'thank you: ' + level + '/10 noted';
    } catch (e) {
      $('check-in-status').textContent = e.message;
    }
    await loadAnswers();
  }

  function connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = proto + '//' + location.host + '/api/v2/ws?token=' + encodeURIComponent(state.token)
      + (state.lastEvent ? '&since=' + encodeURIComponent(state.lastEvent) : '');
    const ws = new WebSocket(url);
    state.socket = ws;
    ws.onmessage = (m) => onEvent(JSON.parse(m.data));
    ws.onclose = () => { if (state.token) { setTimeout(connect, 2000); } };
  }

  function onEvent(e) {
    if (e.type === 'signed_out') { signedOut({ message: e.message }); return; }
    if (e.type === 'group_message' || e.type === 'group_message_ack' || e.type === 'crisis_support' || e.type === 'error') {
      onGroupEvent(e);
      return;
    }
    if (e.type === 'import_progress') {
      const i = e.import;
      $('import-status').textContent = importStatus(i);
      // the readings reach the store a little after the import is read: the history is drawn again as they land
      if (i.status === 'done') { [0, 3000, 10000, 30000].forEach(ms => setTimeout(loadHistory, ms)); }
      return;
    }
    if (e.type === 'readings') {
      for (const r of e.data) {
        (r.data_type === 'heart_rate' ? state.hr : state.hrv).push([Date.parse(r.timestamp), r.value]);
      }
    } else if (e.type === 'stress_prediction') {
      const t = Date.parse(e.prediction_time);
      if (!state.episodes.some(x => x.t === t)) {
        state.episodes.push({ id: null, t, level: e.prediction.level, triggers: e.triggers });
        // the stored episode (with its id, for the answer buttons) follows a moment later, or a while later when
        // the database is slow: looked for again until it is there
        [2000, 6000, 20000, 60000].forEach(ms => setTimeout(() => {
          if (state.episodes.some(x => x.t === t && x.id === null)) { loadEpisodeIds(); }
        }, ms));
      }
      state.lastEvent = e.prediction_time;
    } else if (e.type === 'intervention_trigger') {
      // shown at once; the stored intervention (with its id, for the buttons) follows a moment later
      state.interventions.unshift(Object.assign({ id: null, status: 'pending' }, e.intervention));
      setTimeout(() => api('/api/v2/biometric/interventions?limit=20')
        .then(r => { state.interventions = r.interventions; render(); }), 2000);
    }
    render();
  }

  const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  function importStatus(i) {
    if (i.status === 'uploading') { return 'uploading ' + Math.round(100 * i.received_bytes / i.size_bytes) + '%'; }
    if (i.status === 'failed') { return 'not imported: ' + i.error; }
    const skipped = Object.values(i.skipped || {}).reduce((a, b) => a + b, 0);
    return i.status + ': ' + i.records_read.toLocaleString() + ' records read, ' + i.accepted.toLocaleString()
      + ' readings added, ' + i.duplicates.toLocaleString() + ' already here' + (skipped ? ', ' + skipped.toLocaleString()
      + ' left out' : '') + (i.eta_seconds ? ', about ' + i.eta_seconds + ' s left' : '');
  }

  // one piece of the file at the offset the server holds; a token that expired meanwhile is renewed once
  async function sendChunk(i, blob, retried = false) {
    const r = await fetch('/api/v2/biometric/imports/' + i.id + '/content?offset=' + i.received_bytes, { method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream', Authorization: 'Bearer ' + state.token }, body: blob });
    if (r.status === 401 && state.refresh && !retried) {
      await renew();
      return sendChunk(i, blob, true);
    }
    const text = await r.text();
    let body = null;
    try { body = JSON.parse(text); } catch (e) { body = null; }
    if (!r.ok) { throw new Error(body && body.error ? body.error.message : 'HTTP ' + r.status); }
    return body;
  }

  // an export goes up in 8 MB pieces, each at the offset the server holds: pressing Import again after a lost
  // connection (or a closed tab) carries on with the same file where the server stands
  async function importFile() {
    const file = $('import-file').files[0];
    if (!file) { $('import-status').textContent = 'choose a file first'; return; }
    $('import-button').disabled = true;
    try {
      const latest = (await api('/api/v2/biometric/imports?limit=1')).imports[0];
      let i = latest && latest.status === 'uploading' && latest.file_name === file.name.slice(0, 255) && latest.size_bytes === file.size
        ? latest
        : await api('/api/v2/biometric/imports', { method: 'POST',
          body: JSON.stringify({ file_name: file.name.slice(0, 255), size_bytes: file.size, time_zone: ZONE }) });
      const CHUNK = 8 * 1024 * 1024;
      while (i.status === 'uploading') {
        i = await sendChunk(i, file.slice(i.received_bytes, i.received_bytes + CHUNK));
        $('import-status').textContent = importStatus(i);
      }
    } catch (e) {
      $('import-status').textContent = 'not imported: ' + e.message + ' (press Import again to carry on)';
    } finally {
      $('import-button').disabled = false;
    }
  }

  async function loadHistory() {
    try {
      let h;
      try {
        h = await api('/api/v2/biometric/daily?days=365&tz=' + encodeURIComponent(ZONE));
      } catch (e) {
        h = await api('/api/v2/biometric/daily?days=365&tz=UTC'); // a zone the server does not know: days in UTC
      }
      state.daily = h.daily;
      renderHistory();
    } catch (e) {
      $('import-status').textContent = 'history not shown: ' + e.message;
    }
  }

  // a year at a glance: each day's mean heart rate and HRV as lines, the night's sleep as bars
  function renderHistory() {
    const days = state.daily || [];
    const c = $('history-chart');
    const g = c.getContext('2d');
    const W = c.width, H = c.height, L = 50, R = 50, T = 10, B = 25;
    g.clearRect(0, 0, W, H);
    c.dataset.days = days.length;
    if (!days.length) {
      g.fillStyle = '#777'; g.font = '13px sans-serif';
      g.fillText('no history yet: import an export above, or wait for your wearable', L, H / 2);
      return;
    }
    const t0 = Date.parse(days[0].day), t1 = Date.parse(days[days.length - 1].day) + 86400000;
    const x = (d) => L + (Date.parse(d) - t0) / (t1 - t0 || 1) * (W - L - R);
    const bar = Math.max(1, (W - L - R) / ((t1 - t0) / 86400000) - 1);
    g.fillStyle = 'rgba(120,120,140,0.35)';
    for (const d of days) {
      const h = Math.min(12, d.sleep_minutes / 60) / 12 * (H - T - B);
      g.fillRect(x(d.day), H - B - h, bar, h);
    }
    const series = (key, color) => {
      const pts = days.filter(d => d[key] !== null).map(d => [d.day, d[key]]);
      if (!pts.length) { return null; }
      const lo = Math.min(...pts.map(p => p[1])) - 3, hi = Math.max(...pts.map(p => p[1])) + 3;
      g.strokeStyle = color; g.lineWidth = 1.5; g.beginPath();
      pts.forEach((p, k) => { const px = x(p[0]) + bar / 2, py = T + (1 - (p[1] - lo) / (hi - lo)) * (H - T - B);
        if (k) { g.lineTo(px, py); } else { g.moveTo(px, py); } });
      g.stroke();
      return [lo, hi];
    };
    const hr = series('heart_rate', '#d33f49');
    const hrv = series('hrv', '#2a7de1') || series('hrv_sdnn', '#2a7de1');
    g.fillStyle = '#555'; g.font = '12px sans-serif';
    if (hr) { g.fillText(Math.round(hr[1]) + ' bpm', 2, T + 10); g.fillText(Math.round(hr[0]) + ' bpm', 2, H - B); }
    if (hrv) { g.fillText(Math.round(hrv[1]) + ' ms', W - R + 4, T + 10); g.fillText(Math.round(hrv[0]) + ' ms', W - R + 4, H - B); }
    g.fillText(days[0].day, L, H - 6);
    g.fillText(days[days.length - 1].day, W - R - 70, H - 6);
  }

  function render() {
    const now = Date.now();
    const cut = now - WINDOW_MS;
    state.hr = state.hr.filter(p => p[0] >= cut).sort((a, b) => a[0] - b[0]);
    state.hrv = state.hrv.filter(p => p[0] >= cut).sort((a, b) => a[0] - b[0]);
    const c = $('chart');
    const g = c.getContext('2d');
    const W = c.width, H = c.height, L = 50, R = 50, T = 10, B = 30;
    g.clearRect(0, 0, W, H);
    const x = (t) => L + (t - cut) / WINDOW_MS * (W - L - R);
    const scale = (pts, pad) => {
      const vs = pts.map(p => p[1]);
      const lo = Math.min(...vs, Infinity), hi = Math.max(...vs, -Infinity);
      return isFinite(lo) ? [lo - pad, hi + pad] : [0, 1];
    };
    const [hrLo, hrHi] = scale(state.hr, 5);
    const [vLo, vHi] = scale(state.hrv, 5);
    const y = (v, lo, hi) => T + (1 - (v - lo) / (hi - lo || 1)) * (H - T - B);
    // episodes: a shaded band for the episode's first minutes and its 15-minute outlook
    for (const ep of state.episodes) {
      if (ep.t < cut) { continue; }
      g.fillStyle = 'rgba(226,155,0,0.25)';
      g.fillRect(x(ep.t - 3 * 60000), T, x(ep.t + 15 * 60000) - x(ep.t - 3 * 60000), H - T - B);
      g.fillStyle = '#e29b00';
      g.fillRect(x(ep.t) - 1, T, 3, H - T - B);
    }
    const line = (pts, lo, hi, color) => {
      g.strokeStyle = color; g.lineWidth = 1.5; g.beginPath();
      pts.forEach((p, i) => { const px = x(p[0]), py = y(p[1], lo, hi); if (i) { g.lineTo(px, py); } else { g.moveTo(px, py); } });
      g.stroke();
    };
    line(state.hr, hrLo, hrHi, '#d33f49');
    line(state.hrv, vLo, vHi, '#2a7de1');
    g.fillStyle = '#555'; g.font = '12px sans-serif';
    g.fillText(Math.round(hrHi) + ' bpm', 2, T + 10); g.fillText(Math.round(hrLo) + ' bpm', 2, H - B);
    g.fillText(Math.round(vHi) + ' ms', W - R + 4, T + 10); g.fillText(Math.round(vLo) + ' ms', W - R + 4, H - B);
    for (let h = 0; h <= 4; h++) {
      const t = cut + h * WINDOW_MS / 4;
      g.fillText(new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), x(t) - 15, H - 10);
    }
    c.dataset.hrPoints = state.hr.length;
    c.dataset.hrvPoints = state.hrv.length;
    c.dataset.episodes = state.episodes.filter(e => e.t >= cut).length;

    renderRisk();
    $('episodes').replaceChildren(...state.episodes.slice().reverse().map(ep => {
      const li = document.createElement('li');
      li.className = 'episode';
      li.textContent = new Date(ep.t).toLocaleTimeString() + ' — level ' + Math.round(ep.level)
        + ' (' + (ep.triggers || []).join(', ') + ') ';
      const said = ep.id !== null && state.answers ? state.answers[ep.id] : undefined;
      if (said) {
        li.append({ yes: 'you said: stress', no: 'you said: not stress', not_sure: 'you were not sure' }[said]);
      } else if (ep.id !== null) {
        for (const [label, answer] of [['Stress', 'yes'], ['Not stress', 'no'], ['Not sure', 'not_sure']]) {
          const b = document.createElement('button');
          b.textContent = label;
          b.className = answer === 'yes' ? '' : 'secondary';
          b.dataset.answer = answer;
          b.onclick = () => answerEpisode(ep, answer);
          li.append(b, ' ');
        }
      }
      return li;
    }));
    $('interventions').replaceChildren(...state.interventions.map(iv => {
      const li = document.createElement('li');
      li.textContent = '[' + iv.urgency + '] ' + iv.content + ' — ' + iv.status + ' ';
      if (iv.status === 'pending' && iv.id !== null) {
        for (const [label, response] of [['Accept', 'accepted'], ['Dismiss', 'dismissed']]) {
          const b = document.createElement('button');
          b.textContent = label;
          b.className = response === 'dismissed' ? 'secondary' : '';
          b.onclick = async () => {
            await api('/api/v2/biometric/interventions/respond', { method: 'POST',
              body: JSON.stringify({ intervention_id: iv.id, response }) });
            iv.status = response; render();
          };
          li.append(b, ' ');
        }
      }
      return li;
    }));
  }

  const FACTORS = {
    self_harm_thoughts_phq9_item9: 'thoughts of self-harm (PHQ-9 item 9)', depressive_symptoms_phq9: 'low mood (PHQ-9)',
    anxiety_symptoms_gad7: 'anxiety (GAD-7)', frequent_stress_episodes: 'frequent stress episodes',
    short_sleep: 'short sleep', falling_hrv: 'falling heart-rate variability', low_activity: 'little activity',
    voice_markers: 'voice markers', enough_sleep: 'enough sleep', physically_active: 'staying active',
    stable_or_rising_hrv: 'steady heart-rate variability', few_stress_episodes: 'few stress episodes',
    minimal_depressive_symptoms: 'few signs of low mood' };
  const factor = (f) => FACTORS[f] || f.replaceAll('_', ' ');

  function renderRisk() {
    const a = state.risk && state.risk.assessment;
    const level = $('risk-level');
    if (!a) {
      level.textContent = 'no assessment yet';
      level.className = 'level';
      $('risk-score').textContent = '';
      $('risk-when').textContent = '';
      $('risk-factors').textContent = '';
    } else {
      level.textContent = a.risk_level;
      level.className = 'level ' + a.risk_level;
      $('risk-score').textContent = 'score ' + Math.round(a.overall_risk_score) + ' / 100, confidence '
        + Math.round(a.confidence * 100) + ' %';
      $('risk-when').textContent = (a.trigger === 'daily' ? 'for ' + a.assessed_day : 'on ' + new Date(a.created_at).toLocaleString())
        + ' (' + a.model_version + ')' + (state.risk.stale ? ' — out of date' : '');
      $('risk-factors').textContent = (a.primary_risk_factors.length ? 'Weighing on you: '
        + a.primary_risk_factors.map(factor).join(', ') + '. ' : '')
        + (a.protective_factors.length ? 'Helping you: ' + a.protective_factors.map(factor).join(', ') + '.' : '');
    }
    $('risk-support').textContent = a && a.professional_escalation
      ? 'Please talk to a mental-health professional soon. If you might act on thoughts of harming yourself, '
        + 'call your local emergency number now.' : '';
    $('risk-history').replaceChildren(...state.history.map(h => {
      const bar = document.createElement('div');
      bar.style.height = Math.max(2, h.overall_risk_score * 0.6) + 'px';
      bar.title = (h.assessed_day || h.created_at) + ': ' + h.risk_level + ' (' + Math.round(h.overall_risk_score) + ')';
      return bar;
    }));
  }


  // ---- groups: find a match, join, chat live over the WebSocket, the group's mood ----
  const groups = { list: [], current: null, messages: [], mine: new Set(), moodTimer: null };

  async function loadGroups() {
    const r = await api('/api/v2/therapy/groups');
    groups.list = r.groups;
    if (!groups.current && groups.list.length) { await openGroup(groups.list[0].id); }
    renderGroupList();
  }

  function renderGroupList() {
    $('group-list').replaceChildren(...groups.list.map(g => {
      const b = document.createElement('button');
      b.textContent = g.session_type.replace('_', ' ') + ' · ' + g.current_participants + '/' + g.max_participants + ' · you are '
        + g.anonymous_id;
      b.className = groups.current === g.id ? 'current' : 'secondary';
      b.dataset.groupId = g.id;
      b.onclick = () => openGroup(g.id);
      return b;
    }));
  }

  async function findMatch(ev) {
    ev.preventDefault();
    const body = JSON.stringify({ session_type: $('session-type').value, therapeutic_goals: [$('goal').value] });
    let r;
    try {
      r = await api('/api/v2/therapy/groups/find-match', { method: 'POST', body });
    } catch (e) {
      if (!/consent/.test(e.message)) { $('match-result').textContent = e.message; return; }
      if (!confirm('Joining groups shares your messages with up to five others, under a pseudonym. Allow?')) { return; }
      await api('/api/v2/me/consents', { method: 'PUT', body: JSON.stringify({ kind: 'groups', granted: true }) });
      r = await api('/api/v2/therapy/groups/find-match', { method: 'POST', body });
    }
    if (!r.placed) {
      showCrisis(r.crisis_support, r.reason);
      return;
    }
    if (!r.joined) {
      await api('/api/v2/therapy/groups/' + r.group.id + '/join', { method: 'POST', body: '{}' });
    }
    const parts = r.explanation && r.explanation.goal_similarity
      ? ' (goals ' + r.explanation.goal_similarity.value + ', type ' + r.explanation.session_type.value + ', state '
        + r.explanation.current_state.value + ')' : '';
    $('match-result').textContent = (r.joined ? 'A new group is forming around your goals' : 'Joined a group that fits you')
      + ': compatibility ' + r.compatibility_score + parts;
    groups.current = null;
    await loadGroups();
    await openGroup(r.group.id);
  }

  async function openGroup(id) {
    groups.current = id;
    const r = await api('/api/v2/therapy/groups/' + id + '/messages?limit=50');
    groups.messages = r.messages.slice().reverse();
    renderChat();
    renderGroupList();
    loadMood();
    clearInterval(groups.moodTimer);
    groups.moodTimer = setInterval(loadMood, 15000);
  }

  function onGroupEvent(e) {
    if (e.type === 'group_message' && e.groupId === groups.current && !groups.messages.some(m => m.id === e.messageId)) {
      groups.messages.push({ id: e.messageId, anonymous_id: e.anonymousId, content: e.message, sentiment: e.sentiment,
        timestamp: e.timestamp });
      renderChat();
    } else if (e.type === 'group_message_ack') {
      groups.mine.add(e.messageId);
    } else if (e.type === 'crisis_support') {
      showCrisis(e, null);
    } else if (e.type === 'error') {
      $('match-result').textContent = e.error.message;
    }
  }

  function showCrisis(support, reason) {
    const box = $('crisis');
    const lines = [reason || support.message];
    for (const r of support.resources || []) {
      lines.push(r.name + (r.phone ? ' — call ' + r.phone : '') + (r.text ? ' — text ' + r.text : '') + (r.url ? ' — ' + r.url : ''));
    }
    lines.push('In immediate danger: ' + support.emergency + '.');
    box.replaceChildren(...lines.map(t => { const p = document.createElement('p'); p.textContent = t; return p; }));
    box.hidden = false;
  }

  function renderChat() {
    const chat = $('chat');
    chat.replaceChildren(...groups.messages.map(m => {
      const d = document.createElement('div');
      d.className = 'msg' + (groups.mine.has(m.id) ? ' mine' : '');
      const who = document.createElement('span'); who.className = 'who'; who.textContent = m.anonymous_id;
      const text = document.createElement('span'); text.textContent = m.removed ? '(removed)' : m.content;
      const s = document.createElement('span'); s.className = 's';
      s.textContent = new Date(m.timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      d.append(who, text, s);
      return d;
    }));
    chat.dataset.messages = groups.messages.length;
    chat.scrollTop = chat.scrollHeight;
  }

  function send(ev) {
    ev.preventDefault();
    const text = $('message').value.trim();
    if (!text || !groups.current || !state.socket || state.socket.readyState !== 1) { return; }
    state.socket.send(JSON.stringify({ type: 'group_message', groupId: groups.current, message: text, messageType: 'text' }));
    $('message').value = '';
  }

  async function loadMood() {
    if (!groups.current) { return; }
    const r = await api('/api/v2/therapy/groups/' + groups.current + '/sentiment?hours=6');
    const c = $('mood');
    const g = c.getContext('2d');
    const W = c.width, H = c.height, mid = H / 2;
    g.clearRect(0, 0, W, H);
    g.strokeStyle = '#ccd'; g.beginPath(); g.moveTo(0, mid); g.lineTo(W, mid); g.stroke();
    const n = r.windows.length, w = Math.max(4, Math.min(40, W / Math.max(1, n) - 2));
    r.windows.forEach((win, i) => {
      const v = win.mean_sentiment, h = Math.abs(v) * (mid - 6);
      g.fillStyle = v >= 0 ? '#5aa469' : '#d9534f';
      g.fillRect(W - (n - i) * (w + 2), v >= 0 ? mid - h : mid, w, Math.max(1, h));
    });
    c.dataset.windows = n;
    $('mood-trend').textContent = n ? 'Mood over the last ' + n + ' five-minute windows (green above, red below neutral): '
      + r.trend.direction + '. ' + r.engagement.writers_last_hour + ' of ' + r.engagement.members + ' wrote in the last hour.'
      : 'No mood windows yet: they appear a few seconds after the group talks.';
  }


  // ---- for you: content written from the person's data, started, completed, rated; what measurably helps ----
  const piece = { id: null, usage: null };

  async function writeContent(ev) {
    ev.preventDefault();
    $('content-error').textContent = '';
    const body = { duration_minutes: Number($('content-minutes').value) };
    if ($('content-focus').value.trim()) { body.focus = $('content-focus').value.trim(); }
    try {
      const c = await api('/api/v2/content/generate/' + $('content-type').value, { method: 'POST', body: JSON.stringify(body) });
      piece.id = c.id; piece.usage = null;
      $('content-why').textContent = 'About ' + Math.round(c.estimated_duration / 60) + ' min. Written from: '
        + (c.personalizations.map(p => p.from).filter((v, i, a) => a.indexOf(v) === i).join('; ') || 'your request');
      $('content-text').textContent = c.content;
      $('content-piece').hidden = false;
      $('content-start').disabled = false; $('content-done').disabled = true; $('content-status').textContent = '';
    } catch (e) {
      $('content-error').textContent = e.message;
    }
  }

  async function startContent() {
    const u = await api('/api/v2/content/' + piece.id + '/sessions', { method: 'POST', body: '{}' });
    piece.usage = u.usage_id;
    $('content-start').disabled = true; $('content-done').disabled = false;
    $('content-status').textContent = 'started — your heart rate and HRV around it will show what it did';
  }

  async function finishContent() {
    await api('/api/v2/content/sessions/' + piece.usage, { method: 'PUT', body: JSON.stringify({ completion_rate: 1 }) });
    $('content-done').disabled = true;
    $('content-status').textContent = 'done — measured about 15 minutes from now';
  }

  async function rateContent() {
    if (!piece.id || !$('content-rating').value) { return; }
    await api('/api/v2/content/' + piece.id + '/rating', { method: 'PUT', body: JSON.stringify({ rating: Number($('content-rating').value) }) });
    $('content-status').textContent = 'thank you';
    loadHelps();
  }

  async function loadHelps() {
    const r = await api('/api/v2/content/library?limit=5');
    const measured = r.content.filter(c => c.measured_effectiveness !== undefined);
    $('helps').replaceChildren(...(measured.length ? measured : r.content.slice(0, 3)).map(c => {
      const li = document.createElement('li');
      li.textContent = c.title + (c.measured_effectiveness !== undefined
        ? ' — effect ' + Math.round(c.measured_effectiveness * 100) + ' / 100 over ' + c.measured_sessions + ' sessions'
        : ' — not measured yet');
      return li;
    }));
  }

  $('content-form').addEventListener('submit', writeContent);
  $('content-start').addEventListener('click', startContent);
  $('content-done').addEventListener('click', finishContent);
  $('content-rating').addEventListener('change', rateContent);

  $('match-form').addEventListener('submit', findMatch);
  $('send-form').addEventListener('submit', send);

  $('login-form').addEventListener('submit', signIn);
  $('import-button').addEventListener('click', importFile);
  $('check-in').addEventListener('click', checkIn);
  $('check-in-level').addEventListener('input', () => { $('check-in-value').textContent = $('check-in-level').value; });
  setInterval(() => { if (state.token) { render(); } }, 30000);
})();
