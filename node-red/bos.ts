/** Node-RED entry for BOS CIBIL Score (package.json "node-red".nodes); editor HTML: bos.html. */
import { bos } from '../nodes/providers/cibil';
import { providerModule } from './register';

export = providerModule(bos);
