import { GET as afhandeltijd } from '../../src/routes/api/analyse/afhandeltijd/+server.ts';
import { GET as budget } from '../../src/routes/api/analyse/budget/+server.ts';
import { GET as choropleth } from '../../src/routes/api/analyse/choropleth/+server.ts';
import { GET as clusters } from '../../src/routes/api/analyse/clusters/+server.ts';
import { GET as koppelkansen } from '../../src/routes/api/analyse/koppelkansen/+server.ts';
import { GET as overdue } from '../../src/routes/api/analyse/overdue/+server.ts';
import { GET as themes } from '../../src/routes/api/analyse/themes/+server.ts';
import { GET as trend } from '../../src/routes/api/analyse/trend/+server.ts';

/** Every analysis endpoint by its path name; a test fails when src/routes/api/analyse has one more. */
export const ROUTES = {
	afhandeltijd,
	budget,
	choropleth,
	clusters,
	koppelkansen,
	overdue,
	themes,
	trend
};
