// The QR encoder of web/js/qr.js (used by the console for join links),
// checked by decoding its output with an independent reader (jsQR):
// every version from 1 to 10, levels M and L, ASCII and UTF-8 text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsQR from 'jsqr';
import { qrMatrix } from '../../web/js/qr.js';

function decode(matrix, scale = 3) {
  const n = (matrix.length + 8) * scale;
  const px = new Uint8ClampedArray(n * n * 4).fill(255);
  matrix.forEach((row, r) => row.forEach((dark, c) => {
    if (!dark) return;
    for (let y = 0; y < scale; y++) {
      for (let x = 0; x < scale; x++) {
        const i = (((r + 4) * scale + y) * n + (c + 4) * scale + x) * 4;
        px[i] = px[i + 1] = px[i + 2] = 0;
      }
    }
  }));
  const res = jsQR(px, n, n);
  return res && res.data;
}

for (const level of ['M', 'L']) {
  test(`level ${level}: versions 1 to 10 read back`, () => {
    const seen = new Set();
    for (let len = 1; len <= 271; len += 7) {
      const text = `http://127.0.0.1:8080/join/${'Ab9_-xYz'.repeat(40)}`.slice(0, len);
      let m;
      try {
        m = qrMatrix(text, level);
      } catch (e) {
        assert.ok(e instanceof RangeError && len > 150, `${len} bytes should fit: ${e.message}`);
        continue;
      }
      const version = (m.length - 17) / 4;
      seen.add(version);
      assert.equal(decode(m), text, `${len} bytes, version ${version}-${level}`);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
}

test('UTF-8 text in byte mode', () => {
  const text = 'Séance de Kisumu — recommandations №1 ✓';
  assert.equal(decode(qrMatrix(text)), text);
});

test('too long for version 10 is a RangeError', () => {
  assert.throws(() => qrMatrix('x'.repeat(300), 'M'), RangeError);
  assert.throws(() => qrMatrix('x', 'H'), RangeError);
});
