/** Node-RED entry for iServeU DMT Lite (package.json "node-red".nodes); editor HTML: iserveu.html. */
import { iserveu } from '../nodes/providers/iserveu';
import { providerModule } from './register';

export = providerModule(iserveu);
