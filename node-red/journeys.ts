/** Node-RED entry for the journeys' safety nodes (package.json "node-red".nodes); editor HTML: journeys.html. */
import { registerJourneyNodes } from './journey';
import type { NodeAPI } from './types';

/** `editor` marks the module for the editor build (node-red/editor/build.ts). */
export = Object.assign((RED: NodeAPI) => registerJourneyNodes(RED), { editor: 'journeys' as const });
