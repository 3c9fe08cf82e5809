#!/usr/bin/env node
// `npm run build [-- --out-dir DIR]`: the production JavaScript of the five services and their
// libs, in dist/ (or DIR), so that the image runs plain `node` without a TypeScript hook or any
// devDependency. dist/ mirrors the repository (services/api/src/main.ts becomes
// dist/services/api/src/main.js) because the files the code finds next to itself come along at
// the same relative places: the taxonomy, the dashboard's public/, the demo content, the default
// sources file (read relative to the working directory: run from dist/, or set SOURCES_FILE).
//
// swc compiles, with the options the tests and `npm start` use (legacy decorators with
// emitDecoratorMetadata, which NestJS's injection needs, so not esbuild), and rewrites the
// @monitor/* aliases of tsconfig.base.json to relative paths. Type errors are `npm run
// typecheck`'s job, as in the tests.
const { transformFileSync } = require('@swc/core');
const { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');
const { compilerOptions } = require('../tsconfig.base.json');

const root = resolve(__dirname, '..');
const outIndex = process.argv.indexOf('--out-dir');
const outDir = resolve(root, outIndex >= 0 ? process.argv[outIndex + 1] : 'dist');
const TREES = ['libs', 'services'];

/** Test code and test data stay out; everything else a lib or service holds is shipped. */
function shipped(path) {
  if (/(^|\/)(testing|fixtures|corpus)\//.test(path)) return false;
  if (/\.(spec|test)\.ts$/.test(path)) return false;
  return !/(^|\/)(project\.json|tsconfig[^/]*\.json|jest\.config\.js|[^/]*\.md)$/.test(path);
}

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: root,
    paths: compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

rmSync(outDir, { recursive: true, force: true });
let compiled = 0;
let copied = 0;
for (const tree of TREES) {
  for (const entry of readdirSync(join(root, tree), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const path = relative(root, source);
    if (!shipped(path)) continue;
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    if (path.endsWith('.ts')) {
      const js = target.replace(/\.ts$/, '.js');
      const { code, map } = transformFileSync(source, { ...swcOptions, filename: source, sourceFileName: relative(dirname(js), source) });
      writeFileSync(js, `${code}\n//# sourceMappingURL=${entry.name.replace(/\.ts$/, '.js.map')}\n`);
      writeFileSync(`${js}.map`, map);
      compiled += 1;
    } else {
      cpSync(source, target);
      copied += 1;
    }
  }
}
process.stdout.write(`built ${compiled} modules and ${copied} other files into ${relative(root, outDir) || '.'}\n`);
