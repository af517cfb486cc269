/** One implementation, two brands: BOS and AOPay resell the same CIBIL-score platform. */
import type { ProviderSpec } from '../../core';
import { AOPAY_BRAND, BOS_BRAND, type CibilBrand } from './brand';
import { cibilCredential } from './credential';
import { generateOtp } from './operations/generateOtp';
import { getCreditHistory } from './operations/getCreditHistory';
import { registerCustomer } from './operations/registerCustomer';
import { submitOtp } from './operations/submitOtp';
import { cibilSamples } from './samples';

export function cibilProvider(brand: CibilBrand): ProviderSpec {
	return {
		id: brand.id,
		label: brand.label,
		slug: brand.id,
		color: brand.color,
		description: `Check a customer's CIBIL score through ${brand.name}: register, send and verify the OTP, fetch the credit report`,
		icon: brand.id,
		credential: cibilCredential(brand),
		operations: [registerCustomer(brand), generateOtp(brand), submitOtp(brand), getCreditHistory(brand)],
		samples: cibilSamples,
	};
}

export const bos = cibilProvider(BOS_BRAND);
export const aopay = cibilProvider(AOPAY_BRAND);

export { AOPAY_BRAND, BOS_BRAND, type CibilBrand };
