/*
 * croissant-embed: LOCAL STAND-IN for Croissant's On-Site Messaging bundle.
 *
 * Served only by the embedded sandbox (environment "local", previews and tests). Builds
 * for the sandbox and production environments load Croissant's real bundle from its CDN.
 * It defines <croissant-toggle-pdp>, asks the sandbox's /prices for the product id and
 * quantity, shows the buyback value with an opt-in toggle for eligible products (nothing
 * for ineligible ones), and keeps the shopper's choice in
 * localStorage["croissant_opt_in"] as "true" or "false", as the real components do.
 */
(function () {
  "use strict";
  if (window.customElements.get("croissant-toggle-pdp")) { return; }
  var STORAGE_KEY = "croissant_opt_in";

  function money(minor, currency) {
    var exponent = { JPY: 0, KRW: 0, CLP: 0, ISK: 0, VND: 0, KWD: 3, BHD: 3, JOD: 3, OMR: 3, TND: 3 }[currency];
    if (exponent === undefined) { exponent = 2; }
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: currency }).format(minor / Math.pow(10, exponent));
    } catch (error) {
      return (minor / Math.pow(10, exponent)).toFixed(exponent) + " " + currency;
    }
  }

  function readChoice() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (error) { return null; }
  }

  function writeChoice(optedIn) {
    try { window.localStorage.setItem(STORAGE_KEY, optedIn ? "true" : "false"); } catch (error) { /* private mode */ }
  }

  class CroissantTogglePdp extends HTMLElement {
    static get observedAttributes() { return ["product-id", "quantity", "pricing-url"]; }

    connectedCallback() { this.refresh(); }

    attributeChangedCallback() { if (this.isConnected) { this.refresh(); } }

    refresh() {
      var productId = this.getAttribute("product-id");
      var pricingUrl = this.getAttribute("pricing-url");
      var quantity = parseInt(this.getAttribute("quantity") || "1", 10) || 1;
      if (!productId || !pricingUrl) { this.clear(); return; }
      var url = pricingUrl + (pricingUrl.indexOf("?") < 0 ? "?" : "&") +
        "productId=" + encodeURIComponent(productId) + "&quantity=" + quantity;
      var ticket = (this._ticket = (this._ticket || 0) + 1);
      var element = this;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { data: { eligible: false } }; })
        .then(function (body) { if (ticket === element._ticket) { element.show(body && body.data); } })
        .catch(function () { if (ticket === element._ticket) { element.clear(); } });
    }

    clear() {
      this.textContent = "";
      this.style.display = "none";
      this.removeAttribute("data-state");
    }

    show(offer) {
      if (!offer || !offer.eligible) { this.clear(); this.setAttribute("data-state", "ineligible"); return; }
      this.textContent = "";
      this.style.display = "block";
      var box = document.createElement("label");
      box.className = "croissant-buyback";
      box.style.cssText = "display:flex;gap:.5rem;align-items:center;margin:.75rem 0;padding:.6rem .8rem;border:1px solid #d9c9a8;border-radius:.5rem;background:#fffaf0;font:inherit";
      var toggle = document.createElement("input");
      toggle.type = "checkbox";
      toggle.className = "croissant-opt-in";
      toggle.checked = readChoice() === "true";
      toggle.addEventListener("change", function () { writeChoice(toggle.checked); });
      var text = document.createElement("span");
      text.className = "croissant-buyback-value";
      text.textContent = "Guaranteed buyback: " + money(offer.cash.resalePrice, offer.currency) +
        " cash or " + money(offer.storeCredit.resalePrice, offer.currency) + " store credit";
      var note = document.createElement("small");
      note.textContent = " (local sandbox)";
      note.style.opacity = "0.6";
      box.appendChild(toggle);
      box.appendChild(text);
      box.appendChild(note);
      this.appendChild(box);
      this.setAttribute("data-state", "eligible");
      this.setAttribute("data-cash", String(offer.cash.resalePrice));
    }
  }

  window.customElements.define("croissant-toggle-pdp", CroissantTogglePdp);
})();
