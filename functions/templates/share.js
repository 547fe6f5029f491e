const json = { "Content-Type": "application/json", Accept: "application/json" };
const form = document.getElementById("unlock");
if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = document.getElementById("message");
    message.textContent = "";
    const answer = await fetch(form.dataset.unlock, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ password: document.getElementById("password").value }),
    });
    const body = await answer.json();
    if (answer.ok) {
      window.location.search = "?access=" + encodeURIComponent(body.access);
    } else {
      message.textContent = body.message;
    }
  });
}
const all = document.getElementById("download-all");
if (all) {
  all.addEventListener("click", async () => {
    const status = document.getElementById("zip");
    const query = all.dataset.access ? "?access=" + encodeURIComponent(all.dataset.access) : "";
    all.disabled = true;
    status.textContent = "Preparing the zip…";
    const started = await fetch(all.dataset.exports + query, { method: "POST", headers: json });
    let body = await started.json();
    if (!started.ok) {
      status.textContent = body.message;
      return;
    }
    const poll = all.dataset.exports + "/" + body.id + query;
    while (body.status === "pending" || body.status === "running") {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const answer = await fetch(poll, { headers: json });
      body = await answer.json();
      if (!answer.ok) {
        status.textContent = body.message;
        return;
      }
      if (body.progress && body.progress.total) {
        status.textContent = "Preparing the zip: " + body.progress.done + " of " + body.progress.total;
      }
    }
    if (body.status === "ready") {
      status.textContent = "Ready.";
      window.location.href = body.url;
    } else {
      status.textContent = body.error || "The zip could not be made.";
    }
    all.disabled = false;
  });
}
