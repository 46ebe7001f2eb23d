/* Import and history pages: choosing another unit takes effect at once. */
(function () {
  "use strict";
  document.body.classList.add("js");
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
}());
