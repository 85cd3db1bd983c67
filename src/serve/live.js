// Live reload for `causeway serve`: reloads the page after each rebuild and shows build
// errors over the last good page until they are fixed. Added only while serving.
(() => {
  "use strict";
  const OVERLAY_ID = "causeway-errors";

  function hide() {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function show(text) {
    hide();
    const box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.93);color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    const title = document.createElement("h2");
    title.textContent = "The site has errors. Fix them and this page reloads.";
    title.style.cssText = "margin:0 0 1rem;font:600 18px/1.3 system-ui,sans-serif;color:#ff8a80";
    const pre = document.createElement("pre");
    pre.textContent = text; // plain text, never markup
    // Every property set here, so no theme style can make the errors unreadable.
    pre.style.cssText =
      "white-space:pre-wrap;margin:0;padding:1rem;border:1px solid #555;border-radius:4px;" +
      "background:#111114;color:#f5f5f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;overflow:auto";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Show the last good page";
    close.style.cssText =
      "margin-top:1.5rem;font:15px/1.2 system-ui,sans-serif;padding:.5rem .9rem;" +
      "background:#f5f5f5;color:#111;border:0;border-radius:4px;cursor:pointer";
    close.addEventListener("click", hide);
    box.append(title, pre, close);
    document.body.append(box);
  }

  const events = new EventSource("/__causeway/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("errors", (e) => show(e.data));
})();
