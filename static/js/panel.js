// Starts the GOV.UK Frontend components and the sign-out warning.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

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

  document.getElementById("timeout-stay").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "x-csrftoken": dialog.dataset.csrfToken },
      credentials: "same-origin",
    });
    if (response.ok) {
      dialog.close();
      schedule();
    } else {
      window.location.href = dialog.dataset.timedOutUrl;
    }
  });
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); });
  schedule();
}
