/** Node-RED entry for SummitAI ITSM (package.json "node-red".nodes); editor HTML: summitai.html. */
import { summitai } from '../nodes/providers/summitai';
import { providerModule } from './register';

export = providerModule(summitai);
