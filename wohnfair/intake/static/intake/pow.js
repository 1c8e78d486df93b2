/* Proof of work for the report form, self-hosted in the style of ALTCHA.
 *
 * The server hands out a challenge (GET data-pow-url): a salt with an expiry, the
 * SHA-256 of salt and a secret number, and a signature. This script tries the
 * numbers 0..maxnumber until the hash matches and puts the answer, as base64 of
 * JSON, into the hidden field [data-pow-answer]. Submitting waits for the answer.
 * If anything fails the form is still sent, without an answer; the server then
 * treats the report as unverified. Nothing is loaded from another host.
 */
(function () {
  "use strict";

  var REFRESH_AFTER_MS = 20 * 60 * 1000; // the server accepts answers for 30 minutes
  var CHUNK = 4000; // numbers tried between two breaks, so the page stays responsive

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var W = new Uint32Array(64);

  function hex(value) {
    return ("00000000" + (value >>> 0).toString(16)).slice(-8);
  }

  /* SHA-256 (FIPS 180-4) of an ASCII string, as lowercase hex. */
  function sha256Hex(text) {
    var length = text.length;
    var total = ((length + 9 + 63) >> 6) << 6;
    var bytes = new Uint8Array(total);
    var i, t;
    for (i = 0; i < length; i++) {
      bytes[i] = text.charCodeAt(i) & 0xff;
    }
    bytes[length] = 0x80;
    var bits = length * 8;
    bytes[total - 4] = (bits >>> 24) & 0xff;
    bytes[total - 3] = (bits >>> 16) & 0xff;
    bytes[total - 2] = (bits >>> 8) & 0xff;
    bytes[total - 1] = bits & 0xff;

    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    var h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var offset = 0; offset < total; offset += 64) {
      for (t = 0; t < 16; t++) {
        i = offset + t * 4;
        W[t] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
      }
      for (t = 16; t < 64; t++) {
        var x = W[t - 15], y = W[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var temp1 = (h + S1 + ch + K[t] + W[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var temp2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + temp1) | 0;
        d = c; c = b; b = a; a = (temp1 + temp2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return hex(h0) + hex(h1) + hex(h2) + hex(h3) + hex(h4) + hex(h5) + hex(h6) + hex(h7);
  }

  function solve(challenge, done) {
    var number = 0;
    var maximum = Number(challenge.maxnumber);
    function chunk() {
      var stop = Math.min(number + CHUNK, maximum + 1);
      for (; number < stop; number++) {
        if (sha256Hex(challenge.salt + number) === challenge.challenge) {
          done(number);
          return;
        }
      }
      if (number > maximum) {
        done(null);
        return;
      }
      window.setTimeout(chunk, 0);
    }
    chunk();
  }

  function start() {
    var form = document.querySelector("form[data-pow-url]");
    var answer = form && form.querySelector("[data-pow-answer]");
    if (!answer) {
      return;
    }
    var status = form.querySelector("[data-pow-status]");
    var state = "idle";
    var fetchedAt = 0;
    var submitWaiting = false;

    function say(key) {
      if (status) {
        status.textContent = status.getAttribute("data-text-" + key) || "";
      }
    }

    function finish(value) {
      state = value ? "done" : "failed";
      answer.value = value || "";
      say(state);
      if (submitWaiting) {
        submitWaiting = false;
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }
    }

    function run() {
      state = "working";
      answer.value = "";
      fetchedAt = Date.now();
      say("working");
      if (!window.fetch || !window.JSON || !window.btoa) {
        finish(null);
        return;
      }
      window.fetch(form.getAttribute("data-pow-url"), {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("challenge: HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (challenge) {
          if (challenge.algorithm !== "SHA-256") {
            throw new Error("unknown algorithm");
          }
          solve(challenge, function (number) {
            if (number === null) {
              finish(null);
              return;
            }
            finish(window.btoa(JSON.stringify({
              algorithm: challenge.algorithm,
              challenge: challenge.challenge,
              number: number,
              salt: challenge.salt,
              signature: challenge.signature
            })));
          });
        })
        .catch(function () {
          finish(null);
        });
    }

    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) {
        return;
      }
      if (state === "done" && Date.now() - fetchedAt > REFRESH_AFTER_MS) {
        run(); // the answer would expire on the way: work out a fresh one first
      }
      if (state === "working") {
        event.preventDefault();
        submitWaiting = true;
        say("working");
      }
    });

    run();
  }

  window.wohnfairSha256 = sha256Hex; // for the browser test of the hash
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
