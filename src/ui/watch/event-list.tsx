import { Box, Text } from 'ink';
import type { EventLine } from '../../watch/watch-events.js';

/** The latest events, oldest first, each with its time. */
export function EventList({ lines, width }: { readonly lines: readonly EventLine[]; readonly width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      <Text dimColor>recent events</Text>
      {lines.length === 0 ? <Text dimColor>  none yet</Text> : null}
      {lines.map((line, position) => (
        // Events have no id; their position among the shown ones is stable enough for a list that only appends.
        <Text key={position} wrap="truncate-end">
          <Text dimColor>{line.time} </Text>
          <Text {...(line.colour ? { color: line.colour } : {})}>{line.text}</Text>
        </Text>
      ))}
    </Box>
  );
}
