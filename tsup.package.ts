import { defineConfig, type Options } from 'tsup';

/** Every package builds the same way: ESM first, plus CommonJS for apps that still require() us, a .d.ts for each. */
export function packageBuild(entry: string[] = ['src/index.ts']): ReturnType<typeof defineConfig> {
  const options: Options = {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    splitting: false,
  };
  return defineConfig(options);
}
