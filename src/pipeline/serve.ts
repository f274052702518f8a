import { isAbsolute } from 'node:path';
import type { OpenAIPolicyConfig, ServeConfig } from '../config/schema.ts';
import { TrainerError } from '../errors.ts';
import type { PolicyRef, ServeState } from '../schema/training.ts';
import { listRoundDirs } from '../store/run-reader.ts';
import type { RunStore } from '../store/run-store.ts';
import { adapterModel, type LoraEndpoint, loraEndpoints } from '../trainer/lora/endpoint.ts';
import type { EventSink } from './events.ts';

/**
 * `train.serve`: each trained LoRA adapter is loaded into every policy endpoint under a
 * round-specific name, checked in `/v1/models`, sampled by the next round, and unloaded once a
 * later adapter replaced it. Every step is recorded in the round's `serve-state.json` before and
 * after it happens, so a run killed at any point resumes without training or loading again.
 */
export interface AdapterServing {
  /** What round `round`'s trainer already returned, when a killed run got that far. */
  trained(round: number): Promise<PolicyRef | undefined>;
  /** Serves the adapter round `round` trained; returns what the next round samples from. */
  serve(round: number, trained: PolicyRef, signal?: AbortSignal): Promise<PolicyRef>;
  /** Before a round samples from `ref`: every endpoint that had its adapter still has it (a restarted server forgets). */
  ensure(ref: PolicyRef, signal?: AbortSignal): Promise<void>;
}

export interface ServingOptions {
  serve: ServeConfig;
  policy: OpenAIPolicyConfig;
  runName: string;
  store: RunStore;
  emit: EventSink;
  env: NodeJS.ProcessEnv;
  /** Endpoints to talk to; by default one per policy endpoint. */
  endpoints?: LoraEndpoint[];
}

export function createAdapterServing(options: ServingOptions): AdapterServing {
  const { serve, store, emit } = options;
  const endpoints = options.endpoints ?? loraEndpoints(options.policy, serve, options.env);
  const log = (message: string) => emit({ type: 'log', message });

  /** Makes `endpoint` serve the round's adapter, recording each step; never sends a load the server already did. */
  async function ensureLoaded(round: number, state: ServeState, endpoint: LoraEndpoint, signal?: AbortSignal): Promise<void> {
    const mark = async (status: ServeState['endpoints'][string]) => {
      state.endpoints[endpoint.url] = status;
      await store.writeServeState(round, state);
    };
    const before = await endpoint.adapters(signal);
    const listed = before.get(state.adapter);
    if (before.has(state.adapter)) {
      if (listed !== undefined && listed !== state.path) {
        throw new TrainerError(
          `${endpoint.url} already serves an adapter named ${state.adapter} from ${listed}, not ${state.path}; unload it there or choose another train.serve.name`,
          { code: 'TRAINER_SERVE_FAILED' },
        );
      }
      if (state.endpoints[endpoint.url] !== 'loaded') await mark('loaded');
      return;
    }
    if (state.endpoints[endpoint.url] === 'loaded') log(`${endpoint.url} no longer serves ${state.adapter} (was the server restarted?); loading it again`);
    await mark('loading');
    await endpoint.load(state.adapter, state.path, signal);
    const after = await endpoint.adapters(signal);
    if (!after.has(state.adapter)) {
      throw new TrainerError(`${endpoint.url} accepted LoRA adapter ${state.adapter} but does not list it in /v1/models`, { code: 'TRAINER_SERVE_FAILED' });
    }
    await mark('loaded');
    log(`round ${round}: ${endpoint.url} serves ${state.adapter} from ${state.path}`);
  }

  /** Unloads the adapters of rounds before `round` from every endpoint that still has them. */
  async function unloadEarlier(round: number, signal?: AbortSignal): Promise<void> {
    for (let earlier = 0; earlier < round; earlier++) {
      const state = await store.readServeState(earlier);
      if (!state) continue;
      for (const [url, status] of Object.entries(state.endpoints)) {
        if (status === 'unloaded') continue;
        const endpoint = endpoints.find((e) => e.url === url);
        if (!endpoint) {
          log(`${state.adapter} stays loaded on ${url}: that server is no longer one of the policy's endpoints`);
          continue;
        }
        try {
          await endpoint.unload(state.adapter, signal);
        } catch (error) {
          // Housekeeping: the run goes on, the adapter stays recorded as loaded and the next round tries again.
          log(`warning: could not unload ${state.adapter} from ${url}: ${(error as Error).message}`);
          continue;
        }
        state.endpoints[url] = 'unloaded';
        await store.writeServeState(earlier, state);
        log(`round ${round}: unloaded ${state.adapter} from ${url}`);
      }
    }
  }

  return {
    async trained(round) {
      return (await store.readServeState(round))?.trained;
    },

    async serve(round, trained, signal) {
      let state = await store.readServeState(round);
      if (!state) {
        const path = trained.checkpoint;
        if (!path) {
          throw new TrainerError(
            `train.serve loads a LoRA adapter directory, but the trainer returned only a model id (${trained.model}); a command trainer prints it as "checkpoint" in its last line`,
            { code: 'TRAINER_SERVE_FAILED' },
          );
        }
        if (!isAbsolute(path)) throw new TrainerError(`the trainer's checkpoint ${path} is a relative path; the inference server needs an absolute one`, { code: 'TRAINER_SERVE_FAILED' });
        const adapter = adapterName(serve.name, trained.model, round + 1, options.runName);
        state = { trained, adapter, path, served: { model: adapterModel(serve.type, options.policy.model, adapter), checkpoint: path }, endpoints: {} };
        await store.writeServeState(round, state);
      }
      for (const endpoint of endpoints) await ensureLoaded(round, state, endpoint, signal);
      if (serve.unload) await unloadEarlier(round, signal);
      return state.served;
    },

    async ensure(ref, signal) {
      for (const round of (await listRoundDirs(store.layout.dir)).reverse()) {
        const state = await store.readServeState(round);
        if (state?.served.model !== ref.model) continue;
        // An adapter this run unloaded on purpose is done with; only the ones it still counts on are checked.
        for (const endpoint of endpoints) {
          if (state.endpoints[endpoint.url] !== 'unloaded') await ensureLoaded(round, state, endpoint, signal);
        }
        return;
      }
    },
  };
}

/** The adapter's name: the template filled in, with characters servers treat specially (`:` `/`, spaces) made `-`. */
export function adapterName(template: string, model: string, round: number, run: string): string {
  const filled = template.replace(/\{(model|round|run)\}/g, (_, key: string) => (key === 'round' ? String(round) : key === 'run' ? run : model));
  return filled.replace(/[^A-Za-z0-9._-]+/g, '-');
}
