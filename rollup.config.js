// Bundles the CLI and the Action entry point into dist/, which is committed (see .ci/run).
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

/**
 * yaml's parser and composer read `process.env.LOG_TOKENS` / `LOG_STREAM` once per token, a debugging switch:
 * a tenth of the time of locating findings in a large file. The bundle never logs tokens.
 */
const yamlDebugSwitchesOff = {
  name: 'yaml-debug-switches-off',
  transform(code, id) {
    if (!/node_modules[\\/]yaml[\\/]/.test(id)) return null;
    return { code: code.replace(/node_process\.env\.LOG_(?:TOKENS|STREAM)/g, 'false'), map: null };
  },
};

const plugins = () => [
  yamlDebugSwitchesOff,
  typescript({ tsconfig: './tsconfig.build.json', noEmitOnError: true }),
  nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
  commonjs(),
  json(),
];

export default [
  {
    input: 'src/cli.ts',
    output: {
      file: 'dist/cli.js',
      format: 'es',
      banner: '#!/usr/bin/env node',
      sourcemap: false,
      inlineDynamicImports: true,
    },
    plugins: plugins(),
  },
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', sourcemap: false, inlineDynamicImports: true },
    plugins: plugins(),
  },
];
