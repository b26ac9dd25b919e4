/* Advocacy Portal: the hashing a knowledge check needs, in plain JavaScript.
 *
 * crypto.subtle exists only in secure contexts: an intranet portal served over plain http (and
 * some file:// pages) has none, so SHA-256 is computed here. generator/answerkey.py does the
 * same in Python; tests/test_answer_key.py holds both to hashlib's results. portal.js loads this
 * file on pages with a knowledge check only.
 */
(function (scope) {
  "use strict";

  // The first 32 bits of the fractional parts of the cube roots (K) and square roots (START) of
  // the first primes, as FIPS 180-4 defines them.
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];
  var START = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

  function rotate(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  /** SHA-256 of a Uint8Array, as a Uint8Array of 32 bytes. */
  function sha256(bytes) {
    var length = bytes.length;
    // The message, a 1 bit, zeros, and the length in bits as 64 bits: a whole number of 64-byte blocks.
    var padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64);
    padded.set(bytes);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length * 8) >>> 0);
    var state = START.slice();
    var w = new Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      var i;
      for (i = 0; i < 16; i += 1) w[i] = view.getUint32(offset + i * 4);
      for (i = 16; i < 64; i += 1) {
        var low = w[i - 15];
        var high = w[i - 2];
        var s0 = rotate(low, 7) ^ rotate(low, 18) ^ (low >>> 3);
        var s1 = rotate(high, 17) ^ rotate(high, 19) ^ (high >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = state[0], b = state[1], c = state[2], d = state[3];
      var e = state[4], f = state[5], g = state[6], h = state[7];
      for (i = 0; i < 64; i += 1) {
        var t1 = (h + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      state[0] = (state[0] + a) | 0;
      state[1] = (state[1] + b) | 0;
      state[2] = (state[2] + c) | 0;
      state[3] = (state[3] + d) | 0;
      state[4] = (state[4] + e) | 0;
      state[5] = (state[5] + f) | 0;
      state[6] = (state[6] + g) | 0;
      state[7] = (state[7] + h) | 0;
    }
    var digest = new Uint8Array(32);
    var out = new DataView(digest.buffer);
    for (var j = 0; j < 8; j += 1) out.setUint32(j * 4, state[j] >>> 0);
    return digest;
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function hex(bytes) {
    var parts = [];
    for (var i = 0; i < bytes.length; i += 1) parts.push((bytes[i] < 16 ? "0" : "") + bytes[i].toString(16));
    return parts.join("");
  }

  function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /** SHA-256(key | counter) blocks, counter as 4 bytes big-endian from 0, cut to `length`. */
  function keystream(key, length) {
    var stream = new Uint8Array(length);
    var input = new Uint8Array(key.length + 4);
    input.set(key);
    var counter = new DataView(input.buffer, key.length, 4);
    for (var block = 0; block * 32 < length; block += 1) {
      counter.setUint32(0, block);
      var piece = sha256(input);
      stream.set(piece.subarray(0, Math.min(32, length - block * 32)), block * 32);
    }
    return stream;
  }

  /** What the page holds to check a selection ("2", or "0,3"): hex SHA-256 of it with the salt. */
  function answerHash(salt, selection) {
    return hex(sha256(utf8("answer\n" + salt + "\n" + selection)));
  }

  /** The text sealed with the key of `selection`; garbage (or null) for a wrong selection. */
  function unseal(sealed, salt, selection) {
    var data = fromBase64(sealed);
    var stream = keystream(sha256(utf8("reveal\n" + salt + "\n" + selection)), data.length);
    for (var i = 0; i < data.length; i += 1) data[i] ^= stream[i];
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(data);
    } catch (error) {
      return null;
    }
  }

  scope.portalHash = {
    sha256: sha256,
    sha256Hex: function (text) { return hex(sha256(utf8(text))); },
    keystreamHex: function (keyHex, length) {
      var key = new Uint8Array(keyHex.length / 2);
      for (var i = 0; i < key.length; i += 1) key[i] = parseInt(keyHex.substr(i * 2, 2), 16);
      return hex(keystream(key, length));
    },
    answerHash: answerHash,
    unseal: unseal,
  };
})(typeof window !== "undefined" ? window : globalThis);
