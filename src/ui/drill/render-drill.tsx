import { render } from 'ink';
import type { DrillProgress } from '../../drill/types.js';
import { DrillView } from './drill-view.js';
import { initialDrillView, reduceDrillView, type DrillViewState } from './progress-model.js';

/** A live view fed with the drill's progress; `stop` leaves its last frame on screen. */
export interface LiveDrill {
  readonly onProgress: (progress: DrillProgress) => void;
  stop(): void;
}

/**
 * Renders the live drill on stderr (stdout is for the results table). Lazily imported, and
 * only when the terminal is interactive: everywhere else the drill prints plain lines.
 */
export function renderLiveDrill(scenarioNames: readonly string[]): LiveDrill {
  let state: DrillViewState = initialDrillView(scenarioNames);
  const instance = render(<DrillView state={state} />, { stdout: process.stderr, patchConsole: false, exitOnCtrlC: false });
  return {
    onProgress(progress) {
      state = reduceDrillView(state, progress);
      instance.rerender(<DrillView state={state} />);
    },
    stop() {
      instance.rerender(<DrillView state={state} />);
      instance.unmount();
    },
  };
}
