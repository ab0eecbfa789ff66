// Bring a booth's panel into view when a tap on the plan fills it, without moving a panel already on screen
// (beside the plan on a wide screen, below it on a phone).
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target.id === "booth-panel") {
    event.detail.target.scrollIntoView({ block: "nearest" });
  }
});
