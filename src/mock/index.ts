/**
 * A mock OpenAI-compatible provider with scriptable faults, and a fault-injecting proxy to put
 * in front of a real one. Tests, the drill and the offline demo all run against these.
 */
export { startMockProvider } from './server.js';
export type { MockCounters, MockMessage, MockProvider, MockProviderOptions, MockReply, ReceivedRequest } from './server.js';
export { startFaultProxy } from './proxy.js';
export type { FaultProxy, FaultProxyOptions, ProxyCounters } from './proxy.js';
export type { Fault, FaultScope, FaultType, ScopedFault } from './faults.js';
export { findFaultProblem, validateFault } from './faults.js';
export { FAULT_SPEC_HELP, FaultSpecError, parseFaultSpec } from './fault-spec.js';
export type { ActiveFault } from './fault-schedule.js';
export type { FaultControls } from './fault-controller.js';
export type { RequestCounters } from './counters.js';
export { startReplayServer } from './replay.js';
export type { ReplayRoutes, ReplayServer } from './replay.js';
export { loadWireFixtures } from './wire-fixture.js';
export type { WireExpectation, WireFixture, WireResponse } from './wire-fixture.js';
