// valibot, re-exported from one module so that the build can replace this file in dist/ by valibot's own
// self-contained ES module (scripts/vendor-valibot.mjs): dist/index.js then imports no other package by
// name, and a plain `<script type="module">` page loads it without an import map entry for valibot.
// Every module of the package imports valibot from here, never from "valibot".
export * from "valibot";
