/**
 * Nx runs the work: every lib and service has cacheable lint, typecheck and test targets, `nx
 * affected` picks a changed lib and its dependents and nothing else, and a second identical run
 * comes from the local cache. Asked of the real Nx CLI with the daemon off (as in CI), with a
 * cache and workspace-data directory of its own so that it neither reads nor fills the
 * developer's cache.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const NX = join(ROOT, 'node_modules', '.bin', 'nx');

interface TargetConfig {
  cache?: boolean;
  inputs?: Array<string | Record<string, unknown>>;
  outputs?: string[];
  dependsOn?: Array<string | Record<string, unknown>>;
}
interface ProjectNode {
  name: string;
  data: { root: string; tags?: string[]; targets: Record<string, TargetConfig> };
}
interface ProjectGraph {
  nodes: Record<string, ProjectNode>;
  dependencies: Record<string, Array<{ source: string; target: string; type: string }>>;
}

let scratch: string;
let env: NodeJS.ProcessEnv;
let graph: ProjectGraph;

async function nx(...args: string[]): Promise<string> {
  const { stdout } = await run(NX, args, { cwd: ROOT, env, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

const projects = () => Object.values(graph.nodes);
const unitProjects = () => projects().filter((p) => /^(libs|services)\//.test(p.data.root));
const workspaceDeps = (name: string) => (graph.dependencies[name] ?? []).filter((d) => d.target in graph.nodes);

/** The project and every project that depends on it, directly or not (imports and implicit). */
function withDependents(name: string): Set<string> {
  const found = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const source of Object.keys(graph.nodes)) {
      if (!found.has(source) && workspaceDeps(source).some((d) => found.has(d.target))) {
        found.add(source);
        grew = true;
      }
    }
  }
  return found;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'nx-workspace-'));
  env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_TUI: 'false',
    NX_NO_CLOUD: 'true',
    FORCE_COLOR: '0',
    NX_CACHE_DIRECTORY: join(scratch, 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(scratch, 'workspace-data'),
  };
  await nx('graph', `--file=${join(scratch, 'graph.json')}`);
  graph = JSON.parse(await readFile(join(scratch, 'graph.json'), 'utf8')).graph;
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('targets', () => {
  it('gives every lib and service cacheable lint, typecheck and test targets with their inputs', () => {
    expect(unitProjects().length).toBeGreaterThan(20);
    for (const project of unitProjects()) {
      const { targets } = project.data;
      for (const name of ['lint', 'typecheck', 'test']) {
        expect({ project: project.name, target: name, cache: targets[name]?.cache }).toEqual({ project: project.name, target: name, cache: true });
      }
      // Own files (with tsconfig.base.json and package-lock.json, nx.json's sharedGlobals) and the
      // production files of every project it depends on.
      expect(targets.test.inputs).toEqual(expect.arrayContaining(['default', '^production', '{workspaceRoot}/jest.preset.js']));
      expect(targets.typecheck.inputs).toEqual(expect.arrayContaining(['default', '^production']));
      expect(targets.typecheck.dependsOn).toContain('^typecheck');
      expect(targets.typecheck.outputs).toEqual(['{workspaceRoot}/dist/out-tsc/{projectRoot}']);
      expect(targets.lint.inputs).toEqual(expect.arrayContaining(['default', '^default', '{workspaceRoot}/eslint.config.mjs']));
    }
  });

  it('counts the root configuration every target reads among its inputs', async () => {
    const nxJson = JSON.parse(await readFile(join(ROOT, 'nx.json'), 'utf8'));
    expect(nxJson.namedInputs.sharedGlobals).toEqual(expect.arrayContaining(['{workspaceRoot}/tsconfig.base.json', '{workspaceRoot}/package-lock.json']));
    expect(nxJson.namedInputs.default).toContain('sharedGlobals');
    expect(nxJson.namedInputs.production).toContain('!{projectRoot}/**/*.spec.ts');
  });

  it('runs the integration suites of tests/ uncached, under a name of their own, after any service changes', () => {
    const { targets } = graph.nodes.tests.data;
    expect(targets.integration.cache).toBe(false);
    expect(targets.test).toBeUndefined();
    expect(targets.lint.cache).toBe(true);
    expect(targets.typecheck.cache).toBe(true);
    const services = projects().filter((p) => p.data.root.startsWith('services/')).map((p) => p.name);
    expect(services).toHaveLength(5);
    expect(workspaceDeps('tests').map((d) => d.target)).toEqual(expect.arrayContaining(services));
  });

  it("references in each project's tsconfig.json exactly the projects its code imports", async () => {
    for (const project of projects()) {
      const tsconfig = JSON.parse(await readFile(join(ROOT, project.data.root, 'tsconfig.json'), 'utf8'));
      const referenced = (tsconfig.references ?? []).map((ref: { path: string }) => relative(ROOT, join(ROOT, project.data.root, ref.path)));
      const imported = [...new Set(workspaceDeps(project.name).filter((d) => d.type !== 'implicit').map((d) => graph.nodes[d.target].data.root))];
      expect({ project: project.name, references: referenced.sort() }).toEqual({ project: project.name, references: imported.sort() });
    }
  });
});

describe('affected', () => {
  const CHANGE = 'libs/text/src/text-analyzer.ts';

  it('takes a change to libs/text to text and its dependents, not to unrelated libs', async () => {
    const affected: string[] = JSON.parse(await nx('show', 'projects', '--affected', `--files=${CHANGE}`, '--json'));
    const expected = withDependents('text');
    expect(expected.has('query')).toBe(true);
    expect(new Set(affected)).toEqual(expected);
    for (const unrelated of ['contracts', 'config', 'messaging', 'messaging-kafka', 'outbound-http', 'feeds']) {
      expect(affected).not.toContain(unrelated);
    }
  });

  it('runs the unit tests of exactly those projects on `nx affected -t test`', async () => {
    const taskFile = join(scratch, 'affected-tasks.json');
    await nx('affected', '-t', 'test', `--files=${CHANGE}`, `--graph=${taskFile}`);
    const tasks = Object.keys(JSON.parse(await readFile(taskFile, 'utf8')).tasks.tasks).sort();
    const expected = [...withDependents('text')].filter((name) => graph.nodes[name].data.targets.test).map((name) => `${name}:test`);
    expect(tasks).toEqual(expected.sort());
  });
});

describe('cache', () => {
  it('serves a second identical run of a test target from the local cache', async () => {
    const first = await nx('run', 'text:test', '--output-style=stream');
    expect(first).toMatch(/Successfully ran target test for project text/);
    expect(first).not.toMatch(/local cache|existing outputs match the cache/);
    const second = await nx('run', 'text:test', '--output-style=stream');
    expect(second).toMatch(/\[(local cache|existing outputs match the cache, left as is)\]/);
  });
});
