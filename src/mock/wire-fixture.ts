import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';

/**
 * A recorded wire answer of one vendor (`fixtures/wire/<vendor>/<name>.json`): what the vendor
 * documents it sends (status, headers, a JSON or text body, or the lines of an event stream),
 * where that is documented, and the failure class understudy must give it. See
 * fixtures/wire/README.md for how they are written.
 */
export interface WireFixture {
  /** `openai/insufficient-quota`: the file's path under the fixture root, without `.json`. */
  readonly id: string;
  readonly vendor: string;
  /** The vendor's API reference page and section the shape was written from. */
  readonly source: string;
  /** What the case is, and anything the source left open (kept honest: see the README). */
  readonly note: string;
  /** Which call it answers: a completion, or a stream. */
  readonly call: 'complete' | 'stream';
  readonly response: WireResponse;
  readonly expect: WireExpectation;
}

/** One HTTP answer as the replay server sends it. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A JSON body (sent as application/json unless `headers` say otherwise), or text sent as is. */
  readonly body?: unknown;
  /** An event stream, one line per entry (`data: {...}`, `""` ends an event); sent as text/event-stream. */
  readonly sse?: readonly string[];
}

/** The classification the engine must give the answer. */
export interface WireExpectation {
  readonly class: 'retryable' | 'provider-only' | 'fatal';
  readonly kind: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Words of the provider's own message that must survive into the failure. */
  readonly message: string;
  /** For streams: the error arrives after content was streamed (a mid-stream failure). */
  readonly afterFirstToken: boolean;
}

const responseSchema = z
  .object({
    status: z.number().int().min(100).max(599),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
    sse: z.array(z.string()).optional(),
  })
  .strict();

const fixtureSchema = z
  .object({
    vendor: z.string().min(1),
    source: z.string().min(1),
    note: z.string().min(1),
    call: z.enum(['complete', 'stream']).default('complete'),
    response: responseSchema,
    expect: z
      .object({
        class: z.enum(['retryable', 'provider-only', 'fatal']),
        kind: z.string().min(1),
        status: z.number().int().optional(),
        retryAfterMs: z.number().int().optional(),
        message: z.string(),
        afterFirstToken: z.boolean().default(false),
      })
      .strict(),
  })
  .strict();

/** Reads and checks every `*.json` under `root` (recursively), sorted by id. A bad file throws, naming it. */
export function loadWireFixtures(root: string): WireFixture[] {
  const fixtures: WireFixture[] = [];
  for (const file of jsonFiles(root)) {
    const id = relative(root, file).replace(/\\/g, '/').replace(/\.json$/, '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not JSON (${(error as Error).message})`);
    }
    const result = fixtureSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    fixtures.push({ id, ...(result.data as Omit<WireFixture, 'id'>) });
  }
  return fixtures.sort((a, b) => a.id.localeCompare(b.id));
}

function jsonFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return jsonFiles(path);
    return entry.isFile() && entry.name.endsWith('.json') ? [path] : [];
  });
}
