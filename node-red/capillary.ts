/** Node-RED entry for Capillary Auth Engine (package.json "node-red".nodes); editor HTML: capillary.html. */
import { capillary } from '../nodes/providers/capillary';
import { providerModule } from './register';

export = providerModule(capillary);
