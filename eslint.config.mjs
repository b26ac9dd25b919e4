// ESLint's settings for the portal's browser scripts and their Node tests (`make lint-js`).
// The browser scripts are plain scripts (no bundler, no modules: the site works from file://);
// assets/lib/ holds the rules they share, which Node's tests load as CommonJS modules.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "site/", ".venv/", ".venv-lrs/", ".portal/", "test-output/", "build/"] },
  js.configs.recommended,
  {
    files: ["generator/assets/**/*.js", "generator/records/*.js", "generator/lms_adapter/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
    // `catch (error)` names what is caught even where it is deliberately dropped.
    rules: { "no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
  {
    files: ["generator/assets/javascripts/workers/*.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["generator/assets/lib/*.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.commonjs } },
  },
  {
    files: ["tests/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
  {
    files: ["tests/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...globals.node } },
  },
];
