// Runs the built Code.js as Apps Script would: a plain script in its own global scope holding the stand-in
// services, called the way triggers (directly) and google.script.run (copied data, asynchronously) call it.
import vm from 'node:vm';
import type { GoogleScriptRunner } from '../sidebar/script-run.js';
import { createAppsScriptStandIns, type StandInOptions } from './fake-apps-script.js';

/** What crosses google.script.run: plain data only (Dates, functions and undefined in arrays do not survive). */
const copy = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

export function runScript(code: string, options: StandInOptions = {}) {
  const standIns = createAppsScriptStandIns(options);
  const context = vm.createContext({ ...standIns.globals });
  vm.runInContext(code, context, { filename: 'Code.js' });
  const globals = context as Record<string, unknown>;
  const serverFunction = (name: string) => {
    const fn = globals[name];
    // Only top-level functions are reachable, and Apps Script hides names ending in "_".
    return typeof fn === 'function' && !name.endsWith('_') ? (fn as (...args: unknown[]) => unknown) : null;
  };
  /** Calls a server function synchronously with copied arguments and result, as google.script.run would. */
  const call = (name: string, ...args: unknown[]): any => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const fn = serverFunction(name);
    if (!fn) throw new TypeError(`google.script.run.${name} is not a function`);
    return copy(fn(...args.map(copy)));
  };
  /** `google.script.run` over this script: handlers chain, each call runs later and reports to them. */
  const scriptRun = (onSuccess?: (value: unknown) => void, onFailure?: (error: unknown) => void): GoogleScriptRunner =>
    new Proxy({} as GoogleScriptRunner, {
      get(_target, name) {
        if (name === 'withSuccessHandler') return (handler: (value: unknown) => void) => scriptRun(handler, onFailure);
        if (name === 'withFailureHandler') return (handler: (error: unknown) => void) => scriptRun(onSuccess, handler);
        if (typeof name !== 'string' || !serverFunction(name)) return undefined;
        return (...args: unknown[]) => {
          setTimeout(() => {
            let result: unknown;
            try {
              result = call(name, ...args);
            } catch (error) {
              onFailure?.(new Error(error instanceof Object && 'message' in error ? String(error.message) : String(error)));
              return;
            }
            onSuccess?.(result);
          }, 0);
        };
      },
    });
  return { ...standIns, globals, call, scriptRun: () => scriptRun() };
}
