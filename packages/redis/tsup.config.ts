import { defineConfig } from 'tsup';

// ESM first, plus a CommonJS build for apps that still require() us; a .d.ts for each.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
});
