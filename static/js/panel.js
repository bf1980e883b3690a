// Starts the GOV.UK Frontend components, follow-up questions on radios and checkboxes, and the
// sign-out warning.
import {
  Button,
  CharacterCount,
  ErrorSummary,
  ExitThisPage,
  NotificationBanner,
  PasswordInput,
  ServiceNavigation,
  SkipLink,
  createAll,
} from "/static/govuk/govuk-frontend.min.js";
import { FilterToggleButton } from "/static/moj/components/filter-toggle-button/filter-toggle-button.bundle.mjs";

for (const component of [
  Button,
  CharacterCount,
  ErrorSummary,
  ExitThisPage,
  NotificationBanner,
  PasswordInput,
  ServiceNavigation,
  SkipLink,
  FilterToggleButton, // the MoJ filter panel: shown beside the list, behind a button on a phone
]) {
  createAll(component);
}

// Radios and checkboxes that reveal a follow-up question when chosen. GOV.UK Frontend's own
// Radios and Checkboxes components mark each input with aria-expanded, which ARIA does not allow
// on radios and checkboxes (govuk-frontend issue 979), so the service reveals them itself: the
// input names the question it reveals with aria-controls, and the question follows it.
// Without JavaScript every follow-up question is shown.
for (const kind of ["radios", "checkboxes"]) {
  const hiddenClass = `govuk-${kind}__conditional--hidden`;
  for (const group of document.querySelectorAll(`[data-module="govuk-${kind}"]`)) {
    const inputs = [...group.querySelectorAll("input[type=radio], input[type=checkbox]")];
    const sync = () => {
      for (const input of inputs) {
        const target = document.getElementById(input.getAttribute("aria-controls") || "");
        if (target) target.classList.toggle(hiddenClass, !input.checked);
      }
    };
    for (const input of inputs) {
      const controls = input.dataset.ariaControls;
      if (controls && document.getElementById(controls)) {
        input.setAttribute("aria-controls", controls);
        input.removeAttribute("data-aria-controls");
      }
      input.addEventListener("change", () => {
        // "None of these" or "Prefer not to say" clears the other boxes, and the other way round.
        if (kind === "checkboxes" && input.checked) {
          const exclusive = input.dataset.behaviour === "exclusive";
          for (const other of inputs) {
            if (other !== input && other.name === input.name && (exclusive || other.dataset.behaviour === "exclusive")) {
              other.checked = false;
            }
          }
        }
        sync();
      });
    }
    sync();
  }
}

// The GOV.UK timeout-warning pattern: warn before an idle sign-out, let the person stay signed in.
const dialog = document.getElementById("timeout-warning");
if (dialog && typeof dialog.showModal === "function") {
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  const warnMs = Number(dialog.dataset.warnSeconds) * 1000;
  const countdown = dialog.querySelector(".panel-timeout-dialog__countdown");
  let warnTimer;
  let endTimer;
  let tick;
  let deadline;

  const describe = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    deadline = Date.now() + idleMs;
    warnTimer = setTimeout(() => {
      countdown.textContent = describe(deadline - Date.now());
      dialog.showModal();
      tick = setInterval(() => { countdown.textContent = describe(deadline - Date.now()); }, 15000);
    }, Math.max(0, idleMs - warnMs));
    endTimer = setTimeout(() => { window.location.href = dialog.dataset.timedOutUrl; }, idleMs);
  };

  // The countdown starts again at once; if the server has already ended the session, the page
  // goes to the sign-in page.
  const stayAlive = async () => {
    schedule();
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "x-csrftoken": dialog.dataset.csrfToken },
      credentials: "same-origin",
    });
    return response.ok;
  };

  document.getElementById("timeout-stay").addEventListener("click", async () => {
    if (await stayAlive()) {
      dialog.close();
    } else {
      window.location.href = dialog.dataset.timedOutUrl;
    }
  });

  // Writing long notes is work the server does not see: typing in such a form keeps the session
  // alive (at most once a minute), so the warning comes only once the person has stopped.
  const typedIn = document.querySelector("form[data-typing-keeps-alive]");
  if (typedIn) {
    let lastKept = Date.now();
    typedIn.addEventListener("input", () => {
      if (Date.now() - lastKept > 60000 && !dialog.open) {
        lastKept = Date.now();
        stayAlive().then((alive) => {
          if (!alive) {
            window.location.href = dialog.dataset.timedOutUrl;
          }
        });
      }
    });
  }
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); });
  schedule();
}

// Notes: the words selected in the notes go on the list of words to remove everywhere, and the
// notes are checked again. Without scripts, the words are typed into that list.
const removeSelected = document.getElementById("remove-selected");
if (removeSelected) {
  const notes = document.getElementById("notes");
  const remove = document.getElementById("remove");
  const check = removeSelected.form.querySelector("[data-check-notes]");
  removeSelected.hidden = false;
  removeSelected.addEventListener("click", () => {
    const chosen = notes.value.slice(notes.selectionStart, notes.selectionEnd).trim();
    if (!chosen) {
      notes.focus();
      return;
    }
    const listed = remove.value.trim();
    remove.value = listed ? `${listed}\n${chosen}` : chosen;
    removeSelected.form.requestSubmit(check);
  });
}
