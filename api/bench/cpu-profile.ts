import { readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The `.cpuprofile` format Node writes with `--cpu-prof`. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = '(idle)';

/** Where a frame's code lives: an npm package, the API, the contract, Node itself, or V8 (GC, program). */
function areaOf({ url, functionName }: CallFrame, root: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.startsWith('node:')) return 'node (internals)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const relative = path.relative(root, file);
  return relative.startsWith('..') ? file : relative.split(path.sep).slice(0, 2).join('/');
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

/**
 * Summarises a profile of the server under load: busy time by code area (self and inclusive: time with that
 * area anywhere on the stack) and the functions with the most self time. Idle time is left out.
 */
export function summarizeCpuProfile(file: string, root: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  let busy = 0;
  const selfByArea = new Map<string, number>();
  const inclusiveByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  for (const [id, micros] of selfByNode) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === IDLE) continue;
    busy += micros;
    const area = areaOf(node.callFrame, root);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + micros);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${area}:${path.basename(url)}:${lineNumber + 1}` : area;
    const key = `${functionName || '(anonymous)'} ${where}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + micros);
    const onStack = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parentOf.get(cursor)) {
      const frame = byId.get(cursor)?.callFrame;
      if (frame) onStack.add(areaOf(frame, root));
    }
    for (const stackArea of onStack) inclusiveByArea.set(stackArea, (inclusiveByArea.get(stackArea) ?? 0) + micros);
  }

  const rank = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [
    `Busy: ${(busy / 1e6).toFixed(2)} s (idle excluded). Samples are wall-clock: time spent waiting for a core lands on`,
    'the system call the server was in (mostly writev), so on a shared machine that line overstates its cost.',
    '',
    'By code area      self  inclusive',
  ];
  for (const [area, micros] of rank(selfByArea)) {
    lines.push(`  ${percent(micros, busy)}  ${percent(inclusiveByArea.get(area) ?? 0, busy)}  ${area}`);
  }
  lines.push('', 'Functions by self time');
  for (const [name, micros] of rank(selfByFunction)) lines.push(`  ${percent(micros, busy)}  ${name}`);
  return lines.join('\n');
}
