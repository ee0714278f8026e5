// croissant.js is templates/themes/eleventy/croissant.js, copied here by the test as a theme author would.
const croissantSlot = require("./croissant.js");

module.exports = function (eleventyConfig) {
  eleventyConfig.addShortcode("croissantSlot", croissantSlot);
  return { dir: { input: ".", includes: "_includes", data: "_data", output: "_site" } };
};
