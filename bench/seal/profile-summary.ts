import { readFile } from 'node:fs/promises';

/** The parts of a V8 `.cpuprofile` the summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of one function (or group) in a profile. */
export interface ProfileLine {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/**
 * The functions with the most self time in the V8 CPU profile `file` (a `.cpuprofile`), named
 * `function (file:line)`, with their share of the profile's samples; `(idle)` is the time the
 * process waited (on PostgreSQL).
 *
 * @example
 * ```ts
 * for (const line of await profileSummary('/tmp/seal.cpuprofile', 12)) console.log(line.name, line.ms);
 * ```
 */
export async function profileSummary(file: string, top: number): Promise<ProfileLine[]> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const names = new Map(profile.nodes.map((node) => [node.id, frameName(node.callFrame)]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const name = names.get(id) ?? '?';
    self.set(name, (self.get(name) ?? 0) + micros);
    total += micros;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / total }));
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  const short = frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/');
  return `${name} (${short}:${frame.lineNumber + 1})`;
}
