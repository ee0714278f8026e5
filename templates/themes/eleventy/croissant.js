/*
 * croissant-embed theme snippet for Eleventy (3.x): the place of the Croissant component on a
 * product page, as a shortcode for Nunjucks and Liquid templates.
 *
 * Copy this file into your project and register it in eleventy.config.js:
 *     const croissantSlot = require("./croissant.js");
 *     module.exports = function (eleventyConfig) {
 *       eleventyConfig.addShortcode("croissantSlot", croissantSlot);
 *     };
 * then put {% croissantSlot %} where the component should appear (next to the price). It renders
 *     <croissant-slot data-croissant-product-id=... data-croissant-price=... ...></croissant-slot>
 * from the page's data: sku (or product_id), price, currency, title, and the page's URL
 * (relative: croissant-embed resolves it against base_url). To take the product from elsewhere
 * (a data file, pagination), pass an object with any of those keys (and url): {% croissantSlot product %}.
 * `croissant-embed build` then reads the product from these attributes and puts the component
 * inside the slot. Pages with neither an id nor a price get nothing. Every value is escaped.
 */
"use strict";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeAttribute(value) {
  return String(value).replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

// Nunjucks hands shortcodes its context as a plain object, Liquid as a scope with getSync().
function pageData(scope, key) {
  const ctx = scope && scope.ctx;
  if (!ctx) return undefined;
  return typeof ctx.getSync === "function" ? ctx.getSync([key]) : ctx[key];
}

function present(value) {
  return value !== undefined && value !== null && value !== "";
}

module.exports = function croissantSlot(product) {
  const given = product && typeof product === "object" ? product : {};
  const pick = (...keys) => {
    for (const key of keys) {
      if (present(given[key])) return given[key];
    }
    for (const key of keys) {
      const value = pageData(this, key);
      if (present(value)) return value;
    }
    return undefined;
  };
  const fields = [
    ["product-id", pick("product_id", "sku")],
    ["price", pick("price")],
    ["currency", pick("currency")],
    ["name", pick("title")],
    ["url", present(given.url) ? given.url : (this && this.page && this.page.url) || undefined],
  ];
  if (!present(fields[0][1]) && !present(fields[1][1])) return "";
  const attributes = fields
    .filter(([, value]) => present(value))
    .map(([name, value]) => ` data-croissant-${name}="${escapeAttribute(value)}"`)
    .join("");
  return `<croissant-slot${attributes}></croissant-slot>`;
};
