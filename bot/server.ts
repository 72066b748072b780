import type { Config } from './config.js';
import type { Logger } from './logger.js';

export interface RunningPasserelle {
  /** Base URL of the server, e.g. http://127.0.0.1:3978 */
  url: string;
  stop(): Promise<void>;
}

/** Connects to MongoDB (config.MONGODB_URI), wires every layer and listens. Placeholder until the wiring lands. */
export async function startPasserelle(config: Config, logger: Logger): Promise<RunningPasserelle> {
  throw new Error(`not wired yet (${config.PORT}, ${typeof logger})`);
}
