// The Gradient Book's two interactive widgets, plain JavaScript and hand-written SVG:
//  - the gradient-flow explorer (initialization chapter, <div class="gb-explorer">): one forward and
//    backward pass of a plain deep net on a fixed, seeded batch, redrawn on every change. The math,
//    the random numbers and the statistics are those of snippets/initialization/explorer_reference.py
//    (tests/test_explorer.py compares the two);
//  - the chain product (chain-rule chapter, <div class="gb-chain">): |d a_L / d b_1| of the
//    one-neuron-per-layer sigmoid chain as the depth grows.
// Settings live in the page URL's query, so a link reproduces the view.
(function () {
  "use strict";
  const ZH = typeof document !== "undefined" && (document.documentElement.lang || "").startsWith("zh");
  const T = (zh, en) => (ZH ? zh : en);
  const SVGNS = "http://www.w3.org/2000/svg";

  // ------------------------------------------------------------ seeded random numbers
  // mulberry32: state_k = seed + (k + 1) * 0x6D2B79F5 (mod 2^32), hashed; u = (x + 0.5) / 2^32.
  function uniform(seed, k) {
    let t = (seed + Math.imul(k + 1, 0x6D2B79F5)) | 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  }
  // Normals m = start .. start+count-1 of the stream; Box-Muller on the pair (u_2p, u_2p+1).
  function normals(seed, start, count) {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const m = start + i, p = m >>> 1;
      const r = Math.sqrt(-2 * Math.log(uniform(seed, 2 * p)));
      const theta = 2 * Math.PI * uniform(seed, 2 * p + 1);
      out[i] = (m & 1) ? r * Math.sin(theta) : r * Math.cos(theta);
    }
    return out;
  }

  // ------------------------------------------------------------ the explorer's math
  const SEED = 2024, BATCH = 128, EPS = 1e-5, HIST_BINS = 30, SAT_FRACTION = 0.01, LEAKY = 0.01;
  const SELU_L = 1.0507009873554805, SELU_A = 1.6732632423543772;
  const ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu"];
  const INITS = ["normal1", "small", "glorot", "he", "lecun", "scale"];
  const DEFAULTS = {depth: 30, width: 100, act: "sigmoid", init: "glorot", scale: 1, bn: false};
  const LIMITS = {depth: [1, 50], width: [10, 200], scale: [0.05, 5]};

  function weightStd(init, n, scale) {
    return {normal1: 1, small: 0.01, glorot: Math.sqrt(2 / (n + n)), he: Math.sqrt(2 / n),
            lecun: Math.sqrt(1 / n), scale: scale / Math.sqrt(n)}[init];
  }
  // a = f(u) into a, f'(u) into s; returns the largest slope of f.
  function activate(name, u, a, s) {
    const len = u.length;
    if (name === "sigmoid") {
      for (let i = 0; i < len; i++) { const v = 1 / (1 + Math.exp(-u[i])); a[i] = v; s[i] = v * (1 - v); }
      return 0.25;
    }
    if (name === "tanh") {
      for (let i = 0; i < len; i++) { const v = Math.tanh(u[i]); a[i] = v; s[i] = 1 - v * v; }
      return 1;
    }
    for (let i = 0; i < len; i++) {
      const z = u[i], pos = z > 0;
      if (name === "relu") { a[i] = pos ? z : 0; s[i] = pos ? 1 : 0; }
      else if (name === "leaky_relu") { a[i] = pos ? z : LEAKY * z; s[i] = pos ? 1 : LEAKY; }
      else {
        const e = Math.exp(Math.min(z, 0));
        if (name === "elu") { a[i] = pos ? z : e - 1; s[i] = pos ? 1 : e; }
        else { a[i] = SELU_L * (pos ? z : SELU_A * (e - 1)); s[i] = pos ? SELU_L : SELU_L * SELU_A * e; }
      }
    }
    return name === "selu" ? SELU_L * SELU_A : 1;
  }
  function meanStd(x) {
    let m = 0;
    for (let i = 0; i < x.length; i++) m += x[i];
    m /= x.length;
    let v = 0;
    for (let i = 0; i < x.length; i++) { const d = x[i] - m; v += d * d; }
    return [m, Math.sqrt(v / x.length)];
  }
  function norm(x) { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return Math.sqrt(s); }

  // The three matrix products of a layer, tiled 2 rows x 4 columns so that eight sums stay in
  // registers (the plain triple loop is memory-bound). Row-major matrices.
  // C (M x N) = A (M x K) . W (K x N)
  function matmul(A, W, C, M, K, N) {
    const N4 = N - (N % 4);
    for (let m = 0; m < M; m += 2) {
      const r0 = m * K, r1 = r0 + K, two = m + 1 < M;
      for (let j = 0; j < N4; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        for (let k = 0, wo = j; k < K; k++, wo += N) {
          const a0 = A[r0 + k], a1 = two ? A[r1 + k] : 0;
          const w0 = W[wo], w1 = W[wo + 1], w2 = W[wo + 2], w3 = W[wo + 3];
          c00 += a0 * w0; c01 += a0 * w1; c02 += a0 * w2; c03 += a0 * w3;
          c10 += a1 * w0; c11 += a1 * w1; c12 += a1 * w2; c13 += a1 * w3;
        }
        const o = m * N + j;
        C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03;
        if (two) { C[o + N] = c10; C[o + N + 1] = c11; C[o + N + 2] = c12; C[o + N + 3] = c13; }
      }
      for (let j = N4; j < N; j++) {
        let c0 = 0, c1 = 0;
        for (let k = 0, wo = j; k < K; k++, wo += N) { c0 += A[r0 + k] * W[wo]; if (two) c1 += A[r1 + k] * W[wo]; }
        C[m * N + j] = c0;
        if (two) C[m * N + N + j] = c1;
      }
    }
  }
  // ||A^T D||_F for A (M x K), D (M x N): the norm of dL/dW without storing it
  function normAtD(A, D, M, K, N) {
    const N4 = N - (N % 4);
    let total = 0;
    for (let i = 0; i < K; i += 2) {
      const two = i + 1 < K;
      for (let j = 0; j < N4; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        for (let m = 0, ao = i, dO = j; m < M; m++, ao += K, dO += N) {
          const a0 = A[ao], a1 = two ? A[ao + 1] : 0;
          const d0 = D[dO], d1 = D[dO + 1], d2 = D[dO + 2], d3 = D[dO + 3];
          c00 += a0 * d0; c01 += a0 * d1; c02 += a0 * d2; c03 += a0 * d3;
          c10 += a1 * d0; c11 += a1 * d1; c12 += a1 * d2; c13 += a1 * d3;
        }
        total += c00 * c00 + c01 * c01 + c02 * c02 + c03 * c03 + c10 * c10 + c11 * c11 + c12 * c12 + c13 * c13;
      }
      for (let j = N4; j < N; j++) {
        let c0 = 0, c1 = 0;
        for (let m = 0; m < M; m++) { const d = D[m * N + j]; c0 += A[m * K + i] * d; if (two) c1 += A[m * K + i + 1] * d; }
        total += c0 * c0 + c1 * c1;
      }
    }
    return Math.sqrt(total);
  }
  // C (M x K) = D (M x N) . W^T, W (K x N)
  function matmulT(D, W, C, M, N, K) {
    const K4 = K - (K % 4);
    for (let m = 0; m < M; m += 2) {
      const r0 = m * N, r1 = r0 + N, two = m + 1 < M;
      for (let i = 0; i < K4; i += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        const w0o = i * N, w1o = w0o + N, w2o = w1o + N, w3o = w2o + N;
        for (let j = 0; j < N; j++) {
          const d0 = D[r0 + j], d1 = two ? D[r1 + j] : 0;
          const w0 = W[w0o + j], w1 = W[w1o + j], w2 = W[w2o + j], w3 = W[w3o + j];
          c00 += d0 * w0; c01 += d0 * w1; c02 += d0 * w2; c03 += d0 * w3;
          c10 += d1 * w0; c11 += d1 * w1; c12 += d1 * w2; c13 += d1 * w3;
        }
        const o = m * K + i;
        C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03;
        if (two) { C[o + K] = c10; C[o + K + 1] = c11; C[o + K + 2] = c12; C[o + K + 3] = c13; }
      }
      for (let i = K4; i < K; i++) {
        let c0 = 0, c1 = 0;
        for (let j = 0; j < N; j++) { const w = W[i * N + j]; c0 += D[r0 + j] * w; if (two) c1 += D[r1 + j] * w; }
        C[m * K + i] = c0;
        if (two) C[m * K + K + i] = c1;
      }
    }
  }

  // Unit-normal draws, cached per width: X, G, then one n x n block per layer.
  const draws = {width: 0, x: null, g: null, w: []};
  function unitDraws(n, depth) {
    if (draws.width !== n) { draws.width = n; draws.w = []; draws.x = null; }
    const size = BATCH * n;
    if (!draws.x) { draws.x = normals(SEED, 0, size); draws.g = normals(SEED, size, size); }
    for (let l = draws.w.length; l < depth; l++) draws.w.push(normals(SEED, 2 * size + l * n * n, n * n));
    return draws;
  }

  function compute(st) {
    const n = st.width, L = st.depth, B = BATCH, size = B * n;
    const d = unitDraws(n, L), std = weightStd(st.init, n, st.scale);
    const W = [];
    for (let l = 0; l < L; l++) { const w = new Float64Array(n * n), u = d.w[l]; for (let i = 0; i < n * n; i++) w[i] = std * u[i]; W.push(w); }
    const out = {act_mean: [], act_std: [], saturated: [], dead: [], forward_gain: [], hist: [],
                 hist_range: [], grad_norm: new Array(L), backward_gain: new Array(L)};
    const cache = [];
    let a = d.x;
    for (let l = 0; l < L; l++) {                      // forward: z = a W, u = BN(z), a' = f(u)
      const z = new Float64Array(size);
      matmul(a, W[l], z, B, n, n);                      // z_l = a_{l-1} W_l
      let inv = null;
      if (st.bn) {
        inv = new Float64Array(n);
        const mu = new Float64Array(n);
        for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) mu[j] += z[b * n + j];
        for (let j = 0; j < n; j++) mu[j] /= B;
        for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) { const dd = z[b * n + j] - mu[j]; inv[j] += dd * dd; }
        for (let j = 0; j < n; j++) inv[j] = 1 / Math.sqrt(inv[j] / B + EPS);
        for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) z[b * n + j] = (z[b * n + j] - mu[j]) * inv[j];
      }
      const an = new Float64Array(size), s = new Float64Array(size);
      const thr = SAT_FRACTION * activate(st.act, z, an, s);
      let flat = 0, dead = 0;
      for (let j = 0; j < n; j++) {
        let all = true;
        for (let b = 0; b < B; b++) { if (s[b * n + j] < thr) flat++; else all = false; }
        if (all) dead++;
      }
      const [m, sd] = meanStd(an), prevSd = meanStd(a)[1];
      let lo, hi;
      if (st.act === "sigmoid") { lo = 0; hi = 1; } else if (st.act === "tanh") { lo = -1; hi = 1; }
      else { lo = Infinity; hi = -Infinity; for (let i = 0; i < size; i++) { if (an[i] < lo) lo = an[i]; if (an[i] > hi) hi = an[i]; }
             if (!(hi > lo)) { lo -= 0.5; hi += 0.5; } }
      const hist = new Array(HIST_BINS).fill(0), scaleH = HIST_BINS / (hi - lo);
      for (let i = 0; i < size; i++) {
        const v = an[i];
        if (v < lo || v > hi) continue;
        let k = Math.floor((v - lo) * scaleH);
        if (k >= HIST_BINS) k = HIST_BINS - 1;
        hist[k]++;
      }
      out.act_mean.push(m); out.act_std.push(sd); out.saturated.push(flat / size); out.dead.push(dead / n);
      out.forward_gain.push(sd / prevSd); out.hist.push(hist); out.hist_range.push([lo, hi]);
      cache.push({a, u: z, inv, s});
      a = an;
    }
    let g = d.g;                                        // backward: g = dL/da_l, dL/da_L = G
    const gmean = new Float64Array(n), gu = new Float64Array(n);
    for (let l = L - 1; l >= 0; l--) {
      const {a: ap, u, inv, s} = cache[l], w = W[l], dz = new Float64Array(size);
      for (let i = 0; i < size; i++) dz[i] = g[i] * s[i];   // dL/du = dL/da * f'(u)
      if (st.bn) {                                      // dz = inv (du - mean(du) - u mean(du u))
        gmean.fill(0); gu.fill(0);
        for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) { const k = b * n + j; gmean[j] += dz[k]; gu[j] += dz[k] * u[k]; }
        for (let j = 0; j < n; j++) { gmean[j] /= B; gu[j] /= B; }
        for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) { const k = b * n + j; dz[k] = inv[j] * (dz[k] - gmean[j] - u[k] * gu[j]); }
      }
      out.grad_norm[l] = normAtD(ap, dz, B, n, n);      // ||dL/dW_l||, dL/dW_l = a_{l-1}^T dz
      const gp = new Float64Array(size);                // dL/da_{l-1} = dz W_l^T
      matmulT(dz, w, gp, B, n, n);
      out.backward_gain[l] = norm(gp) / norm(g);
      g = gp;
    }
    return out;
  }

  // ------------------------------------------------------------ SVG helpers
  function el(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, str, cls, anchor) {
    const t = el("text", {x, y, class: cls || "gb-w-tick", "text-anchor": anchor || "middle"}, parent);
    t.textContent = str;
    return t;
  }
  const fmt = (v) => (!isFinite(v) ? String(v) : v === 0 ? "0" : (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2)
    ? v.toExponential(1).replace("e+", "e") : String(+v.toPrecision(3)));
  const pct = (v) => (100 * v).toFixed(1) + "%";

  // A line chart over layers 1..L. series: [{values, cls, label}]; log: log10 y axis.
  function chart(svg, title, series, opts) {
    svg.textContent = "";
    const Wd = 420, H = 240, m = {l: 50, r: 10, t: 42, b: 38};
    svg.setAttribute("viewBox", `0 0 ${Wd} ${H}`);
    const L = series[0].values.length, log = opts.log;
    const tf = (v) => (log ? Math.log10(v) : v);
    let ys = [];
    for (const s of series) for (const v of s.values) if (isFinite(tf(v))) ys.push(tf(v));
    if (opts.ref !== undefined) ys.push(tf(opts.ref));
    let lo = opts.min !== undefined ? opts.min : Math.min(...ys), hi = opts.max !== undefined ? opts.max : Math.max(...ys);
    if (!ys.length) { lo = 0; hi = 1; }
    if (log) { lo = Math.floor(lo); hi = Math.ceil(hi); }
    if (hi - lo < 1e-9) { lo -= log ? 1 : 0.5; hi += log ? 1 : 0.5; }
    const X = (k) => m.l + (L === 1 ? 0.5 : (k - 1) / (L - 1)) * (Wd - m.l - m.r);
    const Y = (v) => H - m.b - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo) * (H - m.t - m.b);
    const title_ = el("title", {}, svg); title_.textContent = title;
    text(svg, m.l, 15, title, "gb-w-title", "start");
    // y ticks
    const yt = [];
    if (log) { const step = Math.max(1, Math.ceil((hi - lo) / 6)); for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) yt.push(e); }
    else { for (let k = 0; k <= 4; k++) yt.push(lo + (hi - lo) * k / 4); }
    for (const v of yt) {
      el("line", {x1: m.l, x2: Wd - m.r, y1: Y(v), y2: Y(v), class: "gb-w-grid"}, svg);
      const t = text(svg, m.l - 6, Y(v) + 4, log ? "10" : (opts.percent ? Math.round(100 * v) + "%" : fmt(v)), "gb-w-tick", "end");
      if (log) { const sup = el("tspan", {dy: -6, class: "gb-w-small"}, t); sup.textContent = String(v); }
    }
    // x ticks
    const xstep = L <= 10 ? 1 : L <= 25 ? 5 : 10;
    for (let k = 1; k <= L; k++) if (k === 1 || k % xstep === 0) text(svg, X(k), H - m.b + 16, String(k));
    text(svg, (m.l + Wd - m.r) / 2, H - 4, opts.xlabel || T("层", "layer"), "gb-w-tick");
    el("line", {x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, class: "gb-w-axis"}, svg);
    el("line", {x1: m.l, x2: Wd - m.r, y1: H - m.b, y2: H - m.b, class: "gb-w-axis"}, svg);
    if (opts.ref !== undefined) el("line", {x1: m.l, x2: Wd - m.r, y1: Y(tf(opts.ref)), y2: Y(tf(opts.ref)), class: "gb-w-ref"}, svg);
    let lx = Wd - m.r;
    series.slice().reverse().forEach((s) => {
      const pts = [];
      s.values.forEach((v, i) => { const t = tf(v); if (isFinite(t)) pts.push(`${X(i + 1).toFixed(1)},${Y(t).toFixed(1)}`); });
      el("polyline", {points: pts.join(" "), class: `gb-w-line ${s.cls}`}, svg);
      if (L <= 50) for (const p of pts) { const [px, py] = p.split(","); el("circle", {cx: px, cy: py, r: 2.2, class: `gb-w-dot ${s.cls}`}, svg); }
      const t = text(svg, lx, 32, (s.cls === "gb-w-c2" ? "- - " : "— ") + s.label, `gb-w-legend ${s.cls}`, "end");
      lx -= 16 + t.getComputedTextLength();
      return t;
    });
  }

  function histograms(svg, stats, act) {
    svg.textContent = "";
    const L = stats.hist.length;
    const pick = [];
    const count = Math.min(L, 9);
    for (let k = 0; k < count; k++) { const l = count === 1 ? 0 : Math.round(k * (L - 1) / (count - 1)); if (!pick.includes(l)) pick.push(l); }
    const cols = 3;
    const rows = Math.ceil(pick.length / cols), pw = 112, ph = 92, Wd = cols * pw, H = rows * ph + 24;
    svg.setAttribute("viewBox", `0 0 ${Wd} ${H}`);
    const title = T("各层激活值的直方图", "Activation histograms, layer by layer");
    el("title", {}, svg).textContent = title;
    text(svg, 4, 15, title, "gb-w-title", "start");
    pick.forEach((l, idx) => {
      const ox = (idx % cols) * pw, oy = 24 + Math.floor(idx / cols) * ph;
      const h = stats.hist[l], mx = Math.max(...h, 1), bw = (pw - 12) / h.length, base = oy + ph - 30;
      h.forEach((c, k) => {
        if (!c) return;
        const bh = (c / mx) * (ph - 48);
        el("rect", {x: (ox + 6 + k * bw).toFixed(1), y: (base - bh).toFixed(1), width: Math.max(bw - 0.6, 0.5).toFixed(1), height: bh.toFixed(1), class: "gb-w-bar"}, svg);
      });
      el("line", {x1: ox + 6, x2: ox + pw - 6, y1: base, y2: base, class: "gb-w-axis"}, svg);
      text(svg, ox + pw / 2, oy + 12, T(`第 ${l + 1} 层`, `layer ${l + 1}`), "gb-w-tick");
      const [lo, hi] = stats.hist_range[l];
      text(svg, ox + 6, base + 12, fmt(lo), "gb-w-small", "start");
      text(svg, ox + pw - 6, base + 12, fmt(hi), "gb-w-small", "end");
      text(svg, ox + pw / 2, base + 24, `std ${fmt(stats.act_std[l])}`, "gb-w-small");
    });
  }

  // ------------------------------------------------------------ the explorer's page part
  const LABELS = {
    sigmoid: "Sigmoid", tanh: "tanh", relu: "ReLU", leaky_relu: "Leaky ReLU (α = 0.01)", elu: "ELU", selu: "SELU",
    normal1: "N(0, 1)", small: "N(0, 0.01²)", glorot: T("Xavier（Glorot）", "Xavier (Glorot)"),
    he: "He", lecun: "LeCun", scale: T("自定义：N(0, s²/n)", "free: N(0, s²/n)"),
  };

  function readState(params, prefix) {
    const st = Object.assign({}, DEFAULTS);
    const int = (k) => { const v = parseInt(params.get(k), 10); if (!isNaN(v)) st[k] = Math.min(Math.max(v, LIMITS[k][0]), LIMITS[k][1]); };
    int("depth"); int("width");
    st.width = Math.round(st.width / 10) * 10 || DEFAULTS.width;
    if (ACTS.includes(params.get("act"))) st.act = params.get("act");
    if (INITS.includes(params.get("init"))) st.init = params.get("init");
    const sc = parseFloat(params.get("scale"));
    if (!isNaN(sc)) st.scale = Math.min(Math.max(sc, LIMITS.scale[0]), LIMITS.scale[1]);
    if (params.has("bn")) st.bn = params.get("bn") === "1";
    return st;
  }

  function explorer(root) {
    const id = (k) => `gb-x-${k}`;
    const opt = (list) => list.map((v) => `<option value="${v}">${LABELS[v]}</option>`).join("");
    root.innerHTML = `
<form class="gb-w-controls" aria-label="${T("梯度流探索器的设置", "Gradient-flow explorer settings")}">
  <div><label for="${id("depth")}">${T("深度（层数）", "depth (layers)")}${T("：", ": ")}<output id="${id("depth-out")}" for="${id("depth")}"></output></label>
    <input type="range" id="${id("depth")}" name="depth" min="1" max="50" step="1"></div>
  <div><label for="${id("width")}">${T("宽度（每层单元数）", "width (units per layer)")}${T("：", ": ")}<output id="${id("width-out")}" for="${id("width")}"></output></label>
    <input type="range" id="${id("width")}" name="width" min="10" max="200" step="10"></div>
  <div><label for="${id("act")}">${T("激活函数", "activation function")}</label>
    <select id="${id("act")}" name="act">${opt(ACTS)}</select></div>
  <div><label for="${id("init")}">${T("权重初始化", "weight initialization")}</label>
    <select id="${id("init")}" name="init">${opt(INITS)}</select></div>
  <div><label for="${id("scale")}">${T("自定义的 s", "free scale s")}</label>
    <input type="number" id="${id("scale")}" name="scale" min="0.05" max="5" step="0.05"></div>
  <div class="gb-w-check"><input type="checkbox" id="${id("bn")}" name="bn">
    <label for="${id("bn")}">${T("批量归一化", "batch normalization")}</label></div>
</form>
<p class="gb-w-summary" id="${id("summary")}"></p>
<div class="gb-w-charts">
  <svg id="${id("hist")}" class="gb-w-svg" role="img" aria-labelledby="${id("hist")}-d"><desc id="${id("hist")}-d"></desc></svg>
  <svg id="${id("grad")}" class="gb-w-svg" role="img"></svg>
  <svg id="${id("share")}" class="gb-w-svg" role="img"></svg>
  <svg id="${id("gain")}" class="gb-w-svg" role="img"></svg>
</div>
<details class="gb-w-table"><summary>${T("逐层数值", "Per-layer numbers")}</summary><div class="gb-w-scroll" tabindex="0" role="region" aria-label="${T("逐层数值", "Per-layer numbers")}"><table>
<thead><tr><th scope="col">${T("层", "layer")}</th><th scope="col">${T("激活值标准差", "activation std")}</th><th scope="col">‖∂L/∂W‖</th>
<th scope="col">${T("前向增益", "forward gain")}</th><th scope="col">${T("反向增益", "backward gain")}</th>
<th scope="col">${T("饱和", "saturated")}</th><th scope="col">${T("死亡", "dead")}</th></tr></thead><tbody id="${id("rows")}"></tbody></table></div></details>`;
    const $ = (k) => root.querySelector("#" + id(k));
    const form = root.querySelector("form");
    form.addEventListener("submit", (e) => e.preventDefault());
    let state = readState(new URLSearchParams(location.search));
    const api = {state, last: null, ms: null, count: 0};

    function show() {
      $("depth").value = state.depth; $("depth-out").textContent = state.depth;
      $("width").value = state.width; $("width-out").textContent = state.width;
      $("act").value = state.act; $("init").value = state.init;
      $("scale").value = state.scale; $("scale").disabled = state.init !== "scale";
      $("bn").checked = state.bn;
    }
    function writeUrl() {
      const p = new URLSearchParams(location.search);
      for (const k of ["depth", "width", "act", "init"]) p.set(k, state[k]);
      if (state.init === "scale") p.set("scale", state.scale); else p.delete("scale");
      p.set("bn", state.bn ? "1" : "0");
      history.replaceState(history.state, "", `${location.pathname}?${p}${location.hash}`);
    }
    function render() {
      const t0 = performance.now();
      const s = compute(state);
      const L = state.depth, gr = s.grad_norm[0] / s.grad_norm[L - 1];
      const mean = (v) => v.reduce((x, y) => x + y, 0) / v.length;
      $("summary").textContent = T(
        `‖∂L/∂W‖ 第 1 层 / 第 ${L} 层 = ${fmt(gr)}；平均饱和比例 ${pct(mean(s.saturated))}；平均死亡比例 ${pct(mean(s.dead))}`,
        `‖∂L/∂W‖ layer 1 / layer ${L} = ${fmt(gr)}; mean saturated share ${pct(mean(s.saturated))}; mean dead share ${pct(mean(s.dead))}`);
      histograms($("hist"), s, state.act);
      $("hist").insertBefore(Object.assign(document.createElementNS(SVGNS, "desc"), {id: id("hist") + "-d"}), $("hist").firstChild).textContent =
        T(`选出的各层激活值直方图，最后一层标准差 ${fmt(s.act_std[L - 1])}`, `Histograms of selected layers' activations; the last layer's std is ${fmt(s.act_std[L - 1])}`);
      chart($("grad"), T("权重梯度范数 ‖∂L/∂W‖（对数坐标）", "Weight-gradient norm ‖∂L/∂W‖ (log scale)"),
            [{values: s.grad_norm, cls: "gb-w-c1", label: "‖∂L/∂W‖"}], {log: true});
      chart($("share"), T("饱和与死亡的比例", "Saturated and dead shares"),
            [{values: s.saturated, cls: "gb-w-c1", label: T("饱和", "saturated")},
             {values: s.dead, cls: "gb-w-c2", label: T("死亡", "dead")}], {min: 0, max: 1, percent: true});
      chart($("gain"), T("每层的前向与反向增益（对数坐标）", "Forward and backward gain per layer (log scale)"),
            [{values: s.forward_gain, cls: "gb-w-c1", label: T("前向", "forward")},
             {values: s.backward_gain, cls: "gb-w-c2", label: T("反向", "backward")}], {log: true, ref: 1});
      for (const k of ["grad", "share", "gain"]) $(k).setAttribute("aria-label", $(k).querySelector("title").textContent);
      $("rows").innerHTML = s.grad_norm.map((_, l) => `<tr><td>${l + 1}</td><td>${fmt(s.act_std[l])}</td><td>${fmt(s.grad_norm[l])}</td>` +
        `<td>${fmt(s.forward_gain[l])}</td><td>${fmt(s.backward_gain[l])}</td><td>${pct(s.saturated[l])}</td><td>${pct(s.dead[l])}</td></tr>`).join("");
      api.last = s; api.state = Object.assign({}, state); api.ms = performance.now() - t0; api.count++;
      root.dataset.rendered = String(api.count);
    }
    let pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; render(); });
    }
    function fromControls() {
      state = {depth: +$("depth").value, width: +$("width").value, act: $("act").value, init: $("init").value,
               scale: Math.min(Math.max(parseFloat($("scale").value) || DEFAULTS.scale, LIMITS.scale[0]), LIMITS.scale[1]), bn: $("bn").checked};
      $("depth-out").textContent = state.depth; $("width-out").textContent = state.width;
      $("scale").disabled = state.init !== "scale";
      writeUrl(); schedule();
    }
    form.addEventListener("input", fromControls);
    form.addEventListener("change", fromControls);
    api.set = (partial) => { state = Object.assign({}, state, partial); show(); writeUrl(); render(); return api.last; };
    api.compute = (st) => compute(Object.assign({}, DEFAULTS, st));
    window.gradientExplorer = api;
    show(); render();
  }

  // ------------------------------------------------------------ the chain product (chain-rule page)
  function sigmoid(z) { return 1 / (1 + Math.exp(-z)); }
  // a_0 = x; z_l = w a_{l-1} + b, a_l = sigma(z_l); |d a_L / d b_1| = s'(z_1) prod_{l=2..L} |w s'(z_l)|
  function chainProduct(w, b, x, L) {
    const z = [], factor = [], product = [];
    let a = x, p = 1;
    for (let l = 1; l <= L; l++) {
      const zl = w * a + b; a = sigmoid(zl);
      const ds = a * (1 - a);
      const f = l === 1 ? ds : Math.abs(w) * ds;
      p *= f; z.push(zl); factor.push(f); product.push(p);
    }
    return {z, factor, product};
  }

  function chain(root) {
    const id = (k) => `gb-c-${k}`;
    const range = (k, label, min, max, step) => `<div><label for="${id(k)}">${label}${T("：", ": ")}<output id="${id(k)}-out" for="${id(k)}"></output></label>
      <input type="range" id="${id(k)}" name="${k}" min="${min}" max="${max}" step="${step}"></div>`;
    root.innerHTML = `<form class="gb-w-controls" aria-label="${T("连乘小工具的设置", "Chain product settings")}">
      ${range("w", T("权重 w（每层相同）", "weight w (every layer)"), -8, 8, 0.1)}
      ${range("b", T("偏置 b（每层相同）", "bias b (every layer)"), -5, 5, 0.1)}
      ${range("x", T("输入 x = a₀", "input x = a₀"), -2, 2, 0.1)}
      ${range("depth", T("深度 L", "depth L"), 1, 50, 1)}</form>
      <p class="gb-w-summary" id="${id("summary")}"></p>
      <svg id="${id("plot")}" class="gb-w-svg gb-w-wide" role="img"></svg>`;
    const $ = (k) => root.querySelector("#" + id(k));
    const p = new URLSearchParams(location.search);
    const num = (k, d, lo, hi) => { const v = parseFloat(p.get(k)); return isNaN(v) ? d : Math.min(Math.max(v, lo), hi); };
    let st = {w: num("cw", 1, -8, 8), b: num("cb", 0, -5, 5), x: num("cx", 1, -2, 2), depth: Math.round(num("cdepth", 30, 1, 50))};
    const api = {state: st, last: null, count: 0};
    function render() {
      const r = chainProduct(st.w, st.b, st.x, st.depth), L = st.depth;
      for (const k of ["w", "b", "x", "depth"]) { $(k).value = st[k]; $(k + "-out").textContent = st[k]; }
      $("summary").textContent = T(`|∂a_L/∂b₁| = ${fmt(r.product[L - 1])}（L = ${L}），最后一层的因子 |w σ′(z_L)| = ${fmt(L > 1 ? r.factor[L - 1] : Math.abs(st.w) * r.factor[0])}`,
        `|∂a_L/∂b₁| = ${fmt(r.product[L - 1])} at L = ${L}; last layer's factor |w σ′(z_L)| = ${fmt(L > 1 ? r.factor[L - 1] : Math.abs(st.w) * r.factor[0])}`);
      chart($("plot"), T("|∂a_L/∂b₁| 随深度 L 的变化（对数坐标）", "|∂a_L/∂b₁| as the depth L grows (log scale)"),
            [{values: r.product, cls: "gb-w-c1", label: "|∂a_L/∂b₁|"}], {log: true, ref: 1, xlabel: T("深度 L", "depth L")});
      $("plot").setAttribute("aria-label", $("plot").querySelector("title").textContent);
      api.last = r; api.state = Object.assign({}, st); api.count++;
      root.dataset.rendered = String(api.count);
    }
    function fromControls() {
      st = {w: +$("w").value, b: +$("b").value, x: +$("x").value, depth: +$("depth").value};
      const q = new URLSearchParams(location.search);
      q.set("cw", st.w); q.set("cb", st.b); q.set("cx", st.x); q.set("cdepth", st.depth);
      history.replaceState(history.state, "", `${location.pathname}?${q}${location.hash}`);
      render();
    }
    root.querySelector("form").addEventListener("input", fromControls);
    root.querySelector("form").addEventListener("submit", (e) => e.preventDefault());
    window.chainProduct = api;
    render();
  }

  function start() {
    document.querySelectorAll(".gb-explorer").forEach(explorer);
    document.querySelectorAll(".gb-chain").forEach(chain);
  }
  if (typeof document !== "undefined" && document.querySelectorAll) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  }
  if (typeof module !== "undefined") module.exports = {uniform, normals, compute, chainProduct};
})();
