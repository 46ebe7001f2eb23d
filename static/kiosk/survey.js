/* SKM survey: one question per screen, and a delivery queue that loses nothing.
 *
 * Without this file the survey page is one plain form that the server
 * checks. With it, each fieldset becomes a screen. A finished survey is put
 * in a queue in localStorage first and delivered from there, oldest first,
 * so the respondent is thanked even when the network or the server is down,
 * and the response is sent when they are back (also after a reload).
 * Delivery is idempotent on the server by the survey's UUID, so sending one
 * twice does no harm. Nothing else of a respondent is kept: the form is
 * emptied after sending and when an abandoned survey is reset.
 *
 * Plain ES2017 for the browsers of older tablets; no build step.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var QUEUE_KEY = "skm.antrean.v1";
  var REJECTED_KEY = "skm.ditolak.v1";
  var REQUEST_TIMEOUT_MS = 20000;
  var MAX_BACKOFF_SECONDS = 60;
  // A tap counts as choosing an answer by pointer (move on by itself) for this long.
  var POINTER_MEMORY_MS = 1200;
  var AUTO_ADVANCE_MS = 350;

  /* ---- storage: localStorage, or memory where the browser refuses it ---- */

  var memory = {};
  var storage = (function () {
    try {
      var probe = "skm.uji";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  })();

  function readList(key) {
    if (!storage) return (memory[key] || []).slice();
    try {
      var list = JSON.parse(storage.getItem(key) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (error) {
      return [];
    }
  }

  function writeList(key, list) {
    if (storage) {
      try {
        if (list.length) storage.setItem(key, JSON.stringify(list));
        else storage.removeItem(key);
        return;
      } catch (error) {
        storage = null; // full: keep going in memory rather than lose the response
      }
    }
    memory[key] = list.slice();
  }

  /* ---- a version 4 UUID; crypto.randomUUID needs HTTPS, office LANs often have none ---- */

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = [];
    for (var i = 0; i < 16; i++) hex.push((bytes[i] + 0x100).toString(16).slice(1));
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  }

  /* ---- delivery: the queue, CSRF renewal, back-off, heartbeat ---- */

  function Delivery(options) {
    this.submitUrl = options.submitUrl;
    this.tokenUrl = options.tokenUrl;
    this.heartbeatUrl = options.heartbeatUrl;
    this.csrfInput = options.csrfInput;
    this.onClosed = options.onClosed;
    this.onOpen = options.onOpen;
    this.onChange = options.onChange;
    this.flushing = false;
    this.again = false;
    this.timer = null;
    this.failures = 0;
    this.offline = false;
  }

  Delivery.prototype.queueLength = function () {
    return readList(QUEUE_KEY).length;
  };

  Delivery.prototype.rejectedLength = function () {
    return readList(REJECTED_KEY).length;
  };

  Delivery.prototype.enqueue = function (url, body) {
    var queue = readList(QUEUE_KEY);
    queue.push({ url: url, body: body, queued_at: new Date().toISOString() });
    writeList(QUEUE_KEY, queue);
    this.onChange();
    this.flush();
  };

  Delivery.prototype.remove = function (item, rejection) {
    var uuid = item.body.uuid;
    writeList(QUEUE_KEY, readList(QUEUE_KEY).filter(function (other) {
      return other.body.uuid !== uuid;
    }));
    if (rejection) {
      // Refused for good (the server says why): kept aside, never dropped silently.
      var rejected = readList(REJECTED_KEY);
      rejected.push({ url: item.url, body: item.body, status: rejection.status, errors: rejection.errors });
      writeList(REJECTED_KEY, rejected);
    }
  };

  Delivery.prototype.flush = function () {
    var self = this;
    if (self.flushing) {
      self.again = true;
      return Promise.resolve();
    }
    self.flushing = true;
    window.clearTimeout(self.timer);
    self.timer = null;
    return self.deliverAll().catch(function () {
      self.retryIn(self.backoff());
    }).then(function () {
      self.flushing = false;
      self.onChange();
      if (self.again) {
        self.again = false;
        return self.flush();
      }
    });
  };

  Delivery.prototype.deliverAll = async function () {
    // Oldest first. An item for another kiosk that has since been closed
    // (the tablet was moved) waits in place without holding up the others.
    var queue = readList(QUEUE_KEY);
    for (var i = 0; i < queue.length; i++) {
      var item = queue[i];
      var outcome = await this.send(item, false);
      if (outcome.kind === "delivered") {
        this.failures = 0;
        this.offline = false;
        this.remove(item, null);
      } else if (outcome.kind === "rejected") {
        this.offline = false;
        this.remove(item, outcome);
      } else if (outcome.kind === "closed") {
        if (item.url === this.submitUrl) {
          this.onClosed();
          return;
        }
      } else {
        this.retryIn(outcome.wait);
        return;
      }
    }
    this.failures = 0;
  };

  Delivery.prototype.backoff = function () {
    this.failures += 1;
    return Math.min(MAX_BACKOFF_SECONDS, 5 * Math.pow(2, this.failures - 1));
  };

  Delivery.prototype.retryIn = function (seconds) {
    var self = this;
    window.clearTimeout(self.timer);
    self.timer = window.setTimeout(function () { self.flush(); }, seconds * 1000);
  };

  Delivery.prototype.post = function (url, body) {
    var controller = window.AbortController ? new window.AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfInput.value },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined
    }).finally(function () { window.clearTimeout(timer); });
  };

  Delivery.prototype.renewToken = async function () {
    try {
      var response = await window.fetch(this.tokenUrl, { credentials: "same-origin", cache: "no-store" });
      var data = await readJson(response);
      if (!response.ok || !data.csrf_token) return false;
      this.csrfInput.value = data.csrf_token;
      return true;
    } catch (error) {
      return false;
    }
  };

  // The server refuses this item for good (its data, its unit, its size): set
  // it aside so the items behind it are delivered. A time-out (408) and
  // "too many" (429) are worth trying again, like a network error or a 5xx.
  function isRefusal(status) {
    return status >= 400 && status < 500 && status !== 408 && status !== 429;
  }

  function readJson(response) {
    return response.json().catch(function () { return {}; });
  }

  Delivery.prototype.send = async function (item, renewed) {
    var body = Object.assign({}, item.body, { sent_at: new Date().toISOString() });
    var response;
    try {
      response = await this.post(item.url, body);
    } catch (error) {
      this.offline = true;
      return { kind: "later", wait: this.backoff() };
    }
    // The body is always read: an unread response holds its connection.
    var data = await readJson(response);
    if (response.status === 200 || response.status === 201) return { kind: "delivered" };
    if (response.status === 400 && data.error === "csrf") {
      // The page has been open longer than a token lives (a kiosk, for
      // weeks): a fresh token, and the same survey again. Never a reason
      // to give a survey up.
      if (!renewed && await this.renewToken()) return this.send(item, true);
      return { kind: "later", wait: this.backoff() };
    }
    if (response.status === 410) return { kind: "closed" };
    if (response.status === 429 || response.status === 503 || response.status === 507) {
      // Too many requests, the database busy or lost (503), the disk full
      // (507): nothing was stored, the server says when to try again.
      var wait = parseInt(response.headers.get("Retry-After"), 10);
      return { kind: "later", wait: isNaN(wait) ? this.backoff() : Math.max(1, wait) };
    }
    // 409 among them: this UUID is stored with other answers; sending it again cannot help.
    if (isRefusal(response.status)) {
      return { kind: "rejected", status: response.status, errors: data.errors || data.message || null };
    }
    this.offline = true;
    return { kind: "later", wait: this.backoff() };
  };

  Delivery.prototype.heartbeat = async function (renewed) {
    if (!this.heartbeatUrl) return;
    var response;
    try {
      response = await this.post(this.heartbeatUrl, {
        queue_length: this.queueLength(),
        rejected: this.rejectedLength()
      });
    } catch (error) {
      this.offline = true;
      this.onChange();
      return;
    }
    var data = await readJson(response);
    if (response.status === 400 && !renewed && data.error === "csrf" && await this.renewToken()) {
      return this.heartbeat(true);
    }
    if (response.status === 410) {
      this.onClosed();
    } else if (response.ok) {
      this.offline = false;
      this.onOpen();
      if (this.queueLength() && !this.timer) this.flush();
    }
    this.onChange();
  };

  /* ---- the survey: screens, answers, idle reset ---- */

  function Survey(form) {
    var self = this;
    self.form = form;
    self.mode = form.getAttribute("data-mode");
    self.kiosk = self.mode === "kiosk";
    self.steps = Array.prototype.slice.call(form.querySelectorAll(".step"));
    self.flow = self.steps.filter(function (step) { return !step.classList.contains("js-only"); })
      .map(function (step) { return step.getAttribute("data-step"); });
    self.questions = self.steps.filter(function (step) { return step.hasAttribute("data-unsur"); });
    self.current = null;
    self.survey = null; // {uuid, startedAt} while a respondent is answering
    self.closed = false;
    self.lastPointer = 0;
    self.pointerLabel = null;
    self.lastActivity = Date.now();
    self.idleShownAt = null;
    self.thanksTimer = null;
    self.idleDialog = document.getElementById("idle-dialog");
    self.progressText = document.getElementById("progress-text");
    self.progressFill = document.getElementById("progress-fill");
    self.status = document.getElementById("kiosk-status");
    self.seconds = function (name, fallback) {
      var value = parseInt(form.getAttribute("data-" + name + "-seconds"), 10);
      return isNaN(value) ? fallback : value;
    };
    self.delivery = new Delivery({
      submitUrl: form.getAttribute("data-submit-url"),
      tokenUrl: form.getAttribute("data-token-url"),
      heartbeatUrl: form.getAttribute("data-heartbeat-url"),
      csrfInput: form.querySelector("input[name=csrf_token]"),
      onClosed: function () { self.close(); },
      onOpen: function () { if (self.closed) { self.closed = false; self.welcome(); } },
      onChange: function () { self.showStatus(); }
    });
  }

  Survey.prototype.step = function (name) {
    for (var i = 0; i < this.steps.length; i++) {
      if (this.steps[i].getAttribute("data-step") === name) return this.steps[i];
    }
    return null;
  };

  Survey.prototype.show = function (name, how) {
    var step = this.step(name);
    if (!step) return;
    this.steps.forEach(function (other) { other.classList.toggle("is-current", other === step); });
    this.current = name;
    var index = this.flow.indexOf(name);
    var progress = step.getAttribute("data-progress");
    root.classList.toggle("in-survey", index >= 0);
    if (index >= 0) {
      this.progressText.textContent = progress || "";
      this.progressFill.style.width = Math.round(((index + 1) / this.flow.length) * 100) + "%";
    } else {
      this.progressText.textContent = "";
    }
    var state = { skm: name, survey: this.survey ? this.survey.uuid : null };
    // On the kiosk, history is only ever replaced: the back button leads nowhere.
    // On a phone, each screen is a history entry; popstate checks it belongs to
    // the survey under way, so nobody can go back into an earlier respondent's screens.
    if (how === "push" && !this.kiosk) window.history.pushState(state, "");
    else if (how !== "none") window.history.replaceState(state, "");
    window.scrollTo(0, 0);
    var title = step.querySelector(".step-title");
    if (title) title.focus();
  };

  Survey.prototype.clear = function () {
    var fields = this.form.querySelectorAll("input, textarea");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "radio" || field.type === "checkbox") field.checked = false;
      else if (field.type !== "hidden") field.value = "";
    }
    var errors = this.form.querySelectorAll(".field-error");
    for (var j = 0; j < errors.length; j++) errors[j].textContent = "";
    var message = document.getElementById("form-message");
    if (message) message.parentNode.removeChild(message);
    this.updateCounter();
  };

  Survey.prototype.welcome = function () {
    window.clearTimeout(this.thanksTimer);
    this.hideIdle();
    this.clear();
    this.survey = null;
    this.show(this.closed ? "closed" : "welcome", "replace");
  };

  Survey.prototype.start = function () {
    this.clear();
    this.survey = { uuid: uuid4(), startedAt: new Date().toISOString() };
    this.lastActivity = Date.now();
    if (this.kiosk && document.fullscreenEnabled && !document.fullscreenElement) {
      var request = root.requestFullscreen();
      if (request && request.catch) request.catch(function () {});
    }
    this.show(this.flow[0], "push");
  };

  Survey.prototype.checked = function (container, name) {
    var input = container.querySelector("input[name='" + name + "']:checked");
    return input ? input.value : null;
  };

  Survey.prototype.setError = function (step, key, text) {
    var holder = step.querySelector("#error-" + key);
    if (holder) holder.textContent = text;
    return !text;
  };

  Survey.prototype.validate = function (step) {
    var name = step.getAttribute("data-step");
    if (name === "layanan") {
      return this.setError(step, "layanan",
        this.checked(step, "layanan_id") ? "" : "Silakan pilih layanan yang Anda terima.");
    }
    var unsur = step.getAttribute("data-unsur");
    if (unsur) {
      return this.setError(step, unsur,
        this.checked(step, unsur) ? "" : "Silakan pilih salah satu jawaban.");
    }
    var ok = true;
    var numbers = step.querySelectorAll("[data-kind=integer]");
    for (var i = 0; i < numbers.length; i++) {
      var group = numbers[i];
      var key = group.getAttribute("data-profile");
      var raw = group.querySelector("input").value.trim();
      var min = parseInt(group.getAttribute("data-minimum"), 10);
      var max = parseInt(group.getAttribute("data-maximum"), 10);
      var value = Number(raw);
      var bad = raw !== "" && (!/^\d+$/.test(raw) || value < min || value > max);
      ok = this.setError(group, key, bad ? group.getAttribute("data-label") + " diisi angka " + min + " sampai " + max + ", atau dikosongkan." : "") && ok;
    }
    return ok;
  };

  Survey.prototype.next = function () {
    var step = this.step(this.current);
    if (!this.validate(step)) {
      var error = step.querySelector(".field-error:not(:empty)");
      var focusable = error && error.parentNode.querySelector("input");
      if (focusable) focusable.focus();
      return;
    }
    var index = this.flow.indexOf(this.current);
    this.show(this.flow[index + 1], "push");
  };

  Survey.prototype.back = function () {
    var index = this.flow.indexOf(this.current);
    if (index <= 0) {
      this.welcome();
    } else if (!this.kiosk && window.history.state && window.history.state.survey === this.survey.uuid) {
      window.history.back(); // popstate shows the previous screen
    } else {
      this.show(this.flow[index - 1], "replace");
    }
  };

  Survey.prototype.skip = function () {
    // "Lewati": past the respondent's profile, to the first question. Whatever
    // was filled in on the skipped screens is left out.
    var index = this.flow.indexOf(this.current);
    for (var i = index; i < this.flow.length; i++) {
      var step = this.step(this.flow[i]);
      if (!step.hasAttribute("data-optional")) {
        this.show(this.flow[i], "push");
        return;
      }
      var fields = step.querySelectorAll("input");
      for (var j = 0; j < fields.length; j++) {
        if (fields[j].type === "radio") fields[j].checked = false;
        else fields[j].value = "";
      }
      var errors = step.querySelectorAll(".field-error");
      for (var k = 0; k < errors.length; k++) errors[k].textContent = "";
    }
  };

  Survey.prototype.collect = function () {
    var self = this;
    var form = self.form;
    var answers = {};
    self.questions.forEach(function (step) {
      var unsur = step.getAttribute("data-unsur");
      var value = self.checked(step, unsur);
      answers[unsur] = value === null ? null : parseInt(value, 10);
    });
    var profile = {};
    var groups = form.querySelectorAll("[data-profile]");
    for (var i = 0; i < groups.length; i++) {
      var group = groups[i];
      var key = group.getAttribute("data-profile");
      if (group.getAttribute("data-kind") === "integer") {
        var raw = group.querySelector("input").value.trim();
        if (raw) profile[key] = parseInt(raw, 10);
      } else {
        var chosen = self.checked(group, key);
        if (chosen) profile[key] = chosen;
      }
    }
    var layanan = form.querySelector("input[name=layanan_id]:checked") ||
      form.querySelector("input[type=hidden][name=layanan_id]");
    var saran = form.querySelector("textarea[name=saran]").value.trim();
    return {
      uuid: self.survey.uuid,
      instrument: form.getAttribute("data-instrument"),
      layanan_id: layanan ? parseInt(layanan.value, 10) : null,
      answers: answers,
      profile: profile,
      saran: saran || null,
      started_at: self.survey.startedAt,
      submitted_at: new Date().toISOString()
    };
  };

  Survey.prototype.submit = function () {
    if (!this.survey) return;
    // Every question must be answered; go to the first that is not.
    for (var i = 0; i < this.questions.length; i++) {
      if (!this.validate(this.questions[i])) {
        this.show(this.questions[i].getAttribute("data-step"), "push");
        return;
      }
    }
    var body = this.collect();
    this.delivery.enqueue(this.form.getAttribute("data-submit-url"), body);
    this.clear();
    this.survey = null;
    this.thanks();
  };

  Survey.prototype.thanks = function () {
    var self = this;
    self.show("thanks", "push");
    var left = self.seconds("thanks", 8);
    var counter = self.form.querySelector("[data-thanks-count]");
    counter.textContent = left;
    window.clearTimeout(self.thanksTimer);
    var tick = function () {
      left -= 1;
      if (self.current !== "thanks") return;
      if (left <= 0) {
        self.welcome();
        return;
      }
      counter.textContent = left;
      self.thanksTimer = window.setTimeout(tick, 1000);
    };
    self.thanksTimer = window.setTimeout(tick, 1000);
  };

  Survey.prototype.close = function () {
    this.closed = true;
    if (this.current !== "thanks" && !this.survey) this.show("closed", "replace");
  };

  Survey.prototype.showStatus = function () {
    if (!this.status || !this.kiosk) return;
    var waiting = this.delivery.queueLength();
    var parts = [];
    if (this.delivery.offline) parts.push("Tidak tersambung");
    if (waiting) parts.push(waiting + " menunggu dikirim");
    // Refused by the server, kept on this tablet for staff (and counted in the heartbeat).
    var setAside = this.delivery.rejectedLength();
    if (setAside) parts.push(setAside + " ditolak server, disimpan di tablet");
    this.status.textContent = parts.join(" · ");
    this.status.hidden = parts.length === 0;
  };

  Survey.prototype.updateCounter = function () {
    var counter = document.getElementById("saran-counter");
    var textarea = this.form.querySelector("textarea[name=saran]");
    if (!counter || !textarea) return;
    counter.textContent = textarea.value.length + " / " + counter.getAttribute("data-max") + " karakter";
  };

  /* idle: "Masih di sini?" on a kiosk left in the middle of a survey */

  Survey.prototype.touch = function () {
    this.lastActivity = Date.now();
    if (this.idleShownAt !== null) this.hideIdle();
  };

  Survey.prototype.hideIdle = function () {
    this.idleShownAt = null;
    this.idleDialog.hidden = true;
    this.setInert(false);
  };

  // While "Masih di sini?" is open, the screen behind it cannot be reached
  // with the keyboard or a screen reader.
  Survey.prototype.setInert = function (inert) {
    var main = document.getElementById("main");
    if (main && "inert" in main) main.inert = inert;
  };

  Survey.prototype.checkIdle = function () {
    if (!this.kiosk || !this.survey || this.flow.indexOf(this.current) < 0) return;
    var now = Date.now();
    var countdown = this.seconds("countdown", 15);
    if (this.idleShownAt === null) {
      if (now - this.lastActivity >= this.seconds("idle", 60) * 1000) {
        this.idleShownAt = now;
        this.idleDialog.hidden = false;
        this.setInert(true);
        this.idleDialog.querySelector("[data-idle-count]").textContent = countdown;
        this.idleDialog.querySelector("button").focus();
      }
      return;
    }
    var left = countdown - Math.floor((now - this.idleShownAt) / 1000);
    if (left <= 0) {
      this.welcome(); // the partial answers are discarded
    } else {
      this.idleDialog.querySelector("[data-idle-count]").textContent = left;
    }
  };

  Survey.prototype.bind = function () {
    var self = this;
    var form = self.form;

    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-action]");
      if (!button) return;
      var action = button.getAttribute("data-action");
      if (action === "start") self.start();
      else if (action === "next") self.next();
      else if (action === "back") self.back();
      else if (action === "skip") self.skip();
      else if (action === "finish") self.welcome();
    });

    // Enter in a field moves on; only the last screen sends.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (self.current === "saran") self.submit();
      else if (self.flow.indexOf(self.current) >= 0) self.next();
    });

    form.addEventListener("pointerdown", function (event) {
      self.lastPointer = Date.now();
      self.pointerLabel = event.target.closest("label");
    });

    // Tapping an answer moves on by itself; choosing with the keyboard (arrow
    // keys select radios as they move) waits for "Lanjut".
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "radio" || !input.closest("[data-autoadvance]")) return;
      var step = input.closest(".step");
      self.setError(step, input.name === "layanan_id" ? "layanan" : input.name, "");
      var tapped = input.closest("label") === self.pointerLabel;
      if (!tapped || Date.now() - self.lastPointer > POINTER_MEMORY_MS) return;
      var name = self.current;
      window.setTimeout(function () {
        if (self.current === name && self.idleShownAt === null) self.next();
      }, AUTO_ADVANCE_MS);
    });

    form.addEventListener("input", function (event) {
      if (event.target.name === "saran") self.updateCounter();
    });

    self.idleDialog.querySelector("[data-action=still-here]").addEventListener("click", function () {
      self.touch();
      var title = self.step(self.current).querySelector(".step-title");
      if (title) title.focus();
    });

    ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (type) {
      document.addEventListener(type, function () { self.touch(); }, { passive: true, capture: true });
    });

    window.addEventListener("popstate", function (event) {
      var state = event.state;
      if (state && state.skm && self.survey && state.survey === self.survey.uuid && self.flow.indexOf(state.skm) >= 0) {
        self.show(state.skm, "none");
      } else {
        self.welcome();
      }
    });

    // A page restored from the back-forward cache starts over, empty.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) self.welcome();
    });

    window.addEventListener("online", function () { self.delivery.flush(); });
    window.addEventListener("storage", function (event) {
      if (event.key === QUEUE_KEY) self.showStatus();
    });

    window.setInterval(function () { self.checkIdle(); }, 1000);
    if (self.kiosk) {
      var beat = function () { self.delivery.heartbeat(false); };
      window.setInterval(beat, self.seconds("heartbeat", 60) * 1000);
      beat();
    }
  };

  function init() {
    var form = document.getElementById("survey");
    if (!form || !window.fetch || !window.crypto || !window.crypto.getRandomValues) {
      root.classList.remove("js");
      root.classList.add("no-js"); // too old a browser: the plain form still works
      return;
    }
    // A page shown again after a refused plain-form submission (a browser
    // that sent the plain form) keeps it plain, with the answers on screen.
    if (document.getElementById("form-message")) {
      root.classList.remove("js");
      root.classList.add("no-js");
      return;
    }
    var survey = new Survey(form);
    survey.bind();
    survey.welcome();
    survey.delivery.flush();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
