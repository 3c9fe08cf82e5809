import type { NextFunction, Request, Response } from 'express';
import { METHODS } from 'node:http';
import { MethodNotAllowedError, sendError } from './http-error.filter';

/** What the router knows of one route: the methods it serves and whether a path is its. */
interface RouteEntry {
  methods: string[];
  matches(path: string): boolean;
}

/** The parts of an Express 5 router layer read here (the `router` package's Layer and Route). */
interface RouterLayer {
  route?: { methods: Record<string, boolean> };
  match?(path: string): unknown;
}

/**
 * Express answers a method no route serves with the same 404 as a path nothing serves. This answers
 * it as HTTP says: a path some route serves, asked with another method (TRACE included), is a 405
 * with `Allow` listing the methods it does serve, and OPTIONS is answered with that list. Paths no
 * route serves fall through to the router's 404. The table is read from the Express router on the
 * first request, when every controller's routes are in it, so it can never disagree with them.
 */
export function allowedMethods(routerOf: () => { stack: unknown[] }) {
  let routes: RouteEntry[] | undefined;
  const table = (): RouteEntry[] =>
    (routes ??= (routerOf().stack as RouterLayer[])
      // A route that takes every method is middleware Nest mounted with `all()` (the request
      // logger on every path), not a resource: it would make every method look served.
      .filter((layer) => layer.route?.methods && typeof layer.match === 'function' && !servesEveryMethod(layer.route.methods))
      .map((layer) => ({
        methods: Object.keys(layer.route!.methods).filter((m) => m !== '_all').map((m) => m.toUpperCase()),
        matches: (path: string) => Boolean(layer.match!(path)),
      })));

  return (req: Request, res: Response, next: NextFunction): void => {
    const served = new Set(table().filter((route) => route.matches(req.path)).flatMap((route) => route.methods));
    if (served.size === 0) return next();
    if (served.has('GET')) served.add('HEAD');
    served.add('OPTIONS');
    const allow = [...served].sort();
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', allow.join(', '));
      res.status(204).end();
      return;
    }
    if (served.has(req.method)) return next();
    sendError(res, new MethodNotAllowedError(req.method, req.path, allow));
  };
}

function servesEveryMethod(methods: Record<string, boolean>): boolean {
  return methods._all === true || METHODS.every((method) => methods[method.toLowerCase()]);
}
