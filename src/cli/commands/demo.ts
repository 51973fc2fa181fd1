import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../../app/firewatch-config.js';
import { startFirewatch } from '../../app/start-firewatch.js';
import { formatConfigError, parseConfigFile } from '../../config/parse-config-file.js';
import { formatPlan } from '../../config/plan-config.js';
import { demoConfigYaml } from '../../demo/demo-config.js';
import { FAILURE_MODES, isFailureMode, startSimulator } from '../../demo/simulator.js';
import { breakCommunity, repairCommunity, simulatorState } from '../../demo/simulator-client.js';
import { applyFleetConfig } from '../../store/config-repository.js';
import { openDatabase } from '../../store/database.js';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { waitForShutdown } from '../wait-for-shutdown.js';

const USAGE = [
  'firewatch demo [--port 8080] [--simulator-port 8090] [--interval 10]',
  `       firewatch demo break <slug> --mode ${FAILURE_MODES.join('|')}`,
  '       firewatch demo repair <slug>',
  '       firewatch demo state',
].join('\n');

/** Where `firewatch demo` leaves the simulator's address and control token for break/repair. */
interface DemoState {
  readonly simulatorUrl: string;
  readonly controlToken: string;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'start a demo fleet (simulated communities) and Firewatch watching it; break and repair them',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        'simulator-port': { type: 'string' },
        interval: { type: 'string' },
        mode: { type: 'string' },
      },
    });
    const [action, slug] = positionals;
    const base = configFromEnv(io.env);
    const dataDir = base.dataDir;
    switch (action) {
      case undefined:
        return runDemo(io, dataDir, {
          port: portOption(values.port, 'port', base.port),
          simulatorPort: portOption(values['simulator-port'], 'simulator-port', 8090),
          intervalSeconds: intervalOption(values.interval),
        });
      case 'break': {
        if (!slug)
          throw new UsageError('name the community to break: firewatch demo break <slug> --mode MODE');
        if (!isFailureMode(values.mode)) {
          throw new UsageError(
            `--mode must be one of ${FAILURE_MODES.join(', ')} (got "${values.mode ?? ''}")`,
          );
        }
        const state = readDemoState(io, dataDir);
        const result = await breakCommunity(state.simulatorUrl, state.controlToken, slug, values.mode);
        io.out(
          `${result.slug} is now ${result.mode}. Watch the status page turn red within two check intervals.\n`,
        );
        return 0;
      }
      case 'repair': {
        if (!slug) throw new UsageError('name the community to repair: firewatch demo repair <slug>');
        const state = readDemoState(io, dataDir);
        const result = await repairCommunity(state.simulatorUrl, state.controlToken, slug);
        io.out(`${result.slug} is ${result.mode} again.\n`);
        return 0;
      }
      case 'state': {
        const state = readDemoState(io, dataDir);
        const { communities } = await simulatorState(state.simulatorUrl, state.controlToken);
        for (const c of communities) io.out(`${c.slug.padEnd(20)} ${c.mode}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown demo action "${action}"`);
    }
  },
};

async function runDemo(
  io: CommandIo,
  dataDir: string,
  options: { port: number; simulatorPort: number; intervalSeconds: number },
): Promise<number> {
  const controlToken = randomBytes(24).toString('base64url');
  const simulator = await startSimulator({ port: options.simulatorPort, controlToken });
  mkdirSync(dataDir, { recursive: true });
  const state: DemoState = { simulatorUrl: simulator.url, controlToken };
  writeFileSync(join(dataDir, 'demo.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });

  const configFile = join(dataDir, 'demo.yaml');
  const yaml = demoConfigYaml(simulator.url, { intervalSeconds: options.intervalSeconds });
  writeFileSync(configFile, yaml);
  const parsed = parseConfigFile(yaml, configFile);
  if (!parsed.ok) {
    await simulator.close();
    for (const error of parsed.errors) io.err(`${formatConfigError(error)}\n`);
    return 1;
  }
  const base = configFromEnv(io.env);
  const database = await openDatabase({ url: base.databaseUrl });
  try {
    const plan = await applyFleetConfig(database.db, parsed.config, Date.now());
    io.out(`Demo config ${configFile}:\n${formatPlan(plan)}\n`);
  } finally {
    await database.close();
  }

  const firewatch = await startFirewatch({ ...base, port: options.port });
  io.out(
    [
      '',
      `Firewatch demo is running. Status page: ${firewatch.url}/`,
      `Simulated communities: ${simulator.url}/`,
      'Break one:   node bin/firewatch.js demo break pangeo --mode not-found',
      'Repair it:   node bin/firewatch.js demo repair pangeo',
      `Pages sent:  ${simulator.url}/_pager (the demo on-call people's webhook "phone")`,
      `Incidents:   ${firewatch.url}/api/v2/incidents/unresolved.json, feed ${firewatch.url}/history.rss`,
      `API token:   ${resolve(dataDir, 'admin-token')} (created on first start)`,
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  await waitForShutdown();
  await firewatch.stop();
  await simulator.close();
  return 0;
}

function readDemoState(io: CommandIo, dataDir: string): DemoState {
  const file = resolve(io.cwd, dataDir, 'demo.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoState;
  } catch {
    throw new Error(`no running demo found (${file} is missing): start it first with \`npm run demo\``);
  }
}

function portOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--${name} "${value}" is not a port number: use 0-65535`);
  }
  return port;
}

function intervalOption(value: string | undefined): number {
  if (value === undefined) return 10;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new UsageError(`--interval "${value}" must be whole seconds between 1 and 3600`);
  }
  return seconds;
}
