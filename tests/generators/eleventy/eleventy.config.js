module.exports = function (config) {
  return { dir: { input: ".", includes: "_includes", output: "_site" } };
};
