// Jest transform for node_modules: compiles a dependency's ES modules to CommonJS and leaves its
// CommonJS files as they are.
//
// The monitor is CommonJS; NestJS 12, cockatiel 4, entities 9 and normalize-url 10 ship only ES
// modules, which Node 24 loads with require() (require(esm)). Jest's own loader does that only when
// Node runs with --experimental-vm-modules; compiling these files the way the project's TypeScript
// is compiled keeps a plain `npx jest` working. Node's rule decides what is an ES module: `.mjs`, or
// `.js` under a nearest package.json with "type": "module" (a dual package's CommonJS build sits
// under its own package.json saying "commonjs").
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: false,
});

const typeOfDirectory = new Map();

/** The "type" of the nearest package.json above a directory ('commonjs' when it names none). */
function packageType(directory) {
  const known = typeOfDirectory.get(directory);
  if (known) return known;
  let type;
  try {
    type = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')).type ?? 'commonjs';
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    const parent = dirname(directory);
    type = parent === directory ? 'commonjs' : packageType(parent);
  }
  typeOfDirectory.set(directory, type);
  return type;
}

function isEsModule(filename) {
  if (filename.endsWith('.mjs')) return true;
  if (filename.endsWith('.cjs')) return false;
  return packageType(dirname(filename)) === 'module';
}

module.exports = {
  process(source, filename, options) {
    return isEsModule(filename) ? swc.process(source, filename, options) : { code: source };
  },
  getCacheKey(source, filename, options) {
    return `${swc.getCacheKey(source, filename, options)}:${isEsModule(filename) ? 'esm' : 'cjs'}`;
  },
};
