// Staff pages: show the date fields of the periode picker only for a date range.
// Without JavaScript they simply stay visible.
document.querySelectorAll('select[name="periode"]').forEach(function (select) {
  var range = select.form && select.form.querySelector('.range');
  if (!range) return;
  function sync() { range.hidden = select.value !== 'rentang'; }
  select.addEventListener('change', sync);
  sync();
});
