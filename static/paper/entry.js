/* Keyboard-first entry of paper questionnaires.
 *
 * The page is a plain form that works without this script (the server then
 * reads each form back before saving it). With it:
 *  - each answer is one key (1-4, or the paper's letters a-d, 0 for a blank
 *    answer) and the cursor moves on by itself, so a form is nine keys;
 *  - after the last answer the cursor is on "Simpan": Enter saves through
 *    the same URL (answered as JSON) and the next form starts at question 1,
 *    with date, layanan and (unless unticked) the profile kept: one key more;
 *  - the read-back beside the form shows, live, what will be saved;
 *  - keys typed while a form is being saved are kept for the next form;
 *  - a form identical to the one saved just before asks before saving.
 */
(function () {
  "use strict";

  const form = document.getElementById("paper-form");
  if (!form || !window.fetch || !window.FormData) return;
  document.body.classList.add("js");

  const data = JSON.parse(document.getElementById("paper-instrument").textContent);
  const cells = Array.from(form.querySelectorAll(".key-cell"));
  const answerCells = cells.filter((cell) => cell.dataset.kind === "answer");
  const profileCells = cells.filter((cell) => cell.dataset.kind !== "answer");
  const saveButton = document.getElementById("save-button");
  const statusLine = document.getElementById("entry-status");
  const readbackList = document.getElementById("readback-list");
  const readbackHelp = document.getElementById("readback-help");
  const dateInput = form.elements.tanggal;
  const layananSelect = form.elements.layanan;
  const keepProfile = form.elements.keep_profile;
  const saranInput = form.elements.saran;
  const dialog = document.getElementById("duplicate-dialog");
  const recentRows = document.getElementById("recent-rows");
  const countOutput = document.getElementById("entry-count");

  const questions = {};
  data.questions.forEach((q) => { questions[q.field] = q; });
  const profiles = {};
  data.profile.forEach((p) => { profiles[p.field] = p; });

  const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
    "Agustus", "September", "Oktober", "November", "Desember"];
  const BLANK_KEYS = ["0", "-", " ", "x", "X"];

  let saving = false;
  let queue = [];

  saveButton.innerHTML = 'Simpan <kbd>Enter</kbd>';
  if (readbackHelp) readbackHelp.textContent = "Bacaan ulang ini berubah setiap Anda mengetik. Periksa dengan lembar formulir, lalu tekan Enter.";

  // --- Reading one key --------------------------------------------------

  function answerValue(question, key) {
    const wanted = key.toLowerCase();
    if (BLANK_KEYS.includes(key)) return "-";
    for (const value of Object.keys(question.options)) {
      if (wanted === value || wanted === question.options[value].letter.toLowerCase()) return value;
    }
    return null;
  }

  function choiceValue(profile, key) {
    if (BLANK_KEYS.includes(key)) return "";
    const index = Number(key);
    if (/^[1-9]$/.test(key) && index <= profile.options.length) return key;
    const option = profile.options.find(
      (o) => o.key.length === 1 && o.key.toLowerCase() === key.toLowerCase());
    return option ? option.key : null;
  }

  function optionOf(profile, value) {
    if (/^[1-9]$/.test(value)) return profile.options[Number(value) - 1];
    return profile.options.find((o) => o.key.toLowerCase() === String(value).toLowerCase());
  }

  // --- Moving between cells ------------------------------------------------

  function next(cell) {
    const index = cells.indexOf(cell);
    if (index >= 0 && index < cells.length - 1) {
      cells[index + 1].focus();
    } else {
      saveButton.focus();
    }
  }

  function previous(cell) {
    if (cell === saveButton) return cells[cells.length - 1];
    const index = cells.indexOf(cell);
    return index > 0 ? cells[index - 1] : null;
  }

  function reject(cell) {
    cell.classList.remove("rejected");
    void cell.offsetWidth;  // restart the animation
    cell.classList.add("rejected");
    if (cell.dataset.kind === "answer") {
      show("Ketik 1–4 (atau a–d); 0 bila pertanyaan tidak dijawab.", "error");
    }
  }

  function setCell(cell, value) {
    cell.value = value;
    cell.classList.toggle("filled", value !== "");
    const question = questions[cell.name];
    if (question) {
      const label = form.querySelector('.answer-label[data-for="' + cell.name + '"]');
      if (label) {
        label.textContent = value === "-" ? "tidak dijawab"
          : (question.options[value] ? question.options[value].label : "");
      }
    }
    updateLine(cell.name);
  }

  // --- One key on one cell ---------------------------------------------------

  function process(cell, key) {
    switch (key) {
      case "Enter":
        submit(false);
        return true;
      case "Escape":
        clearAnswers();
        answerCells[0].focus();
        show("Jawaban dikosongkan.", "");
        return true;
      case "Backspace": {
        if (cell !== saveButton && cell.value) {
          setCell(cell, "");
        } else {
          const before = previous(cell);
          if (before) { setCell(before, ""); before.focus(); }
        }
        return true;
      }
      case "Delete":
        if (cell !== saveButton) setCell(cell, "");
        return true;
      case "ArrowLeft": {
        const before = previous(cell);
        if (before) before.focus();
        return true;
      }
      case "ArrowRight":
        if (cell !== saveButton) next(cell);
        return true;
      default:
        break;
    }
    if (key.length !== 1 || cell === saveButton) return false;
    const kind = cell.dataset.kind;
    if (kind === "answer") {
      const value = answerValue(questions[cell.name], key);
      if (value === null) { reject(cell); return true; }
      setCell(cell, value);
      next(cell);
    } else if (kind === "profile-choice") {
      const value = choiceValue(profiles[cell.name], key);
      if (value === null) { reject(cell); return true; }
      setCell(cell, value);
      next(cell);
    } else if (kind === "profile-integer") {
      if (BLANK_KEYS.includes(key) && (cell.dataset.fresh === "1" || cell.value === "")) {
        setCell(cell, "");
        next(cell);
      } else if (/^[0-9]$/.test(key)) {
        const value = cell.dataset.fresh === "1" || cell.value.length >= 3 ? key : cell.value + key;
        cell.dataset.fresh = "";
        setCell(cell, value);
        // Ages have two digits, except 100: after "10" wait for the third.
        if (value.length === 3 || (value.length === 2 && value !== "10")) next(cell);
      } else {
        reject(cell);
      }
    }
    return true;
  }

  cells.forEach((cell) => {
    cell.addEventListener("focus", () => { cell.dataset.fresh = "1"; });
    cell.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.key === "Tab") return;
      if (saving) {
        event.preventDefault();
        queue.push(event.key);
        return;
      }
      if (process(cell, event.key)) event.preventDefault();
    });
    // Pasted text or an on-screen keyboard that sends no usable key: read the value.
    cell.addEventListener("input", () => {
      const typed = cell.value;
      setCell(cell, "");
      cell.focus();
      for (const character of typed) {
        const target = document.activeElement;
        if (target === saveButton || !target.classList.contains("key-cell")) break;
        process(target, character);
      }
    });
  });

  saveButton.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.key === "Tab") return;
    if (saving) {
      event.preventDefault();
      queue.push(event.key);
      return;
    }
    if (["Backspace", "ArrowLeft", "Escape"].includes(event.key)) {
      event.preventDefault();
      process(saveButton, event.key);
    } else if (event.key === "Enter") {
      event.preventDefault();
      submit(false);
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(false);
  });

  [dateInput, layananSelect, saranInput].forEach((input) => {
    if (input) input.addEventListener("input", () => updateLine(input.name));
  });
  // Enter in the date or layanan field saves too (not in the saran text).
  [dateInput, layananSelect].forEach((input) => {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); submit(false); }
    });
  });

  // --- Read-back -------------------------------------------------------------

  function formatDate(iso) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) return "";
    return Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1];
  }

  // One line per field, built once; a key press rewrites only its own line.
  const lines = {};

  function makeLine(key, label) {
    const row = document.createElement("div");
    row.className = "readback-line";
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    row.append(dt, dd);
    lines[key] = { row: row, value: dd };
    return row;
  }

  function setLine(key, value, options) {
    const line = lines[key];
    if (!line) return;
    line.row.classList.toggle("missing", Boolean(options && options.missing));
    line.value.textContent = value;
    if (options && options.note) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = options.note;
      line.value.append(" ", note);
    }
  }

  function buildReadback() {
    const rows = [makeLine("tanggal", "Tanggal survei"), makeLine("layanan", "Jenis layanan")];
    profileCells.forEach((cell) => rows.push(makeLine(cell.name, profiles[cell.name].label)));
    answerCells.forEach((cell) => {
      const q = questions[cell.name];
      rows.push(makeLine(cell.name, q.number + ". " + q.unsur + " (" + q.code + ")"));
    });
    if (saranInput) rows.push(makeLine("saran", "Saran"));
    readbackList.replaceChildren(...rows);
    renderReadback();
  }

  function updateLine(name) {
    if (name === "tanggal") {
      const day = dateInput.value;
      setLine("tanggal", formatDate(day) || "belum diisi",
        { missing: !day, note: day && day !== dateInput.max ? "bukan hari ini" : null });
    } else if (name === "layanan") {
      setLine("layanan", data.layanan[layananSelect.value] || "tidak dicatat");
    } else if (name === "saran") {
      const saran = saranInput.value.trim();
      lines.saran.row.hidden = !saran;
      setLine("saran", saran.length > 120 ? saran.slice(0, 117) + "…" : saran);
    } else if (profiles[name]) {
      const cell = form.elements[name];
      const profile = profiles[name];
      let text = "–";
      if (cell.value) {
        if (profile.kind === "integer") {
          text = cell.value + (profile.unit ? " " + profile.unit : "");
        } else {
          const option = optionOf(profile, cell.value);
          text = option ? option.label : cell.value;
        }
      }
      setLine(name, text);
    } else if (questions[name]) {
      const value = form.elements[name].value;
      const q = questions[name];
      if (!value) {
        setLine(name, "belum diisi", { missing: true });
      } else if (value === "-") {
        setLine(name, "tidak dijawab");
      } else {
        setLine(name, value + " – " + q.options[value].label);
      }
    }
  }

  function renderReadback() {
    Object.keys(lines).forEach(updateLine);
  }

  // --- Saving ---------------------------------------------------------------

  function show(message, kind) {
    statusLine.textContent = message;
    statusLine.className = "entry-status" + (kind ? " " + kind : "");
  }

  function clearAnswers() {
    answerCells.forEach((cell) => setCell(cell, ""));
  }

  function clearForm() {
    clearAnswers();
    if (saranInput) saranInput.value = "";
    if (!keepProfile.checked) profileCells.forEach((cell) => setCell(cell, ""));
    renderReadback();
    (keepProfile.checked || !profileCells.length ? answerCells[0] : profileCells[0]).focus();
  }

  function submit(confirmDuplicate) {
    if (saving) return;
    const missing = answerCells.find((cell) => !cell.value);
    if (missing) {
      show("Pertanyaan " + questions[missing.name].number
        + " belum diisi; ketik 0 bila tidak dijawab.", "error");
      missing.focus();
      return;
    }
    if (!dateInput.value) {
      show("Isi tanggal survei yang tertulis di formulir.", "error");
      dateInput.focus();
      return;
    }
    send(confirmDuplicate, false);
  }

  async function refreshToken() {
    try {
      const response = await fetch(form.dataset.tokenUrl, {
        headers: { Accept: "application/json" }, credentials: "same-origin" });
      const payload = await response.json();
      form.elements.csrf_token.value = payload.csrf_token;
      return true;
    } catch (error) {
      return false;
    }
  }

  async function send(confirmDuplicate, retried) {
    saving = true;
    form.classList.add("saving");
    form.elements.readback.value = "live";
    form.elements.confirm_duplicate.value = confirmDuplicate ? "1" : "";
    const body = new FormData(form);
    form.elements.confirm_duplicate.value = "";
    let payload = null;
    let signedOut = false;
    try {
      const response = await fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        payload = await response.json();
      } else {
        signedOut = response.redirected || response.status === 401 || response.status === 403;
      }
    } catch (error) {
      payload = null;
    }
    if (payload && payload.csrf_token) form.elements.csrf_token.value = payload.csrf_token;
    if (payload && payload.status === "csrf" && !retried && await refreshToken()) {
      return send(confirmDuplicate, true);
    }
    if (payload && (payload.status === "saved" || payload.status === "already_saved")) {
      form.elements.uuid.value = payload.uuid;
      addRow(payload.row);
      countOutput.textContent = payload.count;
      clearForm();
      show(payload.message, "ok");
      finish(true);
      return;
    }
    finish(false);
    if (!payload) {
      show(signedOut
        ? "Belum tersimpan: sesi Anda berakhir. Masuk lagi di tab baru, lalu tekan Enter di sini."
        : "Belum tersimpan: server tidak menjawab. Periksa jaringan, lalu tekan Enter lagi.", "error");
      saveButton.focus();
    } else if (payload.status === "duplicate") {
      openDuplicate(payload.message);
    } else {
      show(payload.message || "Formulir belum tersimpan.", "error");
      const first = Object.keys(payload.errors || {})[0];
      const field = first && form.elements[first];
      if (field && field.focus) field.focus();
    }
  }

  function finish(saved) {
    saving = false;
    form.classList.remove("saving");
    const keys = queue;
    queue = [];
    if (!saved) return;
    // Keys typed while the previous form was being saved belong to the next
    // one. An Enter straight after the saving Enter is the same press twice;
    // an Enter after other keys saves the next form, and what follows it
    // waits for that save in turn.
    let index = 0;
    while (index < keys.length && keys[index] === "Enter") index += 1;
    for (; index < keys.length; index += 1) {
      if (saving) {
        queue = queue.concat(keys.slice(index));
        return;
      }
      const target = document.activeElement;
      if (target && (target.classList.contains("key-cell") || target === saveButton)) {
        process(target, keys[index]);
      }
    }
  }

  function addRow(html) {
    if (!html) return;
    const empty = recentRows.querySelector("tr.empty");
    if (empty) empty.remove();
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const row = template.content.firstElementChild;
    row.classList.add("fresh");
    recentRows.prepend(row);
    while (recentRows.children.length > 10) recentRows.lastElementChild.remove();
  }

  // --- A form identical to the previous one ------------------------------------

  function openDuplicate(message) {
    document.getElementById("duplicate-message").textContent = message;
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
      dialog.querySelector('[data-action="save-anyway"]').focus();
    } else if (window.confirm(message + "\n\nTetap simpan?")) {
      send(true, false);
    }
  }

  function closeDuplicate(saveAnyway) {
    dialog.close();
    if (saveAnyway) {
      send(true, false);
    } else {
      show("Tidak disimpan. Periksa lembarnya; ubah isian atau tekan Esc untuk mengosongkan.", "");
      saveButton.focus();
    }
  }

  dialog.addEventListener("keydown", (event) => {
    if (event.key === "s" || event.key === "S") {
      event.preventDefault();
      closeDuplicate(true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeDuplicate(false);
    }
  });
  dialog.querySelector('[data-action="save-anyway"]').addEventListener("click", () => closeDuplicate(true));
  dialog.querySelector('[data-action="back"]').addEventListener("click", () => closeDuplicate(false));

  // --- Deleting a mistyped form from the list -----------------------------------

  recentRows.addEventListener("submit", async (event) => {
    const deleteForm = event.target.closest(".delete-form");
    if (!deleteForm) return;
    event.preventDefault();
    if (!window.confirm("Hapus formulir ini? Jawabannya tidak dihitung lagi.")) return;
    try {
      const response = await fetch(deleteForm.action, {
        method: "POST", body: new FormData(deleteForm), credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const payload = await response.json();
      if (payload.status === "deleted") {
        deleteForm.closest("tr").remove();
        countOutput.textContent = payload.count;
      }
      show(payload.message, payload.status === "deleted" ? "ok" : "error");
    } catch (error) {
      show("Formulir belum terhapus: server tidak menjawab.", "error");
    }
    answerCells[0].focus();
  });

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  cells.forEach((cell) => cell.classList.toggle("filled", cell.value !== ""));
  buildReadback();
  const firstError = form.querySelector(".has-error .key-cell, .field-error");
  if (firstError && firstError.classList.contains("key-cell")) firstError.focus();
}());
