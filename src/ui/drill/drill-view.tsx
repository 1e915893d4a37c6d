import { Box, Text } from 'ink';
import { breakerView, formatMs } from '../../report/view-model.js';
import type { DrillViewState, ScenarioRow } from './progress-model.js';

const STATUS: Record<ScenarioRow['status'], { glyph: string; colour?: 'green' | 'red' | 'yellow' }> = {
  pending: { glyph: '·' },
  running: { glyph: '▸', colour: 'yellow' },
  pass: { glyph: '✓', colour: 'green' },
  fail: { glyph: '✗', colour: 'red' },
  skip: { glyph: '–' },
};

/** The live drill: steady state, one line per scenario, and the running one's breakers and steps. */
export function DrillView({ state }: { state: DrillViewState }) {
  const width = Math.max(...state.rows.map((row) => row.name.length));
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>steady state </Text>
        {state.steadyState ? <Text color={state.steadyState.ok ? 'green' : 'red'}>{state.steadyState.text}</Text> : <Text dimColor>checking every provider…</Text>}
      </Text>
      {state.rows.map((row) => (
        <Box key={row.name} flexDirection="column">
          <Text>
            <Text color={STATUS[row.status].colour}>{STATUS[row.status].glyph} </Text>
            <Text bold={row.status === 'running'}>{row.name.padEnd(width)}</Text>
            {row.ms !== undefined ? <Text dimColor> {formatMs(row.ms).padStart(7)} </Text> : null}
            {row.outcome ? <Text color={row.status === 'fail' ? 'red' : undefined}> {row.outcome}</Text> : null}
            {row.status === 'running' ? <Breakers breakers={state.breakers} /> : null}
          </Text>
          {row.status === 'running'
            ? state.lines.map((line, index) => (
                <Text key={index} dimColor>
                  {'    '}
                  {line}
                </Text>
              ))
            : null}
        </Box>
      ))}
      {state.alerts ? (
        <Text>
          <Text bold>alerts </Text>
          <Text color={state.alerts.ok === undefined ? undefined : state.alerts.ok ? 'green' : 'red'} dimColor={state.alerts.ok === undefined}>
            {state.alerts.text}
          </Text>
        </Text>
      ) : null}
    </Box>
  );
}

function Breakers({ breakers }: { breakers: DrillViewState['breakers'] }) {
  return (
    <>
      {Object.entries(breakers).map(([provider, state]) => {
        const view = breakerView(state);
        return (
          <Text key={provider}>
            {'  '}
            {provider} <Text color={view.colour}>{`${view.glyph} ${view.word}`}</Text>
          </Text>
        );
      })}
    </>
  );
}
