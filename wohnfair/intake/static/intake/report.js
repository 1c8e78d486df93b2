/* Enhancements of the reporting portal; every page works without them.
 *
 * - The report form (form[data-steps]) shows one step at a time, with Back and
 *   Next buttons and a progress indicator. Focus moves to the heading of the new
 *   step; a step with an error from the server opens first. Without JavaScript
 *   all seven steps stay on one page.
 * - The confirmation page gets a print button ([data-print]).
 * - An error summary takes the focus, so that screen readers announce it.
 */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function controls(step) {
    return step.querySelectorAll("input, select, textarea");
  }

  function stepped(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.report-step"));
    var submitArea = form.querySelector("[data-submit-area]");
    if (steps.length < 2 || !submitArea) {
      return;
    }
    var textNext = form.getAttribute("data-text-next") || "Next";
    var textBack = form.getAttribute("data-text-back") || "Back";
    var textProgress = form.getAttribute("data-text-progress") || "{current} / {total}";
    var current = 0;

    var progress = document.createElement("div");
    progress.className = "step-progress";
    var progressText = document.createElement("p");
    progressText.className = "step-progress__text";
    progressText.id = "step-progress-text";
    var bar = document.createElement("progress");
    bar.className = "step-progress__bar";
    bar.max = steps.length;
    bar.setAttribute("aria-labelledby", "step-progress-text");
    progress.appendChild(progressText);
    progress.appendChild(bar);
    steps[0].parentNode.insertBefore(progress, steps[0]);

    function button(text, className, onClick) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = className;
      element.textContent = text;
      element.addEventListener("click", onClick);
      return element;
    }

    function valid(step) {
      var fields = controls(step);
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].willValidate && !fields[i].checkValidity()) {
          fields[i].reportValidity();
          return false;
        }
      }
      return true;
    }

    function show(index, moveFocus) {
      current = Math.max(0, Math.min(index, steps.length - 1));
      steps.forEach(function (step, i) {
        step.hidden = i !== current;
      });
      submitArea.hidden = current !== steps.length - 1;
      progressText.textContent = fill(textProgress, {
        current: String(current + 1),
        total: String(steps.length)
      });
      bar.value = current + 1;
      if (moveFocus) {
        var heading = steps[current].querySelector(".report-step__title");
        if (heading) {
          heading.focus();
        }
      }
    }

    steps.forEach(function (step, i) {
      var nav = document.createElement("div");
      nav.className = "step-nav";
      if (i > 0) {
        nav.appendChild(button(textBack, "button button--quiet", function () {
          show(i - 1, true);
        }));
      }
      if (i < steps.length - 1) {
        nav.appendChild(button(textNext, "button", function () {
          if (valid(step)) {
            show(i + 1, true);
          }
        }));
      }
      step.appendChild(nav);
    });
    form.addEventListener("submit", function (event) {
      if (current < steps.length - 1) {
        // Enter in a text field of an earlier step means "next", not "send".
        event.preventDefault();
        if (valid(steps[current])) {
          show(current + 1, true);
        }
      }
    });

    // Links of the error summary open the step of the field they point to.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      var step = target && target.closest("fieldset.report-step");
      if (step) {
        event.preventDefault();
        show(steps.indexOf(step), false);
        target.focus();
      }
    });

    var first = 0;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i].querySelector(".errorlist, [aria-invalid='true']")) {
        first = i;
        break;
      }
    }
    form.classList.add("is-stepped");
    show(first, false);
  }

  function start() {
    var form = document.querySelector("form[data-steps]");
    if (form) {
      stepped(form);
    }
    var print = document.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () {
        window.print();
      });
    }
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
