/** Node-RED entry for AOPay CIBIL Score (package.json "node-red".nodes); editor HTML: aopay.html. */
import { aopay } from '../nodes/providers/cibil';
import { providerModule } from './register';

export = providerModule(aopay);
