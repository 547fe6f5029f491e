const form = document.getElementById("unlock");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("message");
  message.textContent = "";
  const answer = await fetch(form.dataset.unlock, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ password: document.getElementById("password").value }),
  });
  const body = await answer.json();
  if (answer.ok) {
    window.location.search = "?access=" + encodeURIComponent(body.access);
  } else {
    message.textContent = body.message;
  }
});
