import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'express';
import { NotFoundError } from '@monitor/runtime';

const PUBLIC_DIR = join(__dirname, '..', 'public');

/** Finds a file of an installed package, whatever its `exports` allow Node to require. */
function packageFile(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const path = join(dir, pkg, file);
    if (existsSync(path)) return path;
  }
  throw new Error(`${pkg}/${file} is not installed (npm ci)`);
}

// The page's own files and the ES modules of its two libraries, served as they are: no bundler,
// no build step. Only the names listed here are served, so no request can reach another file.
const ASSETS: Record<string, { path: string; type: string }> = {
  'app.js': { path: join(PUBLIC_DIR, 'app.js'), type: 'text/javascript' },
  'charts.js': { path: join(PUBLIC_DIR, 'charts.js'), type: 'text/javascript' },
  'safe-html.js': { path: join(PUBLIC_DIR, 'safe-html.js'), type: 'text/javascript' },
  'style.css': { path: join(PUBLIC_DIR, 'style.css'), type: 'text/css' },
  'favicon.svg': { path: join(PUBLIC_DIR, 'favicon.svg'), type: 'image/svg+xml' },
  'vendor/preact.mjs': { path: packageFile('preact', 'dist/preact.mjs'), type: 'text/javascript' },
  'vendor/hooks.mjs': { path: packageFile('preact', 'hooks/dist/hooks.mjs'), type: 'text/javascript' },
  'vendor/htm.mjs': { path: packageFile('htm', 'dist/htm.mjs'), type: 'text/javascript' },
};

const INDEX = readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8');
// The import map is the page's only inline script; the policy allows exactly it, by hash, so an
// injected <script> could not run even if escaping ever failed.
const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/.exec(INDEX)?.[1] ?? '';
const CSP = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`,
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** The web dashboard at / and /dashboard. */
@ApiExcludeController()
@Controller()
export class DashboardController {
  @Get(['', 'dashboard'])
  page(@Res() res: Response): void {
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', 'Referrer-Policy': 'no-referrer' });
    res.send(INDEX);
  }

  @Get('dashboard/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.send(file, res);
  }

  @Get('dashboard/vendor/:file')
  vendor(@Param('file') file: string, @Res() res: Response): void {
    this.send(`vendor/${file}`, res);
  }

  private send(name: string, res: Response): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundError(`dashboard file ${name}`);
    res.set({ 'Content-Type': `${asset.type}; charset=utf-8`, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    res.send(readFileSync(asset.path));
  }
}
