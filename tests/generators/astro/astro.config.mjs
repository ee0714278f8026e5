// No import from "astro/config": a plain object is a valid configuration.
export default {
  site: "https://astro-shop.example",
  trailingSlash: "always",
  cacheDir: "./.astro-cache",
};
