/** The committed journey workflows and flows are exactly what the generator makes from the journey descriptions. */
import { staleJourneyFiles } from '../../journeys/generate';

it('the committed journey files match the generator (no missing, changed or stale file)', () => {
	expect(staleJourneyFiles()).toEqual([]);
});
