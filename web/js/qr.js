// A small QR code encoder (ISO/IEC 18004): byte mode, error correction
// level M (or L), versions 1 to 10 — enough for a join link of a few hundred
// characters. qrMatrix() is pure (no DOM) so it can be checked by a decoder
// in Node; qrSvg() draws the matrix as one SVG path.

// Per version 1..10: total codewords, then [EC codewords per block, blocks]
// for level L and for level M.
const TOTAL = [0, 26, 44, 70, 100, 134, 172, 196, 242, 292, 346];
const EC = {
  L: { bits: 1, perBlock: [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18], blocks: [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4] },
  M: { bits: 0, perBlock: [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26], blocks: [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5] },
};
// Centres of the alignment patterns along each axis, per version.
const ALIGN = [[], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];

// GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
const mul = (a, b) => (a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]]);

// Coefficients of prod (x - a^i), i < degree, highest power first (leading 1 omitted).
function generator(degree) {
  let g = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array(g.length + 1).fill(0);
    for (let j = 0; j < g.length; j++) {
      next[j] ^= g[j];
      next[j + 1] ^= mul(g[j], EXP[i]);
    }
    g = next;
  }
  return g.slice(1);
}

function reedSolomon(data, degree) {
  const gen = generator(degree);
  const rem = new Array(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem.shift();
    rem.push(0);
    for (let i = 0; i < degree; i++) rem[i] ^= mul(gen[i], factor);
  }
  return rem;
}

function dataCodewords(version, level) {
  return TOTAL[version] - EC[level].perBlock[version] * EC[level].blocks[version];
}

// The data bit stream, padded to the version's capacity, as codewords.
function encodeData(bytes, version, level) {
  const bits = [];
  const put = (value, n) => {
    for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, version < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacity = dataCodewords(version, level) * 8;
  put(0, Math.min(4, capacity - bits.length));
  while (bits.length % 8) bits.push(0);
  const words = [];
  for (let i = 0; i < bits.length; i += 8) words.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; words.length < capacity / 8; pad ^= 0xec ^ 0x11) words.push(pad);
  return words;
}

// Splits the data into blocks, adds each block's EC codewords, interleaves.
function finalCodewords(data, version, level) {
  const nBlocks = EC[level].blocks[version];
  const ecLen = EC[level].perBlock[version];
  const shortLen = Math.floor(data.length / nBlocks);
  const longBlocks = data.length % nBlocks;  // the last ones hold one more codeword
  const blocks = [];
  for (let b = 0, at = 0; b < nBlocks; b++) {
    const len = shortLen + (b >= nBlocks - longBlocks ? 1 : 0);
    const d = data.slice(at, at + len);
    at += len;
    blocks.push({ d, e: reedSolomon(d, ecLen) });
  }
  const out = [];
  for (let i = 0; i <= shortLen; i++) for (const b of blocks) if (i < b.d.length) out.push(b.d[i]);
  for (let i = 0; i < ecLen; i++) for (const b of blocks) out.push(b.e[i]);
  return out;
}

const MASKS = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

// BCH remainder of `value` (already shifted) by `poly` of degree `deg`.
function bch(value, poly, deg) {
  let v = value;
  for (let i = 31 - Math.clz32(v); i >= deg; i = 31 - Math.clz32(v)) v ^= poly << (i - deg);
  return v;
}

class Grid {
  constructor(version) {
    this.size = 17 + 4 * version;
    this.dark = Array.from({ length: this.size }, () => new Array(this.size).fill(false));
    this.fixed = Array.from({ length: this.size }, () => new Array(this.size).fill(false));
  }
  set(r, c, dark) {
    this.dark[r][c] = dark;
    this.fixed[r][c] = true;
  }
}

function drawFunctionPatterns(g, version) {
  const n = g.size;
  // Finder patterns with their light separators.
  for (const [r0, c0] of [[0, 0], [0, n - 7], [n - 7, 0]]) {
    for (let dr = -1; dr <= 7; dr++) {
      for (let dc = -1; dc <= 7; dc++) {
        const r = r0 + dr;
        const c = c0 + dc;
        if (r < 0 || c < 0 || r >= n || c >= n) continue;
        const ring = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
        g.set(r, c, ring !== 2 && ring !== 4);
      }
    }
  }
  for (let i = 8; i < n - 8; i++) {
    g.set(6, i, i % 2 === 0);
    g.set(i, 6, i % 2 === 0);
  }
  const centres = ALIGN[version];
  const last = centres.length - 1;
  centres.forEach((r, i) => {
    centres.forEach((c, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;  // finder corners
      for (let dr = -2; dr <= 2; dr++) {
        for (let dc = -2; dc <= 2; dc++) g.set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
      }
    });
  });
  drawFormat(g, 0, 'M');  // reserves the format areas; redrawn once the mask is chosen
  if (version >= 7) {
    const bits = (version << 12) | bch(version << 12, 0x1f25, 12);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = n - 11 + (i % 3);
      const b = Math.floor(i / 3);
      g.set(b, a, dark);
      g.set(a, b, dark);
    }
  }
}

function drawFormat(g, mask, level) {
  const n = g.size;
  const data = (EC[level].bits << 3) | mask;
  const bits = ((data << 10) | bch(data << 10, 0x537, 10)) ^ 0x5412;
  const bit = (i) => ((bits >>> i) & 1) === 1;
  // First copy, around the top-left finder.
  for (let i = 0; i <= 5; i++) g.set(i, 8, bit(i));
  g.set(7, 8, bit(6));
  g.set(8, 8, bit(7));
  g.set(8, 7, bit(8));
  for (let i = 9; i < 15; i++) g.set(8, 14 - i, bit(i));
  // Second copy, split between the top-right and bottom-left finders.
  for (let i = 0; i < 8; i++) g.set(8, n - 1 - i, bit(i));
  for (let i = 8; i < 15; i++) g.set(n - 15 + i, 8, bit(i));
  g.set(n - 8, 8, true);  // the dark module
}

// Places the codewords in the zigzag order, bottom-right first.
function drawCodewords(g, words) {
  const n = g.size;
  let i = 0;
  const total = words.length * 8;
  for (let right = n - 1, upward = true; right >= 1; right -= 2, upward = !upward) {
    if (right === 6) right = 5;  // skip the vertical timing pattern
    for (let k = 0; k < n; k++) {
      const r = upward ? n - 1 - k : k;
      for (const c of [right, right - 1]) {
        if (g.fixed[r][c]) continue;
        g.dark[r][c] = i < total && ((words[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
        i++;
      }
    }
  }
}

function applyMask(g, mask) {
  const f = MASKS[mask];
  for (let r = 0; r < g.size; r++) {
    for (let c = 0; c < g.size; c++) if (!g.fixed[r][c] && f(r, c)) g.dark[r][c] = !g.dark[r][c];
  }
}

function penalty(m) {
  const n = m.length;
  let score = 0;
  const line = (get) => {
    let s = 0;
    for (let a = 0; a < n; a++) {
      let run = 1;
      for (let b = 1; b <= n; b++) {
        if (b < n && get(a, b) === get(a, b - 1)) {
          run++;
        } else {
          if (run >= 5) s += run - 2;
          run = 1;
        }
      }
      // Finder-like 1:1:3:1:1 with four light modules on one side.
      for (let b = 0; b + 11 <= n; b++) {
        const p = [];
        for (let k = 0; k < 11; k++) p.push(get(a, b + k) ? 1 : 0);
        const s1 = p.join('');
        if (s1 === '10111010000' || s1 === '00001011101') s += 40;
      }
    }
    return s;
  };
  score += line((a, b) => m[a][b]);
  score += line((a, b) => m[b][a]);
  let dark = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (m[r][c]) dark++;
      if (r + 1 < n && c + 1 < n && m[r][c] === m[r][c + 1] && m[r][c] === m[r + 1][c] && m[r][c] === m[r + 1][c + 1]) {
        score += 3;
      }
    }
  }
  score += 10 * Math.floor(Math.abs((dark * 100) / (n * n) - 50) / 5);
  return score;
}

// The module matrix (true = dark) of `text` as UTF-8, at error correction
// `level` ('M' or 'L'), in the smallest version from 1 to 10 that holds it.
// Throws RangeError when it does not fit in version 10.
export function qrMatrix(text, level = 'M') {
  if (!EC[level]) throw new RangeError(`QR level ${level} is not supported (M or L)`);
  const bytes = Array.from(new TextEncoder().encode(text));
  let version = 1;
  while (version <= 10 && 4 + (version < 10 ? 8 : 16) + 8 * bytes.length > dataCodewords(version, level) * 8) version++;
  if (version > 10) throw new RangeError(`QR: ${bytes.length} bytes do not fit in version 10-${level}`);
  const words = finalCodewords(encodeData(bytes, version, level), version, level);
  let best = null;
  for (let mask = 0; mask < 8; mask++) {
    const g = new Grid(version);
    drawFunctionPatterns(g, version);
    drawCodewords(g, words);
    applyMask(g, mask);
    drawFormat(g, mask, level);
    const score = penalty(g.dark);
    if (!best || score < best.score) best = { score, matrix: g.dark };
  }
  return best.matrix;
}

// An <svg> element showing `text` as a QR code with a 4-module quiet zone.
export function qrSvg(text, { level = 'M', label = '' } = {}) {
  const m = qrMatrix(text, level);
  const n = m.length + 8;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n} ${n}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  if (label) svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', String(n));
  bg.setAttribute('height', String(n));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(ns, 'path');
  let d = '';
  m.forEach((row, r) => row.forEach((dark, c) => {
    if (dark) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  }));
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}
