import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { drillOutputs } from '../../src/drill/report.js';
import type { DrillReport } from '../../src/drill/types.js';
import { root } from '../support/cli.js';

// action.yml and the example workflows against SchemaStore's schemas (kept in test/schemas, see
// its README): the checks an editor or actionlint would make, offline.
// SchemaStore's schemas are draft-07 written for editors: Ajv's strict mode rejects some of their
// harmless shortcuts (a `properties` without `type: object`), so it is off; validation is not.
const ajv = new Ajv({ strict: false, allErrors: true });
const schema = (name: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(path.join(root, 'test', 'schemas', name), 'utf8')) as object);
const actionSchema = schema('github-action.json');
const workflowSchema = schema('github-workflow.json');

const readYaml = (file: string): unknown => parse(readFileSync(path.join(root, file), 'utf8'));
const errorsOf = (validate: ValidateFunction): string =>
  (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`).join('\n');

interface ActionFile {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: { id?: string; uses?: string; env?: Record<string, string>; run?: string; if?: string }[] };
}
const action = readYaml('action.yml') as ActionFile;

describe('action.yml', () => {
  it("is valid against SchemaStore's github-action schema", () => {
    const valid = actionSchema(action);
    expect(errorsOf(actionSchema)).toBe('');
    expect(valid).toBe(true);
  });

  it('the schema catches a misspelled key, a misplaced one and a missing shell (so the check above can fail)', () => {
    const misspelled = structuredClone(action);
    (misspelled.inputs['config'] as Record<string, unknown>)['defualt'] = '';
    expect(actionSchema(misspelled)).toBe(false);
    expect(errorsOf(actionSchema)).toMatch(/\/inputs\/config must NOT have additional properties .*defualt/);

    const misplaced = structuredClone(action) as unknown as Record<string, unknown>;
    misplaced['steps'] = [];
    expect(actionSchema(misplaced)).toBe(false);

    const noShell = structuredClone(action);
    const step = noShell.runs.steps.find((candidate) => candidate.run !== undefined) as Record<string, unknown>;
    delete step['shell'];
    expect(actionSchema(noShell)).toBe(false);
  });

  it('is a composite action whose every input reaches a step and whose actions are pinned to a major version', () => {
    expect(action.runs.using).toBe('composite');
    const runs = JSON.stringify(action.runs);
    for (const name of Object.keys(action.inputs)) expect(runs, `input ${name} is never used`).toContain(`inputs.${name}`);
    for (const step of action.runs.steps) if (step.uses) expect(step.uses).toMatch(/^actions\/[a-z-]+@v\d+$/);
    // The script reads its inputs as INPUT_<NAME>: each one it is given names a real input.
    const env = action.runs.steps.find((step) => step.id === 'drill')?.env ?? {};
    for (const [variable, value] of Object.entries(env)) {
      if (variable.startsWith('INPUT_')) expect(value).toBe(`\${{ inputs.${variable.slice('INPUT_'.length).toLowerCase().replace(/_/g, '-')} }}`);
    }
  });

  it("declares exactly the outputs the drill and the script write, each read from the drill step", () => {
    const report: DrillReport = { ok: true, steadyState: { ok: true, providers: [] }, scenarios: [], alerts: [], ms: 0, interrupted: false };
    const written = [...Object.keys(drillOutputs(report, true)), 'junit', 'exit-code'].sort();
    expect(Object.keys(action.outputs).sort()).toEqual(written);
    for (const [name, output] of Object.entries(action.outputs)) expect(output.value).toBe(`\${{ steps.drill.outputs.${name} }}`);
  });
});

describe('examples/workflows', () => {
  const files = readdirSync(path.join(root, 'examples', 'workflows')).filter((file) => file.endsWith('.yml'));

  it('holds the nightly drill and the key smoke test', () => {
    expect(files.sort()).toEqual(['key-smoke-test.yml', 'nightly-drill.yml']);
  });

  it.each(files)("%s is valid against SchemaStore's github-workflow schema", (file) => {
    const valid = workflowSchema(readYaml(`examples/workflows/${file}`));
    expect(errorsOf(workflowSchema)).toBe('');
    expect(valid).toBe(true);
  });

  it('the schema catches a misspelled key in a workflow', () => {
    const workflow = readYaml('examples/workflows/nightly-drill.yml') as { jobs: { drill: Record<string, unknown> } };
    workflow.jobs.drill['runs_on'] = workflow.jobs.drill['runs-on'];
    delete workflow.jobs.drill['runs-on'];
    expect(workflowSchema(workflow)).toBe(false);
  });

  it.each(files)("the README's CI section shows %s as it is", (file) => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const text = readFileSync(path.join(root, 'examples', 'workflows', file), 'utf8');
    expect(readme).toContain(`# examples/workflows/${file}\n${text}`);
  });

  it('keys come from secrets into the environment, never written into the workflow', () => {
    for (const file of files) {
      const text = readFileSync(path.join(root, 'examples', 'workflows', file), 'utf8');
      const keys = [...text.matchAll(/^\s+([A-Z_]+_(?:KEY|URL)): (.+)$/gm)];
      expect(keys.length).toBeGreaterThan(0);
      for (const [, name, value] of keys) expect(value).toBe(`\${{ secrets.${name} }}`);
    }
  });
});
