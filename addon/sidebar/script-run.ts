import type * as serverFunctions from '../src/server-functions.js';
import { scriptFailure } from './script-failure.js';

/** Every function of addon/src/server-functions.ts: the list google.script.run can call, written once (there). */
export type ServerFunctions = typeof serverFunctions;

/** `google.script.run` as the sidebar sees it: chain handlers, then call a server function by name. */
export interface GoogleScriptRunner {
  withSuccessHandler(handler: (value: unknown) => void): GoogleScriptRunner;
  withFailureHandler(handler: (error: unknown) => void): GoogleScriptRunner;
  [serverFunction: string]: unknown;
}

/** The server functions as promises, typed from their declarations in addon/src/server-functions.ts. */
export type ScriptRun = { [K in keyof ServerFunctions]: (...args: Parameters<ServerFunctions[K]>) => Promise<ReturnType<ServerFunctions[K]>> };

/** A failure handed to the failure handler (an Error, or an object with a message), in the author's words. */
function asError(error: unknown): Error {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return scriptFailure(message);
}

/** Wraps `google.script.run` (each call its own server execution) into typed promises. */
export function createScriptRun(run: GoogleScriptRunner): ScriptRun {
  const call = (name: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const runner = run.withSuccessHandler(resolve).withFailureHandler((error) => reject(asError(error)));
      const fn = runner[name];
      if (typeof fn !== 'function') return reject(new Error(`The add-on has no server function ${name}.`));
      (fn as (...a: unknown[]) => void).apply(runner, args);
    });
  // Any name reads as a call: the type admits only the server functions, and google.script.run refuses the rest.
  return new Proxy({} as ScriptRun, {
    get: (_target, name) => (typeof name === 'string' ? (...args: unknown[]) => call(name, args) : undefined),
  });
}
